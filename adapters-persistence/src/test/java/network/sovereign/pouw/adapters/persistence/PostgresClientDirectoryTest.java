package network.sovereign.pouw.adapters.persistence;

/** The {@code ClientDirectory} contract on PostgreSQL. */
class PostgresClientDirectoryTest extends ClientDirectoryContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
