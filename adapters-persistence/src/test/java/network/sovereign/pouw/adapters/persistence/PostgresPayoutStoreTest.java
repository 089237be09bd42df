package network.sovereign.pouw.adapters.persistence;

/** The {@code PayoutStore} contract on PostgreSQL. */
class PostgresPayoutStoreTest extends PayoutStoreContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
