package network.sovereign.pouw.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The house rules of STYLE.md as ArchUnit rules over a root package, so the same rules check the
 * real code ({@code network.sovereign.pouw}) and the planted violations that prove they can fail.
 */
final class ArchitectureRules {

    /** Frameworks that must never appear in domain or application (STYLE.md rule 1). */
    static final List<String> FRAMEWORKS = List.of("io.helidon..", "org.jooq..", "java.sql..", "javax.sql..",
            "org.bouncycastle..", "com.google.protobuf..", "com.fasterxml..", "com.zaxxer..", "liquibase..",
            "org.postgresql..", "org.h2..", "io.github.resilience4j..", "io.micrometer..", "org.slf4j..");

    private ArchitectureRules() {
    }

    /** JDK packages outside java.base that the core must not touch (JPMS stops them too; this names them). */
    private static final String[] JDK_OUTSIDE_BASE = {"java.sql..", "java.util.logging..", "java.net.http..",
            "java.lang.management..", "java.rmi..", "java.awt..", "java.desktop..", "javax.."};

    /** Classes of java.base's java.* packages, or of the given packages. */
    private static DescribedPredicate<JavaClass> javaBaseOr(String... packages) {
        return resideInAPackage("java..").and(not(resideInAnyPackage(JDK_OUTSIDE_BASE))).or(resideInAnyPackage(packages))
                .as("java.base or " + String.join(", ", packages));
    }

    /** Rule 1: the domain depends on nothing but the JDK's java.* packages. */
    static ArchRule domainDependsOnNothing(String root) {
        return classes().that().resideInAPackage(root + ".domain..")
                .should().onlyDependOnClassesThat(javaBaseOr(root + ".domain.."))
                .because("the domain depends on nothing but java.base (STYLE.md rule 1)");
    }

    /** Rule 1: the application depends on the domain and the JDK only. */
    static ArchRule applicationDependsOnDomainOnly(String root) {
        return classes().that().resideInAPackage(root + ".application..")
                .should().onlyDependOnClassesThat(javaBaseOr(root + ".domain..", root + ".application.."))
                .because("application depends on domain only (STYLE.md rule 1)");
    }

    /** Rule 1, named: no framework type in the core, with a message that says which framework. */
    static ArchRule noFrameworkInCore(String root) {
        return noClasses().that().resideInAnyPackage(root + ".domain..", root + ".application..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS.toArray(String[]::new))
                .because("no Helidon, jOOQ, JDBC, BouncyCastle or protobuf type appears in domain or application");
    }

    /** Arrows point inward: adapters → application → domain; bootstrap → everything; nobody → bootstrap. */
    static ArchRule layers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Domain").definedBy(root + ".domain..")
                .layer("Application").definedBy(root + ".application..")
                .layer("Web").definedBy(root + ".adapters.web..")
                .layer("Persistence").definedBy(root + ".adapters.persistence..")
                .layer("Crypto").definedBy(root + ".adapters.crypto..")
                .layer("Admin").definedBy(root + ".adapters.admin..")
                .layer("Bootstrap").definedBy(root + ".bootstrap..")
                .whereLayer("Bootstrap").mayNotBeAccessedByAnyLayer()
                .whereLayer("Web").mayOnlyBeAccessedByLayers("Bootstrap")
                .whereLayer("Persistence").mayOnlyBeAccessedByLayers("Bootstrap")
                .whereLayer("Crypto").mayOnlyBeAccessedByLayers("Bootstrap")
                .whereLayer("Admin").mayOnlyBeAccessedByLayers("Bootstrap")
                .whereLayer("Application").mayOnlyBeAccessedByLayers("Web", "Persistence", "Crypto", "Admin", "Bootstrap")
                .whereLayer("Domain").mayOnlyBeAccessedByLayers("Application", "Web", "Persistence", "Crypto", "Admin", "Bootstrap")
                .ensureAllClassesAreContainedInArchitectureIgnoring(root + ".arch..")
                .because("dependency arrows point inward only; one composition root (STYLE.md)");
    }

    /** Adapters never import each other. */
    static ArchRule adaptersAreIndependent(String root) {
        return slices().matching(root + ".adapters.(*)..").should().notDependOnEachOther()
                .because("no adapter imports another adapter (STYLE.md)");
    }

    /** No package cycles anywhere in our code (jOOQ's generated schema classes refer to each other by design). */
    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles()
                .ignoreDependency(resideInAPackage(root + ".adapters.persistence.jooq.."), DescribedPredicate.alwaysTrue());
    }

    /** Ports live in application: driving ports in port.in, driven ports in port.out, both interfaces or values. */
    static ArchRule useCasesAreInterfacesInPortIn(String root) {
        return classes().that().haveSimpleNameEndingWith("UseCase").and().resideInAPackage(root + "..")
                .should().beInterfaces().andShould().resideInAPackage(root + ".application.port.in..")
                .because("use cases are driving ports: <Verb><Noun>UseCase interfaces in application.port.in (STYLE.md rule 6)");
    }

    /** Driven ports (repositories, stores) are interfaces in application.port.out. */
    static ArchRule repositoriesAndStoresArePortOutInterfaces(String root) {
        // ArchUnit joins that()-clauses left to right: (Repository or Store) and in application.
        return classes().that().haveSimpleNameEndingWith("Repository").or().haveSimpleNameEndingWith("Store")
                .and().resideInAPackage(root + ".application..")
                .should().beInterfaces().andShould().resideInAPackage(root + ".application.port.out..")
                .because("driven ports live in application.port.out and are named by capability (STYLE.md)");
    }

    /** Use-case implementations are services in application.service, named after their use case. */
    static ArchRule servicesLiveInApplicationService(String root) {
        return classes().that().resideInAPackage(root + ".application..").and().haveSimpleNameEndingWith("Service")
                .should().resideInAPackage(root + ".application.service..")
                .because("use-case implementations live in application.service (STYLE.md rule 6)");
    }

    /** Rule 3: no database exception type leaves the persistence adapter. */
    static ArchRule databaseTypesStayInPersistence(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".adapters.persistence..")
                .and().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "java.sql..", "javax.sql..",
                        "com.zaxxer..", "liquibase..", "org.postgresql..", "org.h2..")
                .because("driven adapters translate their failures; no DataAccessException or SQLException leaves adapters-persistence (STYLE.md rule 3)");
    }

    /** Rule 4: HTTP lives only in adapters (and the composition root that starts the server). */
    static ArchRule httpOnlyInAdapters(String root) {
        return noClasses().that().resideInAnyPackage(root + ".domain..", root + ".application..",
                        root + ".adapters.persistence..", root + ".adapters.crypto..")
                .should().dependOnClassesThat().resideInAnyPackage("io.helidon.http..", "io.helidon.webserver..")
                .because("HTTP status codes live only in the web and admin adapters (STYLE.md rule 4)");
    }

    /** BouncyCastle only in the crypto adapter. */
    static ArchRule cryptoLibraryOnlyInCryptoAdapter(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".adapters.crypto..").and().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
                .because("BouncyCastle is the crypto adapter's business");
    }

    /** Rule 5: no global configuration lookups outside the composition root. */
    static ArchRule configurationIsReadOnlyInBootstrap(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".bootstrap..").and().resideInAPackage(root + "..")
                .should().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getProperty", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class, String.class)
                .because("configuration is read once in bootstrap and handed over as settings records (STYLE.md rule 5)");
    }

    /** Rule 2: exceptions are for the unexpected; nobody throws bare RuntimeException/Exception. */
    static ArchRule noGenericExceptions(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .should(com.tngtech.archunit.library.GeneralCodingRules.THROW_GENERIC_EXCEPTIONS)
                .because("business outcomes are values; exceptions are specific (STYLE.md rule 2)");
    }

    /** Every rule, by name, for one root package. */
    static java.util.Map<String, ArchRule> all(String root) {
        java.util.Map<String, ArchRule> rules = new java.util.LinkedHashMap<>();
        rules.put("domainDependsOnNothing", domainDependsOnNothing(root));
        rules.put("applicationDependsOnDomainOnly", applicationDependsOnDomainOnly(root));
        rules.put("noFrameworkInCore", noFrameworkInCore(root));
        rules.put("layers", layers(root));
        rules.put("adaptersAreIndependent", adaptersAreIndependent(root));
        rules.put("noCycles", noCycles(root));
        rules.put("useCasesAreInterfacesInPortIn", useCasesAreInterfacesInPortIn(root));
        rules.put("repositoriesAndStoresArePortOutInterfaces", repositoriesAndStoresArePortOutInterfaces(root));
        rules.put("servicesLiveInApplicationService", servicesLiveInApplicationService(root));
        rules.put("databaseTypesStayInPersistence", databaseTypesStayInPersistence(root));
        rules.put("httpOnlyInAdapters", httpOnlyInAdapters(root));
        rules.put("cryptoLibraryOnlyInCryptoAdapter", cryptoLibraryOnlyInCryptoAdapter(root));
        rules.put("configurationIsReadOnlyInBootstrap", configurationIsReadOnlyInBootstrap(root));
        rules.put("noGenericExceptions", noGenericExceptions(root));
        return rules;
    }
}
