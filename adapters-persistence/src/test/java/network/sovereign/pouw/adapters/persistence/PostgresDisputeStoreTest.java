package network.sovereign.pouw.adapters.persistence;

/** The {@code DisputeStore} contract on PostgreSQL. */
class PostgresDisputeStoreTest extends DisputeStoreContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
