package network.sovereign.pouw.arch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Proves that every rule can fail: each one is run against {@code planted.pouw}, a root holding one
 * planted violation per rule, and must report the class planted for it.
 */
class RulesCatchPlantedViolationsTest {

    private static final Map<String, String> PLANTED_CULPRIT = Map.ofEntries(
            Map.entry("domainDependsOnNothing", "planted.pouw.domain.LeakyDomain"),
            Map.entry("applicationDependsOnDomainOnly", "planted.pouw.application.service.JdbcService"),
            Map.entry("noFrameworkInCore", "planted.pouw.domain.LeakyDomain"),
            Map.entry("layers", "planted.pouw.adapters.persistence.JooqThing"),
            Map.entry("adaptersAreIndependent", "planted.pouw.adapters.web.SubmitReceiptUseCase"),
            Map.entry("noCycles", "planted.pouw.adapters.crypto"),
            Map.entry("useCasesAreInterfacesInPortIn", "planted.pouw.adapters.web.SubmitReceiptUseCase"),
            Map.entry("repositoriesAndStoresArePortOutInterfaces", "planted.pouw.application.OrderRepository"),
            Map.entry("servicesLiveInApplicationService", "planted.pouw.application.ChallengeService"),
            Map.entry("databaseTypesStayInPersistence", "planted.pouw.application.service.JdbcService"),
            Map.entry("httpOnlyInAdapters", "planted.pouw.adapters.crypto.Signer"),
            Map.entry("cryptoLibraryOnlyInCryptoAdapter", "planted.pouw.adapters.admin.EnvReader"),
            Map.entry("configurationIsReadOnlyInBootstrap", "planted.pouw.adapters.admin.EnvReader"),
            Map.entry("noGenericExceptions", "planted.pouw.domain.LeakyDomain"));

    @TestFactory
    Stream<DynamicTest> every_rule_fails_on_its_planted_violation() {
        JavaClasses planted = new ClassFileImporter().importPackages("planted.pouw");
        Map<String, ArchRule> rules = ArchitectureRules.all("planted.pouw");
        assertTrue(PLANTED_CULPRIT.keySet().containsAll(rules.keySet()), "every rule needs a planted violation");
        return rules.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            AssertionError failure = assertThrows(AssertionError.class, () -> e.getValue().check(planted));
            String culprit = PLANTED_CULPRIT.get(e.getKey());
            assertTrue(failure.getMessage().contains(culprit), e.getKey() + " failed, but not on " + culprit + ":\n" + failure.getMessage());
        }));
    }
}
