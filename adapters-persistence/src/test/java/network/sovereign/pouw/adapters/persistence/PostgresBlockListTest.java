package network.sovereign.pouw.adapters.persistence;

/** The {@code BlockList} contract on PostgreSQL. */
class PostgresBlockListTest extends BlockListContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
