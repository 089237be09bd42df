package planted.pouw.bootstrap;

/** The planted composition root. */
public class Wiring {
}
