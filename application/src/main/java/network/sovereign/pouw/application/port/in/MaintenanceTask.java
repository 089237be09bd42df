package network.sovereign.pouw.application.port.in;

import java.util.Arrays;
import java.util.Optional;

/** A retention task the maintenance job runs. */
public enum MaintenanceTask {
    PURGE_CHALLENGES("purge_challenges"),
    PURGE_NONCES("purge_nonces"),
    ARCHIVE_RECEIPTS("archive_receipts"),
    PURGE_REJECTIONS("purge_rejections");

    private final String wireName;

    MaintenanceTask(String wireName) {
        this.wireName = wireName;
    }

    /** The task name used in the admin API. */
    public String wireName() {
        return wireName;
    }

    /** Looks a task up by its wire name. */
    public static Optional<MaintenanceTask> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
