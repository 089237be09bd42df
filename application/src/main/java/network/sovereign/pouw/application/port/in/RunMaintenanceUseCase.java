package network.sovereign.pouw.application.port.in;

import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Runs the retention tasks of SPEC §11, on a schedule or on demand. */
public interface RunMaintenanceUseCase {

    /**
     * What to run.
     *
     * @param tasks  the tasks; empty means all
     * @param dryRun count only, change nothing
     * @param actor  the admin token's name for an on-demand run (audited as {@code run_maintenance}); empty for the schedule
     */
    record RunMaintenanceCommand(Set<MaintenanceTask> tasks, boolean dryRun, Optional<String> actor) {
        /** Empty means every task. */
        public RunMaintenanceCommand {
            tasks = tasks == null || tasks.isEmpty() ? EnumSet.allOf(MaintenanceTask.class) : EnumSet.copyOf(tasks);
            Objects.requireNonNull(actor, "actor");
        }

        /** A scheduled run (no actor, not audited). */
        public RunMaintenanceCommand(Set<MaintenanceTask> tasks, boolean dryRun) {
            this(tasks, dryRun, Optional.empty());
        }
    }

    /** The outcome of a run: the rows affected (or that would be) per task. */
    sealed interface MaintenanceOutcome {
        /** The run happened. */
        record Completed(Map<MaintenanceTask, Long> counts, boolean dryRun) implements MaintenanceOutcome {
            /** Copies the counts. */
            public Completed {
                counts = Map.copyOf(counts);
            }
        }

        /** Another run, on this node or another, holds the maintenance lease right now. */
        record Busy() implements MaintenanceOutcome {
        }
    }

    /** Runs the tasks now. */
    MaintenanceOutcome run(RunMaintenanceCommand command);
}
