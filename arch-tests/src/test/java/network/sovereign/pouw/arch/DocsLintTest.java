package network.sovereign.pouw.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lint of the operator documents (README.md, docs/*.md, packaging/README.md, bench/README.md), part of
 * {@code ./dev test}: every code fence is closed (an unclosed one renders the rest of the page inverted),
 * every relative link points at a file or directory that exists, and every {@code #anchor} at a heading
 * that exists (GitHub's slugs). In README.md and packaging/README.md no command runs a bare {@code java}:
 * where the default java is 17 that fails with UnsupportedClassVersionError ({@code ./dev run},
 * {@code ./dev demo} or the {@code pouw-node} launcher instead).
 */
class DocsLintTest {

    private static final Path ROOT = SourceConventionsTest.repoRoot();

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
    private static final Pattern INLINE_CODE = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
    private static final Pattern LINK = Pattern.compile("\\[(?:[^\\[\\]]|\\[[^\\]]*])*]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern BARE_JAVA = Pattern.compile("(^|[;&|(]\\s*|\\bsudo\\s+(?:-\\S+\\s+\\S+\\s+)*)(/usr/bin/)?java\\s+-");

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("packaging/README.md"),
                ROOT.resolve("bench/README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void the_documents_have_closed_fences_and_no_dead_relative_links() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path doc : documents()) {
            problems.addAll(problems(doc));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void no_command_in_the_readmes_runs_a_bare_java() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path doc : List.of(ROOT.resolve("README.md"), ROOT.resolve("packaging/README.md"))) {
            problems.addAll(bareJava(doc, Files.readString(doc)));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void the_lint_catches_planted_problems(@TempDir Path temp) throws IOException {
        Files.createDirectories(temp.resolve("docs"));
        Files.writeString(temp.resolve("docs/there.md"), "# A Heading, with `code`!\n\n## Twice\n\n## Twice\n");
        Path doc = temp.resolve("README.md");
        Files.writeString(doc, """
                # Title
                [ok](docs/there.md) [ok too](docs/there.md#a-heading-with-code) [dir](docs/) [web](https://example.com/x)
                [self](#title) [second](docs/there.md#twice-1) `[not a link](nowhere.md)`
                [dead](docs/missing.md) [bad anchor](docs/there.md#nope) [bad self](#nope)
                [ref]: docs/gone.md
                ```bash
                [in code](nowhere.md)
                java -jar pouw-node.jar serve
                ```
                ```bash
                echo the README's old dispute example: never closed
                ```bash
                echo next example
                ```
                ````markdown
                ```bash
                echo a fence shown inside a longer one is fine
                ```
                ````
                ~~~
                unclosed
                """);
        List<String> problems = problems(doc);
        assertEquals(6, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).contains("docs/missing.md"), problems.get(0));
        assertTrue(problems.get(1).contains("docs/there.md#nope"), problems.get(1));
        assertTrue(problems.get(2).contains("#nope"), problems.get(2));
        assertTrue(problems.get(3).contains("docs/gone.md"), problems.get(3));
        assertTrue(problems.get(4).contains(":12: opening fence ```bash inside the code block opened at line 10"), problems.get(4));
        assertTrue(problems.get(5).contains("never closed") && problems.get(5).contains(":20"), problems.get(5));
        List<String> java = bareJava(doc, Files.readString(doc));
        assertEquals(1, java.size(), String.join("\n", java));
        assertEquals(List.of(), bareJava(doc, "```\n./dev run admin blocked\npouw-node --which-java\n# java -jar is not used\n```\n"));
        assertEquals(1, bareJava(doc, "```\nsudo -u pouw java -jar x.jar\n```\n").size());
        assertEquals(1, bareJava(doc, "```\n./dev build && java -jar bench/target/pouw-bench.jar demo\n```\n").size());
    }

    /** The fence and link problems of one Markdown file, in line order (fences last). */
    static List<String> problems(Path doc) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(doc);
        String name = ROOT.relativize(doc.toAbsolutePath()).toString();
        if (!doc.toAbsolutePath().startsWith(ROOT)) {
            name = doc.getFileName().toString();
        }
        String fence = null;
        int fenceLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher f = FENCE.matcher(line);
            if (fence == null && f.matches() && !(f.group(1).charAt(0) == '`' && f.group(2).contains("`"))) {
                fence = f.group(1);
                fenceLine = i + 1;
                continue;
            }
            if (fence != null) {
                if (f.matches() && f.group(1).charAt(0) == fence.charAt(0) && f.group(1).length() >= fence.length()) {
                    if (f.group(2).isBlank()) {
                        fence = null;
                    } else {
                        // ```bash cannot close a block, so CommonMark keeps it as code: the block above lacks its closing fence
                        // (to show a fence inside a block, open the outer one with a longer fence).
                        problems.add(name + ":" + (i + 1) + ": opening fence " + f.group(1) + f.group(2).strip()
                                + " inside the code block opened at line " + fenceLine + ", which is not closed before it");
                    }
                }
                continue;
            }
            String text = INLINE_CODE.matcher(line).replaceAll("");
            List<String> targets = new ArrayList<>();
            Matcher ref = REFERENCE.matcher(text);
            if (ref.matches()) {
                targets.add(ref.group(1));
            } else {
                Matcher m = LINK.matcher(text);
                while (m.find()) {
                    targets.add(m.group(1));
                }
            }
            for (String target : targets) {
                String problem = checkTarget(doc, target);
                if (problem != null) {
                    problems.add(name + ":" + (i + 1) + ": " + problem + ": " + target);
                }
            }
        }
        if (fence != null) {
            problems.add(name + ":" + fenceLine + ": code fence " + fence + " opened here is never closed");
        }
        return problems;
    }

    private static String checkTarget(Path doc, String target) throws IOException {
        if (target.isEmpty() || SCHEME.matcher(target).find() || target.startsWith("//")) {
            return null;
        }
        int hash = target.indexOf('#');
        String file = hash >= 0 ? target.substring(0, hash) : target;
        String anchor = hash >= 0 ? target.substring(hash + 1) : null;
        Path resolved = file.isEmpty() ? doc : doc.toAbsolutePath().getParent().resolve(file.replace("%20", " ")).normalize();
        if (!Files.exists(resolved)) {
            return "dead link";
        }
        if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".md") && Files.isRegularFile(resolved)
                && !anchors(resolved).contains(anchor.toLowerCase(Locale.ROOT))) {
            return "no such heading";
        }
        return null;
    }

    /** GitHub's heading ids: lower case, punctuation but '-' and '_' dropped, spaces to '-', repeats get -1, -2 ... */
    static Set<String> anchors(Path doc) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        String fence = "";
        for (String line : Files.readAllLines(doc)) {
            Matcher f = FENCE.matcher(line);
            if (f.matches() && (!inFence || (f.group(1).charAt(0) == fence.charAt(0) && f.group(2).isBlank()))) {
                inFence = !inFence;
                fence = f.group(1);
                continue;
            }
            Matcher h = HEADING.matcher(line);
            if (inFence || !h.matches()) {
                continue;
            }
            String text = h.group(1).replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "");
            String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(n == 0 ? slug : slug + "-" + n);
        }
        return anchors;
    }

    /** Lines inside code fences that run java directly instead of ./dev or the launcher. */
    static List<String> bareJava(Path doc, String text) {
        List<String> problems = new ArrayList<>();
        boolean inFence = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (FENCE.matcher(lines[i]).matches()) {
                inFence = !inFence;
                continue;
            }
            String command = lines[i].strip();
            if (inFence && !command.startsWith("#") && BARE_JAVA.matcher(command).find()) {
                problems.add(doc.getFileName() + ":" + (i + 1) + ": runs a bare java (17 on many hosts); use ./dev run, ./dev demo or pouw-node: "
                        + command);
            }
        }
        return problems;
    }
}
