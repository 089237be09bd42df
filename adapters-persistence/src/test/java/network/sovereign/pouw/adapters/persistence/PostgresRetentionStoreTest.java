package network.sovereign.pouw.adapters.persistence;

/** The {@code RetentionStore} contract on PostgreSQL. */
class PostgresRetentionStoreTest extends RetentionStoreContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
