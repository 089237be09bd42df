package network.sovereign.pouw.arch;

import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * STYLE.md rule 9, read from the compiled {@code module-info.class} files (ArchUnit does not read them):
 * no open modules and no unqualified {@code opens}; adapters export only to bootstrap; generated jOOQ
 * code is never exported; domain requires nothing, application only the domain; adapters never
 * require each other.
 */
final class ModuleDescriptorRules {

    static final String ROOT = "network.sovereign.pouw";
    static final String DOMAIN = ROOT + ".domain";
    static final String APPLICATION = ROOT + ".application";
    static final String BOOTSTRAP = ROOT + ".bootstrap";
    static final String ADAPTERS = ROOT + ".adapters.";

    private ModuleDescriptorRules() {
    }

    /** Every violation in one module descriptor, as readable sentences; empty when it is clean. */
    static List<String> violations(ModuleDescriptor module) {
        List<String> problems = new ArrayList<>();
        String name = module.name();
        if (module.isOpen()) {
            problems.add(name + " is an open module: open packages one by one, qualified");
        }
        for (ModuleDescriptor.Opens opens : module.opens()) {
            if (!opens.isQualified()) {
                problems.add(name + " opens " + opens.source() + " to everyone: qualify it (opens ... to <module>)");
            }
        }
        for (ModuleDescriptor.Exports exports : module.exports()) {
            if (exports.source().contains(".jooq")) {
                problems.add(name + " exports generated jOOQ package " + exports.source());
            }
            if (name.startsWith(ADAPTERS) && (!exports.isQualified() || !exports.targets().equals(Set.of(BOOTSTRAP)))) {
                problems.add(name + " exports " + exports.source() + (exports.isQualified() ? " to " + exports.targets() : " to everyone")
                        + ": adapters export only to " + BOOTSTRAP);
            }
        }
        for (ModuleDescriptor.Requires requires : module.requires()) {
            String target = requires.name();
            if (name.equals(DOMAIN) && !target.equals("java.base")) {
                problems.add(name + " requires " + target + ": the domain depends on nothing");
            }
            if (name.equals(APPLICATION) && !target.equals("java.base") && !target.equals(DOMAIN)) {
                problems.add(name + " requires " + target + ": application depends on the domain only");
            }
            if (name.startsWith(ADAPTERS) && target.startsWith(ADAPTERS)) {
                problems.add(name + " requires " + target + ": adapters never depend on each other");
            }
            if (!name.equals(BOOTSTRAP) && target.equals(BOOTSTRAP)) {
                problems.add(name + " requires " + target + ": nothing depends on the composition root");
            }
        }
        return problems;
    }
}
