package network.sovereign.pouw.adapters.persistence;

/** The {@code ClientHistoryStore} contract on PostgreSQL. */
class PostgresClientHistoryTest extends ClientHistoryContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
