package planted.pouw.application.service;

/** Breaks applicationDependsOnDomainOnly and databaseTypesStayInPersistence. */
public class JdbcService {
    java.sql.Statement statement;
}
