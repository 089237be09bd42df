package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.sovereign.pouw.bootstrap.config.NodeConfig;
import org.junit.jupiter.api.Test;

/** Keeps README.md's configuration table and the env example in step with the settings the node reads. */
class DocumentationTest {

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Test
    void readme_table_lists_exactly_the_settings_the_node_reads_with_their_defaults() throws IOException {
        String readme = Files.readString(repoRoot().resolve("README.md"));
        String table = readme.substring(readme.indexOf("<!-- settings-table:start -->"), readme.indexOf("<!-- settings-table:end -->"));
        Matcher row = Pattern.compile("^\\| `(POUW_[A-Z_]+)` \\| ([^|]*) \\|", Pattern.MULTILINE).matcher(table);
        Set<String> documented = new LinkedHashSet<>();
        while (row.find()) {
            String name = row.group(1);
            documented.add(name);
            String expected = NodeConfig.SETTINGS.get(name);
            String shown = row.group(2).strip();
            if (expected != null && !expected.isEmpty() && shown.startsWith("`")) {
                assertEquals("`" + expected + "`", shown, "README default of " + name);
            }
        }
        assertEquals(NodeConfig.SETTINGS.keySet(), documented);
    }

    @Test
    void env_example_mentions_every_setting() throws IOException {
        String example = Files.readString(repoRoot().resolve("packaging/pouw-node.env.example"));
        for (String name : NodeConfig.SETTINGS.keySet()) {
            if (!name.equals("POUW_CONFIG")) {
                assertTrue(example.contains("#" + name + "="), name);
            }
        }
    }
}
