package network.sovereign.pouw.adapters.persistence;

/** The schema contract on PostgreSQL. */
class PostgresSchemaTest extends SchemaContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
