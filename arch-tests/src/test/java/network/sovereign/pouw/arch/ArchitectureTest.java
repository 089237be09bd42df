package network.sovereign.pouw.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Checks every house rule against the production classes of every module. */
class ArchitectureTest {

    static final String ROOT = "network.sovereign.pouw";

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void every_module_was_imported() {
        for (String pkg : new String[] {"domain", "application.port.in", "application.port.out", "application.service",
                "adapters.web", "adapters.persistence", "adapters.crypto", "adapters.admin", "bootstrap"}) {
            if (production.stream().noneMatch(c -> c.getPackageName().startsWith(ROOT + "." + pkg))) {
                throw new AssertionError("no production class found in " + ROOT + "." + pkg + ": the rules would check nothing");
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> house_rules_hold() {
        Map<String, ArchRule> rules = ArchitectureRules.all(ROOT);
        return rules.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> e.getValue().check(production)));
    }
}
