package network.sovereign.pouw.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the module descriptor of every production module on the test class path. */
class ModuleDescriptorTest {

    private static final Set<String> EXPECTED = Set.of(ModuleDescriptorRules.DOMAIN, ModuleDescriptorRules.APPLICATION,
            "network.sovereign.pouw.adapters.web", "network.sovereign.pouw.adapters.persistence",
            "network.sovereign.pouw.adapters.crypto", "network.sovereign.pouw.adapters.admin", ModuleDescriptorRules.BOOTSTRAP);

    private static final Map<String, ModuleDescriptor> modules = new TreeMap<>();

    @BeforeAll
    static void readDescriptors() throws IOException {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            ModuleDescriptor descriptor = read(path);
            if (descriptor != null && descriptor.name().startsWith(ModuleDescriptorRules.ROOT)) {
                modules.put(descriptor.name(), descriptor);
            }
        }
    }

    private static ModuleDescriptor read(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path info = path.resolve("module-info.class");
            if (!Files.exists(info)) {
                return null;
            }
            try (InputStream in = Files.newInputStream(info)) {
                return ModuleDescriptor.read(in);
            }
        }
        if (path.toString().endsWith(".jar") && Files.exists(path)) {
            try (JarFile jar = new JarFile(path.toFile())) {
                ZipEntry info = jar.getEntry("module-info.class");
                if (info == null) {
                    return null;
                }
                try (InputStream in = jar.getInputStream(info)) {
                    return ModuleDescriptor.read(in);
                }
            }
        }
        return null;
    }

    @Test
    void every_production_module_has_a_descriptor() {
        assertEquals(EXPECTED, modules.keySet());
    }

    @Test
    void descriptors_follow_the_house_rules() {
        List<String> problems = new ArrayList<>();
        modules.values().forEach(m -> problems.addAll(ModuleDescriptorRules.violations(m)));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void the_rules_catch_planted_descriptors() {
        ModuleDescriptor openDomain = ModuleDescriptor.newOpenModule(ModuleDescriptorRules.DOMAIN).requires("java.sql").build();
        assertEquals(2, ModuleDescriptorRules.violations(openDomain).size(), ModuleDescriptorRules.violations(openDomain).toString());

        ModuleDescriptor leakyAdapter = ModuleDescriptor.newModule("network.sovereign.pouw.adapters.persistence")
                .exports("network.sovereign.pouw.adapters.persistence")
                .exports("network.sovereign.pouw.adapters.persistence.jooq", Set.of(ModuleDescriptorRules.BOOTSTRAP))
                .opens("db.changelog")
                .requires("network.sovereign.pouw.adapters.web")
                .build();
        List<String> problems = ModuleDescriptorRules.violations(leakyAdapter);
        assertTrue(problems.stream().anyMatch(p -> p.contains("exports network.sovereign.pouw.adapters.persistence to everyone")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("generated jOOQ")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("opens db.changelog to everyone")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("adapters never depend on each other")), problems.toString());

        ModuleDescriptor greedyApplication = ModuleDescriptor.newModule(ModuleDescriptorRules.APPLICATION)
                .requires(ModuleDescriptorRules.DOMAIN).requires("io.helidon.webserver").build();
        assertEquals(1, ModuleDescriptorRules.violations(greedyApplication).size());

        ModuleDescriptor clean = ModuleDescriptor.newModule("network.sovereign.pouw.adapters.crypto")
                .exports("network.sovereign.pouw.adapters.crypto", Set.of(ModuleDescriptorRules.BOOTSTRAP))
                .opens("network.sovereign.pouw.adapters.crypto.x", Set.of("org.jooq"))
                .requires(ModuleDescriptorRules.APPLICATION).build();
        assertEquals(List.of(), ModuleDescriptorRules.violations(clean));
    }
}
