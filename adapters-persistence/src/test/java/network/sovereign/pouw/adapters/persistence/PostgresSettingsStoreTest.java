package network.sovereign.pouw.adapters.persistence;

/** The {@code SettingsStore} contract on PostgreSQL. */
class PostgresSettingsStoreTest extends SettingsStoreContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
