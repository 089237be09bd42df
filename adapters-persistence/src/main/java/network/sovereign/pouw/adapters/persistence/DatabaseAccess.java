package network.sovereign.pouw.adapters.persistence;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Objects;
import java.util.function.Function;
import network.sovereign.pouw.application.port.out.StoreUnavailableException;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * What every store of this module shares: the pool, the jOOQ context on top of it, and the one place
 * where database failures become port-level exceptions.
 */
final class DatabaseAccess {

    private final HikariDataSource dataSource;
    private final SQLDialect dialect;
    private final DSLContext dsl;
    private final OutageLog outages = new OutageLog(System::nanoTime);

    DatabaseAccess(HikariDataSource dataSource, SQLDialect dialect) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        // Generated names are lower case and unquoted names fold to lower case on both databases
        // (H2 runs with DATABASE_TO_LOWER), so rendering them unquoted keeps the SQL plain and portable.
        Settings settings = new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER);
        this.dsl = DSL.using(dataSource, dialect, settings);
    }

    /** The pool. */
    HikariDataSource dataSource() {
        return dataSource;
    }

    /** POSTGRES or H2. */
    SQLDialect dialect() {
        return dialect;
    }

    /** The jOOQ context (auto-commit per statement outside {@link #transaction}). */
    DSLContext dsl() {
        return dsl;
    }

    /**
     * Runs {@code work} and translates any database failure: outages become
     * {@link StoreUnavailableException} (the first of an outage logged at ERROR, see {@link OutageLog}),
     * anything else an {@link IllegalStateException}.
     *
     * @param operation a few words for the error message, e.g. "purge challenges"
     */
    <T> T call(String operation, Function<DSLContext, T> work) {
        T result;
        try {
            result = work.apply(dsl);
        } catch (DataAccessException e) {
            throw failure(operation, e);
        }
        outages.answered();
        return result;
    }

    /**
     * The port-level exception for a jOOQ failure: {@link StoreUnavailableException} when the pool is
     * closed or the database cannot answer, an {@link IllegalStateException} otherwise.
     */
    RuntimeException failure(String operation, DataAccessException e) {
        if (dataSource.isClosed()) {
            return new StoreUnavailableException("database pool is closed (" + operation + ")", e);
        }
        RuntimeException failure = SqlFailures.translate(operation, e);
        if (failure instanceof StoreUnavailableException) {
            outages.failed(failure.getMessage());
        }
        return failure;
    }

    /** The outage log of this pool (one ERROR when the database stops answering, one INFO when it is back). */
    OutageLog outages() {
        return outages;
    }

    /** Like {@link #call} but in one transaction, committed when {@code work} returns. */
    <T> T transaction(String operation, Function<DSLContext, T> work) {
        return call(operation, outer -> outer.transactionResult(tx -> work.apply(tx.dsl())));
    }
}
