package network.sovereign.pouw.adapters.persistence;

/** The {@code AdminAudit} contract on PostgreSQL. */
class PostgresAdminAuditTest extends AdminAuditContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
