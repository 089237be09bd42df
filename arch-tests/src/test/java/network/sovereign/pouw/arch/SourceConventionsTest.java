package network.sovereign.pouw.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md rule 7, checked on the sources: every public top-level type has a Javadoc sentence, every
 * exported package a {@code package-info.java}, and every {@code opens} line of a module descriptor a
 * {@code //} reason.
 */
class SourceConventionsTest {

    static final List<String> MODULES = List.of("domain", "application", "adapters-web", "adapters-persistence",
            "adapters-crypto", "adapters-admin", "bootstrap");

    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|static)\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)",
            Pattern.MULTILINE);

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("arch-tests"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** The problems in one source file's text (empty when it follows the convention). */
    static List<String> javadocProblems(String fileName, String source) {
        List<String> problems = new ArrayList<>();
        Matcher type = PUBLIC_TYPE.matcher(source);
        if (type.find()) {
            String before = source.substring(0, type.start());
            // Skip annotations between the Javadoc and the declaration.
            String trimmed = before.replaceAll("(?s)(\\s*@\\w+(\\([^)]*\\))?\\s*)+$", "").stripTrailing();
            int commentStart = trimmed.lastIndexOf("/*");
            if (!trimmed.endsWith("*/") || commentStart < 0 || !trimmed.startsWith("/**", commentStart)) {
                problems.add(fileName + ": public type " + type.group(1) + " has no Javadoc");
            }
        }
        return problems;
    }

    @Test
    void every_public_type_has_javadoc() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String module : MODULES) {
            Path src = repoRoot().resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(src)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String name = file.getFileName().toString();
                    if (!name.equals("module-info.java") && !name.equals("package-info.java")) {
                        problems.addAll(javadocProblems(repoRoot().relativize(file).toString(), Files.readString(file)));
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void exported_packages_have_package_info_and_opens_lines_have_reasons() throws IOException {
        List<String> problems = new ArrayList<>();
        Pattern exports = Pattern.compile("^\\s*exports\\s+([\\w.]+)", Pattern.MULTILINE);
        for (String module : MODULES) {
            Path src = repoRoot().resolve(module).resolve("src/main/java");
            Path descriptor = src.resolve("module-info.java");
            if (!Files.exists(descriptor)) {
                problems.add(module + " has no module-info.java");
                continue;
            }
            String text = Files.readString(descriptor);
            Matcher m = exports.matcher(text);
            while (m.find()) {
                Path packageInfo = src.resolve(m.group(1).replace('.', '/')).resolve("package-info.java");
                if (!Files.exists(packageInfo)) {
                    problems.add(module + " exports " + m.group(1) + " without a package-info.java");
                }
            }
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.startsWith("opens ") && !line.contains("//") && (i == 0 || !lines[i - 1].strip().startsWith("//"))) {
                    problems.add(module + " module-info: '" + line + "' needs a // reason");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void the_javadoc_check_can_fail() {
        assertTrue(javadocProblems("A.java", "package x;\nimport y;\npublic final class A {}").size() == 1);
        assertTrue(javadocProblems("B.java", "package x;\n/** Doc. */\nimport y;\npublic class B {}").size() == 1);
        assertTrue(javadocProblems("C.java", "package x;\n/** Does C; really. */\n@Deprecated\npublic record C() {}").isEmpty());
        assertTrue(javadocProblems("D.java", "package x;\n/** Doc. */\nimport y;\n/* not javadoc */\npublic class D {}").size() == 1);
    }
}
