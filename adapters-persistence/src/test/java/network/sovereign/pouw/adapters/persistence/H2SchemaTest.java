package network.sovereign.pouw.adapters.persistence;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The schema contract on embedded H2. */
class H2SchemaTest extends SchemaContract {

    @TempDir
    static Path dataDir;

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.h2(dataDir);
    }
}
