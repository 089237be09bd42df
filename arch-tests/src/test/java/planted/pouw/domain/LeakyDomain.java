package planted.pouw.domain;

/** Breaks domainDependsOnNothing, noFrameworkInCore and noGenericExceptions. */
public class LeakyDomain {
    java.sql.Connection connection;
    planted.pouw.application.service.JdbcService service;

    void fail() {
        throw new RuntimeException("generic");
    }
}
