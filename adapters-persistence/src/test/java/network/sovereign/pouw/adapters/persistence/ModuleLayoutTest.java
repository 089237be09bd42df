package network.sovereign.pouw.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * These tests run on the module path, as production does, so the module system's traps (Liquibase
 * finding the changelog, jOOQ reading generated records) show up here; and the descriptor exposes
 * nothing but the entry point.
 */
class ModuleLayoutTest {

    private static final String MODULE = "network.sovereign.pouw.adapters.persistence";

    @Test
    void tests_run_inside_the_named_module_with_liquibase_as_an_automatic_module() {
        assertEquals(MODULE, Persistence.class.getModule().getName());
        assertEquals(MODULE, getClass().getModule().getName(), "tests are patched into the module");
        Module liquibase = liquibase.Scope.class.getModule();
        assertEquals("liquibase.core", liquibase.getName());
        assertTrue(liquibase.getDescriptor().isAutomatic());
    }

    @Test
    void only_the_entry_point_is_exported_and_only_to_the_composition_root() {
        ModuleDescriptor descriptor = Persistence.class.getModule().getDescriptor();

        assertEquals(Set.of(MODULE + " -> [network.sovereign.pouw.bootstrap]"), descriptor.exports().stream()
                .map(e -> e.source() + " -> " + e.targets()).collect(Collectors.toSet()));
        assertEquals(Set.of(MODULE + ".jooq.tables.records -> [org.jooq]"), descriptor.opens().stream()
                .map(o -> o.source() + " -> " + o.targets()).collect(Collectors.toSet()));
    }
}
