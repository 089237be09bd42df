package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.ADMIN_AUDIT;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.BLOCKED_DIDS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.BLOCK_EVENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CHALLENGES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CLIENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CLIENT_KEYS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTE_EVENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS_ARCHIVE;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REJECTIONS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.PAYOUTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REWARD_ENTRIES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.USED_NONCES;

import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What the protocol stores' contracts share: one fresh database of the kind under test per class, and
 * two nodes on it ({@link #node} and {@link #otherNode}, each with its own pool), as two nodes of a
 * cluster share one database. The protocol tables are emptied before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProtocolStoreContract {

    private TestDatabase database;
    /** The node under test. */
    Persistence node;
    /** A second node on the same database. */
    Persistence otherNode;
    /** Direct access for arranging and checking rows. */
    DSLContext dsl;

    /** A new, empty database of the kind under test. */
    abstract TestDatabase createDatabase();

    @BeforeAll
    void startNodes() {
        database = createDatabase();
        Persistence.migrate(database.settings());
        node = Persistence.start(database.settings());
        otherNode = Persistence.start(database.settings());
        dsl = node.dsl();
    }

    @AfterAll
    void stopNodes() {
        for (AutoCloseable closeable : new AutoCloseable[] {otherNode, node, database}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @BeforeEach
    void emptyProtocolTables() {
        for (var table : List.of(PAYOUTS, REWARD_ENTRIES, DISPUTE_EVENTS, DISPUTES, RECEIPTS, RECEIPTS_ARCHIVE, USED_NONCES, REJECTIONS, CHALLENGES,
                BLOCKED_DIDS, BLOCK_EVENTS, ADMIN_AUDIT, CLIENT_KEYS, CLIENTS)) {
            dsl.deleteFrom(table).execute();
        }
    }

    /** "PostgreSQL" or "H2", for messages. */
    String engine() {
        return database.engine();
    }
}
