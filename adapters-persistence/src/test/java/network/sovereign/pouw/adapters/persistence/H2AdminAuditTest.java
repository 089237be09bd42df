package network.sovereign.pouw.adapters.persistence;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@code AdminAudit} contract on embedded H2. */
class H2AdminAuditTest extends AdminAuditContract {

    @TempDir
    static Path dataDir;

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.h2(dataDir);
    }
}
