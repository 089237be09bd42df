package network.sovereign.pouw.application.port.in;

/** Tells operators and load balancers whether the node is alive, ready and healthy. */
public interface CheckHealthUseCase {

    /** Checks every component now. */
    HealthReport health();

    /**
     * True when migrations are done, every component the node needs for traffic (the database)
     * answers, and the node is not stopping.
     */
    boolean ready();
}
