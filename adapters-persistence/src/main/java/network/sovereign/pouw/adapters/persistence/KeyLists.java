package network.sovereign.pouw.adapters.persistence;

import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Lookups of many rows by key, written so that the database plans each one with the table as it is now.
 *
 * <p>With bind values, PostgreSQL plans a prepared {@code key IN ($1, ..., $n)} once per connection
 * after a few executions and keeps that generic plan until the table's statistics change. A node's
 * tables grow from nothing much faster than autovacuum analyses them, so the plan made while
 * {@code used_nonces} had a few pages was a sequential scan comparing every row with every key, and
 * stayed one: 70 ms for a batch of 50 nonces at 19,000 rows, the database's two cores busy with it
 * (measured with auto_explain, see docs/BENCHMARKS.md). Keys rendered as literals make every execution
 * a statement of its own, planned with the table's current size: an index probe per key. The keys are
 * bytes, rendered as hex literals by jOOQ, so nothing a client sends becomes SQL.
 *
 * <p>Planning costs the database a fraction of a millisecond per statement, which a list of
 * {@value #LITERAL_FROM} keys or more spreads over its receipts; shorter lists (a single receipt's
 * lookups, the most frequent statements) stay bound and prepared, where a stale plan costs a scan
 * per statement, not a scan times a comparison per key, until autovacuum analyses the table.
 */
final class KeyLists {

    /** Lists of this many keys or more are rendered as literals. */
    static final int LITERAL_FROM = 8;

    private KeyLists() {
    }

    /** {@code column IN (...)}: literals from {@value #LITERAL_FROM} keys on, else bind values; {@code keys} must not be empty. */
    static Condition in(Field<byte[]> column, List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no keys to look up");
        }
        if (keys.size() < LITERAL_FROM) {
            return column.in(keys);
        }
        return column.in(keys.stream().map(key -> DSL.inline(key, column)).toList());
    }
}
