package planted.pouw.adapters.persistence;

/** Breaks layers: an adapter reaching into the composition root. */
public class JooqThing {
    planted.pouw.bootstrap.Wiring wiring;
}
