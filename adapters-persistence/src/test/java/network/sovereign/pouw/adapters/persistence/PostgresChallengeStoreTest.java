package network.sovereign.pouw.adapters.persistence;

/** The {@code ChallengeStore} contract on PostgreSQL. */
class PostgresChallengeStoreTest extends ChallengeStoreContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }
}
