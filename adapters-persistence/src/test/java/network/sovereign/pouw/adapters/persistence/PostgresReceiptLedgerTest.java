package network.sovereign.pouw.adapters.persistence;

/** The {@code ReceiptLedger} contract on PostgreSQL. */
class PostgresReceiptLedgerTest extends ReceiptLedgerContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
