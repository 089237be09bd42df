package network.sovereign.pouw.application.service;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's life cycle as readiness sees it: starting (schema not yet migrated), serving, stopping.
 * The composition root moves it forward; it never moves back.
 */
public final class NodeLifecycle {

    /** The phases, in order. */
    public enum Phase { STARTING, SERVING, STOPPING }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);

    /** Migrations are done; the node may take traffic. */
    public void markServing() {
        phase.compareAndSet(Phase.STARTING, Phase.SERVING);
    }

    /** The node is shutting down; readiness turns false at once. */
    public void markStopping() {
        phase.set(Phase.STOPPING);
    }

    /** The current phase. */
    public Phase phase() {
        return phase.get();
    }
}
