package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REJECTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import network.sovereign.pouw.adapters.persistence.jooq.DefaultSchema;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.DisputeStatus;
import network.sovereign.pouw.domain.RejectionReason;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The changelog on a real database: it applies once and then never again, creates every table of
 * SPEC §11, and matches the jOOQ classes generated from it at build time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SchemaContract {

    /** SPEC §11's tables, plus the maintenance lease. */
    private static final Set<String> SPEC_TABLES = Set.of("clients", "client_keys", "challenges", "used_nonces",
            "receipts", "receipts_archive", "rejections", "reward_entries", "payouts", "disputes", "dispute_events",
            "blocked_dids", "block_events", "settings", "admin_audit", "leases");

    private TestDatabase database;
    private int firstRun;
    private int secondRun;
    private Persistence persistence;

    /** A new, empty database of the kind under test. */
    abstract TestDatabase createDatabase();

    @BeforeAll
    void migrateTwice() {
        database = createDatabase();
        firstRun = Persistence.migrate(database.settings());
        secondRun = Persistence.migrate(database.settings());
        persistence = Persistence.start(database.settings());
    }

    @AfterAll
    void stopDatabase() {
        if (persistence != null) {
            persistence.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void the_changelog_applies_once_and_a_second_run_applies_nothing() {
        assertTrue(firstRun > 0, "changesets applied on an empty database: " + firstRun);
        assertEquals(0, secondRun, "changesets applied on an up-to-date database");
    }

    @Test
    void every_table_of_the_spec_exists() throws SQLException {
        Set<String> tables = withMetaData(meta -> {
            Set<String> names = new TreeSet<>();
            try (ResultSet rs = meta.getTables(null, meta.getConnection().getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
            return names;
        });
        assertTrue(tables.containsAll(SPEC_TABLES), () -> "missing: " + difference(SPEC_TABLES, tables));
    }

    @Test
    void receipts_archive_has_the_columns_of_receipts_in_the_same_order() throws SQLException {
        List<String> receipts = withMetaData(meta -> columns(meta, "receipts"));
        List<String> archive = withMetaData(meta -> columns(meta, "receipts_archive"));

        assertEquals(19, receipts.size(), receipts::toString);
        assertEquals(receipts, archive);
    }

    @Test
    void nothing_references_receipts_so_the_runbook_can_delete_from_it() throws SQLException {
        List<String> references = withMetaData(meta -> {
            List<String> found = new ArrayList<>();
            try (ResultSet rs = meta.getExportedKeys(null, meta.getConnection().getSchema(), "receipts")) {
                while (rs.next()) {
                    found.add(rs.getString("FKTABLE_NAME") + "." + rs.getString("FK_NAME"));
                }
            }
            return found;
        });
        assertEquals(List.of(), references);
    }

    @Test
    void the_generated_jooq_tables_match_the_live_schema_with_their_primary_keys() throws SQLException {
        for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            String name = table.getName();
            List<String> live = withMetaData(meta -> columns(meta, name).stream().map(c -> c.split(" ")[0]).toList());
            List<String> generated = table.fieldStream().map(Field::getName).toList();
            assertEquals(live, generated, "columns of " + name);

            List<String> livePk = withMetaData(meta -> primaryKey(meta, name));
            List<String> generatedPk = new ArrayList<>();
            generatedPk.add(table.getPrimaryKey().getName());
            table.getPrimaryKey().getFields().forEach(f -> generatedPk.add(f.getName()));
            assertEquals(livePk, generatedPk, "primary key of " + name);
        }
    }

    @Test
    void receipt_nonces_are_unique_among_receipts() throws SQLException {
        List<String> unique = withMetaData(meta -> {
            List<String> found = new ArrayList<>();
            try (ResultSet rs = meta.getIndexInfo(null, meta.getConnection().getSchema(), "receipts", true, false)) {
                while (rs.next()) {
                    if ("receipt_nonce".equalsIgnoreCase(rs.getString("COLUMN_NAME"))) {
                        found.add(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            return found;
        });
        assertEquals(1, unique.size(), unique::toString);
    }

    @Test
    void the_check_constraints_accept_every_domain_value_and_refuse_others() {
        DSLContext dsl = persistence.dsl();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (RejectionReason reason : RejectionReason.values()) {
            dsl.insertInto(REJECTIONS)
                    .set(REJECTIONS.REJECTION_ID, "rej-" + reason.ordinal())
                    .set(REJECTIONS.REASON, reason.wireName())
                    .set(REJECTIONS.DETAIL, "test")
                    .set(REJECTIONS.SUBMITTED_AT, now)
                    .execute();
        }
        assertThrows(DataAccessException.class, () -> dsl.insertInto(REJECTIONS)
                .set(REJECTIONS.REJECTION_ID, "rej-bogus")
                .set(REJECTIONS.REASON, "bogus_reason")
                .set(REJECTIONS.DETAIL, "test")
                .set(REJECTIONS.SUBMITTED_AT, now)
                .execute());

        new Rows(dsl).client(now);
        int i = 0;
        for (DisputeStatus status : DisputeStatus.values()) {
            for (DisputeResolutionType resolution : DisputeResolutionType.values()) {
                dsl.insertInto(DISPUTES)
                        .set(DISPUTES.DISPUTE_ID, "d-" + i++)
                        .set(DISPUTES.CLIENT_DID, Rows.DID)
                        .set(DISPUTES.DISPUTE_TYPE, "Other")
                        .set(DISPUTES.DESCRIPTION, "test")
                        .set(DISPUTES.SIGNATURE, new byte[64])
                        .set(DISPUTES.STATUS, status.wireName())
                        .set(DISPUTES.RESOLUTION_TYPE, resolution.wireName())
                        .set(DISPUTES.CREATED_AT, now)
                        .execute();
            }
        }
        assertThrows(DataAccessException.class, () -> dsl.insertInto(DISPUTES)
                .set(DISPUTES.DISPUTE_ID, "d-bogus")
                .set(DISPUTES.CLIENT_DID, Rows.DID)
                .set(DISPUTES.DISPUTE_TYPE, "Other")
                .set(DISPUTES.DESCRIPTION, "test")
                .set(DISPUTES.SIGNATURE, new byte[64])
                .set(DISPUTES.STATUS, "pending")
                .set(DISPUTES.CREATED_AT, now)
                .execute());
    }

    /** "name TYPE(size,digits) nullable" per column, in ordinal order. */
    private static List<String> columns(DatabaseMetaData meta, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(null, meta.getConnection().getSchema(), table, "%")) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + " " + rs.getString("TYPE_NAME")
                        + "(" + rs.getInt("COLUMN_SIZE") + "," + rs.getInt("DECIMAL_DIGITS") + ") "
                        + rs.getString("IS_NULLABLE"));
            }
        }
        return columns;
    }

    /** The primary key's name followed by its columns in key order. */
    private static List<String> primaryKey(DatabaseMetaData meta, String table) throws SQLException {
        String name = null;
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, meta.getConnection().getSchema(), table)) {
            List<String[]> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new String[] {rs.getString("PK_NAME"), rs.getString("COLUMN_NAME"), String.valueOf(rs.getShort("KEY_SEQ"))});
            }
            rows.sort((a, b) -> Integer.compare(Integer.parseInt(a[2]), Integer.parseInt(b[2])));
            for (String[] row : rows) {
                name = row[0].toLowerCase(Locale.ROOT);
                columns.add(row[1].toLowerCase(Locale.ROOT));
            }
        }
        List<String> result = new ArrayList<>();
        result.add(name);
        result.addAll(columns);
        return result;
    }

    private interface MetaQuery<T> {
        T apply(DatabaseMetaData meta) throws SQLException;
    }

    private <T> T withMetaData(MetaQuery<T> query) throws SQLException {
        try (Connection c = persistence.access().dataSource().getConnection()) {
            return query.apply(c.getMetaData());
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
