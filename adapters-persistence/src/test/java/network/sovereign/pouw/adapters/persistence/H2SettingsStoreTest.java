package network.sovereign.pouw.adapters.persistence;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@code SettingsStore} contract on embedded H2. */
class H2SettingsStoreTest extends SettingsStoreContract {

    @TempDir
    static Path dataDir;

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.h2(dataDir);
    }
}
