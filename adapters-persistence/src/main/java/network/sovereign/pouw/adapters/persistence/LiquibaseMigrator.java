package network.sovereign.pouw.adapters.persistence;

import java.io.OutputStream;
import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.CatalogAndSchema;
import liquibase.GlobalConfiguration;
import liquibase.Scope;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.changelog.visitor.DefaultChangeExecListener;
import liquibase.command.CommandResults;
import liquibase.command.CommandScope;
import liquibase.command.core.AbstractUpdateCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.core.H2Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/** Applies the changelog with Liquibase's command API. */
final class LiquibaseMigrator {

    /**
     * The changelog, as a class-path resource. Its folder is not a legal Java package name, so it is
     * not encapsulated by the module system and Liquibase finds it without an {@code opens}.
     */
    static final String CHANGELOG = "db-changelog/db.changelog-master.sql";

    private LiquibaseMigrator() {
    }

    /**
     * Brings the schema up to date; returns how many changesets were applied (0 when it already was).
     *
     * @throws Exception whatever Liquibase or the driver throws; the caller turns it into one line
     */
    static int migrate(DataSource dataSource) throws Exception {
        Map<String, Object> scope = Map.of(
                // Read the changelog through our module's class loader.
                Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor(LiquibaseMigrator.class.getClassLoader()),
                // Liquibase's update summary goes to its logger, not to stdout.
                Scope.Attr.ui.name(), new LoggerUIService(),
                // No anonymous usage reporting to liquibase.com from a production node.
                AnalyticsArgs.ENABLED.getKey(), Boolean.FALSE,
                // Minutes to wait while another node migrates (default 5): a lock left by a crashed
                // migration then fails start-up within a minute, naming the host that holds it.
                GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getKey(), 1L);
        try (Connection connection = dataSource.getConnection()) {
            JdbcConnection jdbc = new JdbcConnection(connection);
            Database detected = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(jdbc);
            Database target = detected instanceof H2Database ? new LowerCaseH2Database() : detected;
            if (target != detected) {
                target.setConnection(jdbc);
            }
            return Scope.child(scope, () -> {
                CommandResults results = new CommandScope(UpdateCommandStep.COMMAND_NAME)
                        .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, target)
                        .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
                        // The update summary is logged too; do not also print it on stdout.
                        .setOutput(OutputStream.nullOutputStream())
                        .execute();
                Object listener = results.getResult(AbstractUpdateCommandStep.DEFAULT_CHANGE_EXEC_LISTENER_RESULT_KEY);
                return listener instanceof DefaultChangeExecListener l ? l.getDeployedChangeSets().size() : 0;
            });
        }
    }

    /**
     * Liquibase's H2 support assumes H2 folds unquoted names to upper case: it creates
     * {@code DATABASECHANGELOG} (which our {@code DATABASE_TO_LOWER} H2 stores as
     * {@code databasechangelog}), then looks for the upper-case name, does not find it and fails to create
     * it again on the next run. This variant folds table and schema names to lower case, as the
     * database does.
     */
    private static final class LowerCaseH2Database extends H2Database {
        LowerCaseH2Database() {
            unquotedObjectsAreUppercased = Boolean.FALSE;
        }

        @Override
        public CatalogAndSchema.CatalogAndSchemaCase getSchemaAndCatalogCase() {
            return CatalogAndSchema.CatalogAndSchemaCase.LOWER_CASE;
        }
    }
}
