package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CHALLENGES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS_ARCHIVE;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.USED_NONCES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The maintenance SQL of {@code docs/RUNBOOK.md}, taken from the document itself and run exactly as
 * written (with auto-commit, as psql runs it; VACUUM needs that) against a migrated PostgreSQL.
 */
class RunbookSqlTest {

    private static final List<String> MAINTENANCE = List.of(
            "DELETE FROM challenges WHERE expires_at < NOW() - INTERVAL '7 days'",
            "DELETE FROM used_nonces WHERE created_at < NOW() - INTERVAL '24 hours'",
            "INSERT INTO receipts_archive SELECT * FROM receipts WHERE submitted_at < NOW() - INTERVAL '90 days'",
            "DELETE FROM receipts WHERE submitted_at < NOW() - INTERVAL '90 days'");

    private static TestDatabase database;
    private static Persistence persistence;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.postgres();
        Persistence.migrate(database.settings());
        persistence = Persistence.start(database.settings());
    }

    @AfterAll
    static void drop() {
        if (persistence != null) {
            persistence.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void the_runbook_sql_runs_unchanged_and_removes_only_old_rows() throws IOException, SQLException {
        List<String> statements = sqlStatements(Files.readString(runbook()));
        assertTrue(statements.containsAll(MAINTENANCE), () -> "the runbook's maintenance SQL changed: " + statements);
        assertTrue(statements.contains("VACUUM ANALYZE"), statements::toString);

        DSLContext dsl = persistence.dsl();
        Rows rows = new Rows(dsl);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        rows.client(now.minus(Duration.ofDays(200)));
        rows.challenge(now.minus(Duration.ofDays(8)));
        var freshChallenge = rows.challenge(now.minus(Duration.ofDays(6)));
        rows.nonce(now.minus(Duration.ofHours(25)));
        var freshNonce = rows.nonce(now.minus(Duration.ofHours(23)));
        var oldReceipt = rows.receipt(now.minus(Duration.ofDays(91)));
        var freshReceipt = rows.receipt(now.minus(Duration.ofDays(89)));

        try (Connection connection = persistence.access().dataSource().getConnection()) {
            connection.setAutoCommit(true);
            for (String sql : statements) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                }
            }
        }

        // fetchSingle: exactly one row is left in each table.
        assertArrayEquals(freshChallenge.getChallengeNonce(), dsl.fetchSingle(CHALLENGES).getChallengeNonce());
        assertArrayEquals(freshNonce.getReceiptNonce(), dsl.fetchSingle(USED_NONCES).getReceiptNonce());
        assertEquals(freshReceipt.getReceiptId(), dsl.fetchSingle(RECEIPTS).getReceiptId());
        var archived = dsl.fetchSingle(RECEIPTS_ARCHIVE);
        assertTrue(Rows.sameValues(oldReceipt, archived), () -> "archived " + archived + "\nbut stored " + oldReceipt);
    }

    /** The statements of every ```sql block, comment lines dropped, split at the semicolons ending lines. */
    static List<String> sqlStatements(String markdown) {
        List<String> statements = new ArrayList<>();
        Matcher block = Pattern.compile("```sql\\R(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (block.find()) {
            StringBuilder current = new StringBuilder();
            for (String line : block.group(1).split("\\R")) {
                if (line.strip().startsWith("--") || line.isBlank()) {
                    continue;
                }
                current.append(current.isEmpty() ? "" : "\n").append(line.stripTrailing());
                if (line.stripTrailing().endsWith(";")) {
                    statements.add(current.substring(0, current.length() - 1).strip());
                    current.setLength(0);
                }
            }
            if (!current.toString().isBlank()) {
                statements.add(current.toString().strip());
            }
        }
        return statements;
    }

    /** {@code docs/RUNBOOK.md} of the repository, found by walking up from the working directory. */
    static Path runbook() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/RUNBOOK.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/RUNBOOK.md not found above " + Path.of("").toAbsolutePath());
    }
}
