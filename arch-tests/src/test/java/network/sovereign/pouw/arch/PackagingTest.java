package network.sovereign.pouw.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static network.sovereign.pouw.arch.Processes.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.sovereign.pouw.arch.Processes.Result;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the operator files under {@code packaging/}: the alert rules with promtool, the systemd unit
 * with {@code systemd-analyze verify} (and by content), {@code install.sh} in a scratch root, and the
 * Grafana dashboard against the metric catalogue of docs/SPEC.md §10.
 *
 * <p>promtool comes from {@code ./dev test} ({@code .tools/bin}, also looked up here); without it the
 * promtool checks are skipped, except under {@code CI=true} where they fail.
 */
class PackagingTest {

    private static final Path ROOT = SourceConventionsTest.repoRoot();
    private static final Path PACKAGING = ROOT.resolve("packaging");
    private static final Path UNIT = PACKAGING.resolve("systemd/pouw-node.service");

    // ---------------------------------------------------------------- (a) Prometheus alert rules

    @Test
    void promtool_accepts_the_alert_rules_and_their_unit_tests_pass() throws Exception {
        Path promtool = tool("promtool", true);
        Path dir = PACKAGING.resolve("prometheus");
        Result check = run(dir, Map.of(), promtool.toString(), "check", "rules", "pouw-alerts.yml");
        assertEquals(0, check.code(), "promtool check rules:\n" + check.output());
        Result test = run(dir, Map.of(), promtool.toString(), "test", "rules", "pouw-alerts.test.yml");
        assertEquals(0, test.code(), "promtool test rules:\n" + test.output());
        Result config = run(dir, Map.of(), promtool.toString(), "check", "config", "prometheus.example.yml");
        assertEquals(0, config.code(), "promtool check config:\n" + config.output());
    }

    @Test
    void every_runbook_alert_has_a_rule_with_severity_summary_runbook_pointer_and_a_unit_test() throws IOException {
        String rules = Files.readString(PACKAGING.resolve("prometheus/pouw-alerts.yml"));
        String tests = Files.readString(PACKAGING.resolve("prometheus/pouw-alerts.test.yml"));
        Map<String, String> required = new LinkedHashMap<>();
        required.put("PouwHighRejectionRate", "pouw_receipts_rejected_total");
        required.put("PouwRateLimitStorm", "pouw_rate_limit_denials_total");
        required.put("PouwSignatureVerificationSlow", "pouw_signature_verification_seconds_bucket");
        required.put("PouwNodeDown", "up{job=\"pouw-node\"}");
        required.put("PouwDatabasePoolExhausted", "pouw_db_pool_pending_threads");
        required.put("PouwDisputeSpike", "pouw_disputes_opened_total");
        String[] blocks = rules.split("- alert: ");
        List<String> problems = new ArrayList<>();
        for (var entry : required.entrySet()) {
            Optional<String> block = List.of(blocks).stream().filter(b -> b.startsWith(entry.getKey() + "\n")).findFirst();
            if (block.isEmpty()) {
                problems.add("no alert " + entry.getKey());
                continue;
            }
            String b = block.get();
            for (String needle : List.of(entry.getValue(), "severity:", "summary:", "description:", "docs/RUNBOOK.md")) {
                if (!b.contains(needle)) {
                    problems.add(entry.getKey() + " lacks " + needle);
                }
            }
            // one test case where it fires (exp_labels) and one where it must not (exp_alerts: [])
            Matcher m = Pattern.compile("alertname: " + entry.getKey() + "\\n\\s*exp_alerts:(.*)").matcher(tests);
            boolean fires = false;
            boolean quiet = false;
            while (m.find()) {
                if (m.group(1).strip().startsWith("[]")) {
                    quiet = true;
                } else {
                    fires = true;
                }
            }
            if (!fires || !quiet) {
                problems.add(entry.getKey() + " needs a firing and a non-firing case in pouw-alerts.test.yml");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * An alert on {@code histogram_quantile(q, ...X_bucket...) > T} can only fire when T is strictly below X's largest
     * finite bucket: with every observation in {@code +Inf} the quantile reads as that bound. Checked against a scrape
     * of the node's own registry, so a bucket list that stops at or below a threshold fails the build.
     */
    @Test
    void every_histogram_alert_threshold_is_below_the_largest_bucket_the_node_exports() throws IOException {
        Map<String, Map<String, List<String>>> buckets = nodeBuckets();
        assertTrue(buckets.containsKey("pouw_signature_verification_seconds"), "the scrape has no signature histogram: " + buckets.keySet());
        String rules = Files.readString(PACKAGING.resolve("prometheus/pouw-alerts.yml"));
        Matcher m = HISTOGRAM_ALERT.matcher(rules);
        List<String> problems = new ArrayList<>();
        int alerts = 0;
        while (m.find()) {
            alerts++;
            String metric = m.group(1);
            double threshold = Double.parseDouble(m.group(2));
            Map<String, List<String>> series = buckets.get(metric);
            if (series == null) {
                problems.add("an alert reads " + metric + "_bucket, which the node does not export");
                continue;
            }
            series.forEach((labels, les) -> {
                double largest = les.stream().filter(le -> !le.equals("+Inf")).mapToDouble(Double::parseDouble).max().orElse(0);
                if (!(threshold < largest)) {
                    problems.add(metric + "{" + labels + "}: alert threshold " + threshold + " is not below the largest finite bucket "
                            + largest + ", so the alert can never fire");
                }
            });
        }
        assertTrue(alerts >= 1, "no histogram_quantile alert found in pouw-alerts.yml");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The promtool tests of histogram alerts must be fed exactly the buckets the node exports, not made-up ones. */
    @Test
    void the_alert_unit_tests_use_the_node_s_real_bucket_bounds() throws IOException {
        Map<String, Map<String, List<String>>> buckets = nodeBuckets();
        String tests = Files.readString(PACKAGING.resolve("prometheus/pouw-alerts.test.yml"));
        Matcher m = Pattern.compile("series: '([a-z_]+)_bucket\\{([^}]*)}'").matcher(tests);
        Map<String, Set<String>> fed = new LinkedHashMap<>();
        while (m.find()) {
            Map<String, String> labels = labels(m.group(2));
            String scheme = labels.getOrDefault("scheme", "");
            fed.computeIfAbsent(m.group(1) + " scheme=" + scheme, k -> new TreeSet<>()).add(labels.get("le"));
        }
        assertFalse(fed.isEmpty(), "pouw-alerts.test.yml feeds no histogram");
        List<String> problems = new ArrayList<>();
        fed.forEach((key, les) -> {
            String metric = key.substring(0, key.indexOf(' '));
            Map<String, List<String>> series = buckets.get(metric);
            if (series == null) {
                problems.add(key + ": the node exports no such histogram");
                return;
            }
            String scheme = key.substring(key.indexOf('=') + 1);
            Optional<List<String>> real = series.entrySet().stream()
                    .filter(e -> labels(e.getKey()).getOrDefault("scheme", "").equals(scheme)).map(Map.Entry::getValue).findFirst();
            if (real.isEmpty()) {
                problems.add(key + ": the node exports no series with scheme " + scheme);
            } else if (!new TreeSet<>(real.get()).equals(les)) {
                problems.add(key + ": fed le " + les + ", the node exports " + new TreeSet<>(real.get()));
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void the_histogram_alert_pattern_can_fail() {
        Matcher m = HISTOGRAM_ALERT.matcher("expr: |\n  histogram_quantile(0.99,\n    sum by (le, scheme) (rate(x_seconds_bucket[5m]))) > 0.05\n");
        assertTrue(m.find());
        assertEquals("x_seconds", m.group(1));
        assertEquals("0.05", m.group(2));
        assertEquals(Map.of("scheme", "ed25519", "le", "+Inf"), labels("scheme=\"ed25519\",le=\"+Inf\""));
    }

    private static final Pattern HISTOGRAM_ALERT = Pattern.compile(
            "histogram_quantile\\(\\s*[0-9.]+\\s*,.*?\\b([a-z_:][a-z0-9_:]*)_bucket\\b.*?\\)\\s*>\\s*([0-9.eE+-]+)", Pattern.DOTALL);

    /** Histogram name -> (its labels but le -> the le values in exposition order), from a scrape of the node's registry. */
    private static Map<String, Map<String, List<String>>> nodeBuckets() {
        String scrape = new network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics("packaging-test").scrape();
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^([a-z_:][a-z0-9_:]*)_bucket\\{([^}]*)}").matcher(scrape);
        while (m.find()) {
            Map<String, String> labels = new TreeMap<>(labels(m.group(2)));
            String le = labels.remove("le");
            out.computeIfAbsent(m.group(1), k -> new TreeMap<>()).computeIfAbsent(labels.entrySet().stream()
                    .map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(java.util.stream.Collectors.joining(",")), k -> new ArrayList<>()).add(le);
        }
        return out;
    }

    /** {@code a="x",b="y"} as a map (values without escapes, as the node and the test file write them). */
    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"").matcher(text);
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        return labels;
    }

    // ---------------------------------------------------------------- (b) systemd unit

    @Test
    void the_unit_has_the_settings_the_node_relies_on() throws IOException {
        Map<String, List<String>> keys = unitKeys(Files.readString(UNIT));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("Type", "notify");
        expected.put("NotifyAccess", "main");
        // The node sends WATCHDOG=1 only while its API socket answers its loopback probe.
        expected.put("WatchdogSec", "60");
        expected.put("User", "pouw");
        expected.put("Group", "pouw");
        expected.put("WorkingDirectory", "/var/lib/pouw");
        expected.put("EnvironmentFile", "-/etc/pouw/pouw-node.env");
        // The launcher (packaging/pouw-node) finds a Java 25 or says there is none, then execs java -jar.
        expected.put("ExecStart", "/usr/local/bin/pouw-node serve");
        // Synchronous reload on systemd 252 (no Type=notify-reload): the admin CLI returns once the node has reloaded.
        expected.put("ExecReload", "/usr/bin/env -u JAVA_TOOL_OPTIONS \"POUW_JVM_OPTS=-Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC\" "
                + "/usr/local/bin/pouw-node admin reload");
        expected.put("KillSignal", "SIGTERM");
        expected.put("SuccessExitStatus", "143");
        expected.put("Restart", "on-failure");
        expected.put("RestartSec", "5");
        expected.put("StateDirectory", "pouw");
        expected.put("LogsDirectory", "pouw");
        expected.put("SyslogIdentifier", "pouw-node");
        expected.put("LimitNOFILE", "65536");
        expected.put("NoNewPrivileges", "yes");
        expected.put("ProtectSystem", "strict");
        expected.put("ReadWritePaths", "/var/lib/pouw /var/log/pouw");
        expected.put("ProtectHome", "yes");
        expected.put("PrivateTmp", "yes");
        expected.put("PrivateDevices", "yes");
        expected.put("ProtectKernelTunables", "yes");
        expected.put("ProtectKernelModules", "yes");
        expected.put("ProtectKernelLogs", "yes");
        expected.put("ProtectControlGroups", "yes");
        expected.put("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX");
        expected.put("RestrictNamespaces", "yes");
        expected.put("LockPersonality", "yes");
        expected.put("CapabilityBoundingSet", "");
        expected.put("SystemCallArchitectures", "native");
        expected.put("SystemCallErrorNumber", "EPERM");
        expected.put("ProtectProc", "invisible");
        expected.put("ProcSubset", "pid");
        expected.put("PrivateMounts", "yes");
        expected.put("RemoveIPC", "yes");
        expected.put("DevicePolicy", "closed");
        expected.put("UMask", "0077");
        List<String> problems = new ArrayList<>();
        // The allow-list, then what is taken out of it (two assignments, in this order).
        List<String> filters = keys.getOrDefault("SystemCallFilter", List.of());
        if (!filters.equals(List.of("@system-service", "~@privileged @resources"))) {
            problems.add("SystemCallFilter=@system-service then SystemCallFilter=~@privileged @resources expected, found " + filters);
        }
        expected.forEach((key, value) -> {
            List<String> values = keys.getOrDefault(key, List.of());
            if (!values.equals(List.of(value))) {
                problems.add(key + "=" + value + " expected, found " + values);
            }
        });
        // The JIT needs W+X memory; exit 78 (database unreachable at start) must be retried.
        for (String forbidden : List.of("MemoryDenyWriteExecute", "RestartPreventExitStatus")) {
            if (keys.containsKey(forbidden)) {
                problems.add(forbidden + " must not be set");
            }
        }
        int startTimeout = Integer.parseInt(keys.getOrDefault("TimeoutStartSec", List.of("0")).getFirst());
        if (startTimeout < 120 || startTimeout > 900) {
            problems.add("TimeoutStartSec must leave room for the database wait and Liquibase (120..900 s), found " + startTimeout);
        }
        int stopTimeout = Integer.parseInt(keys.getOrDefault("TimeoutStopSec", List.of("0")).getFirst());
        if (stopTimeout <= 20 || stopTimeout > 60) {
            problems.add("TimeoutStopSec should be a bit above POUW_SHUTDOWN_GRACE_SECS (20), found " + stopTimeout);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void systemd_analyze_verify_accepts_the_unit(@TempDir Path temp) throws Exception {
        Path analyze = tool("systemd-analyze", false);
        String unit = Files.readString(UNIT);
        if (!Files.isExecutable(Path.of("/usr/local/bin/pouw-node"))) {
            // verify checks that the executables exist; where the launcher is not installed use the repository's.
            unit = unit.replace("/usr/local/bin/pouw-node ", PACKAGING.resolve("pouw-node") + " ");
        }
        Path copy = temp.resolve("pouw-node.service");
        Files.writeString(copy, unit);
        Result verify = run(temp, Map.of("SYSTEMD_LOG_COLOR", "0"), analyze.toString(), "verify", "--man=no", copy.toString());
        assertEquals(0, verify.code(), "systemd-analyze verify:\n" + verify.output());
        // Unknown keys are only warnings (exit 0): any line about our unit is a problem.
        assertFalse(verify.output().contains("pouw-node.service"), "systemd-analyze verify warned:\n" + verify.output());
    }

    /**
     * Opt-in ({@code POUW_SYSTEMD_TESTS=1}, as root on a host booted with systemd): runs the JVM, and the
     * node jar's {@code version} and {@code check-config} when it is built, in a transient unit with the
     * unit's sandboxing and system-call settings, so a filter that kills or breaks the JVM fails here.
     */
    @Test
    void the_jvm_runs_under_the_unit_s_system_call_filter_and_sandbox(@TempDir Path temp) throws Exception {
        Assumptions.assumeTrue("1".equals(System.getenv("POUW_SYSTEMD_TESTS")),
                "opt-in: set POUW_SYSTEMD_TESTS=1 (as root, on a host booted with systemd) to run the JVM under the unit's filters");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/run/systemd/system")),
                "systemd is not PID 1 here (a container?): systemd-run cannot start a transient unit");
        Path systemdRun = tool("systemd-run", false);
        Map<String, List<String>> keys = unitKeys(Files.readString(UNIT));
        List<String> properties = new ArrayList<>();
        for (String key : List.of("NoNewPrivileges", "SystemCallArchitectures", "SystemCallFilter", "SystemCallErrorNumber",
                "ProtectProc", "ProcSubset", "PrivateMounts", "RemoveIPC", "DevicePolicy", "UMask", "PrivateDevices",
                "PrivateTmp", "ProtectSystem", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
                "ProtectControlGroups", "ProtectClock", "ProtectHostname", "RestrictAddressFamilies", "RestrictNamespaces",
                "RestrictRealtime", "RestrictSUIDSGID", "LockPersonality", "CapabilityBoundingSet")) {
            for (String value : keys.getOrDefault(key, List.of())) {
                properties.add("-p");
                properties.add(key + "=" + value);
            }
        }
        assertTrue(properties.contains("SystemCallFilter=~@privileged @resources"), "the unit's filter is passed on: " + properties);
        for (List<String> command : jvmCommands()) {
            List<String> argv = new ArrayList<>(List.of(systemdRun.toString(), "--wait", "--pipe", "--collect", "--quiet",
                    "-p", "Environment=POUW_DATA_DIR=/tmp"));
            argv.addAll(properties);
            argv.addAll(command);
            Result r = run(temp, Map.of(), argv.toArray(String[]::new));
            assertEquals(0, r.code(), String.join(" ", command) + " under the unit's filters:\n" + r.output());
        }
    }

    /**
     * Where systemd cannot start a unit (this kind of machine, a container): the unit's system-call filter,
     * applied with seccomp by tools/seccomp/run-filtered.sh, lets the JVM (and the node jar, when built)
     * run, and really refuses what it takes away ({@code nice} needs setpriority, in {@code @resources}).
     */
    @Test
    void the_jvm_runs_under_the_unit_s_system_call_filter_applied_with_seccomp(@TempDir Path temp) throws Exception {
        Path sh = tool("sh", false);
        for (String needed : List.of("cc", "systemd-analyze", "python3")) {
            tool(needed, true);
        }
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libseccomp.so.2"))
                || Files.exists(Path.of("/lib/x86_64-linux-gnu/libseccomp.so.2")), "libseccomp.so.2 not found; skipping");
        String script = ROOT.resolve("tools/seccomp/run-filtered.sh").toString();
        for (List<String> command : jvmCommands()) {
            List<String> argv = new ArrayList<>(List.of(sh.toString(), script));
            argv.addAll(command);
            Result r = run(temp, Map.of("POUW_DATA_DIR", temp.resolve("data").toString()), argv.toArray(String[]::new));
            assertEquals(0, r.code(), String.join(" ", command) + " under the unit's system-call filter:\n" + r.output());
        }
        Result refused = run(temp, Map.of(), sh.toString(), script, "nice", "-n", "5", "true");
        assertTrue(refused.code() != 0, "nice (setpriority, @resources) must be refused under the filter:\n" + refused.output());
    }

    /** What the filter tests run: this JVM's {@code -version}, and the node jar's {@code version} and {@code check-config} when built. */
    private static List<List<String>> jvmCommands() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of(java, "-version"));
        Path jar = ROOT.resolve("bootstrap/target/pouw-node.jar");
        if (Files.isRegularFile(jar)) {
            commands.add(List.of(java, "-jar", jar.toString(), "version"));
            commands.add(List.of(java, "-jar", jar.toString(), "check-config"));
        }
        return commands;
    }

    @Test
    void logrotate_rotates_the_log_directory_daily_with_copytruncate() throws IOException {
        String conf = Files.readString(PACKAGING.resolve("logrotate/pouw-node"));
        for (String directive : List.of("/var/log/pouw/*.log {", "su pouw pouw", "daily", "rotate 14", "compress",
                "delaycompress", "missingok", "notifempty", "copytruncate", "create 0640 pouw pouw")) {
            assertTrue(conf.lines().map(String::strip).anyMatch(l -> l.equals(directive)), "logrotate lacks: " + directive);
        }
    }

    // ---------------------------------------------------------------- (c) install.sh

    @Test
    void install_sh_lays_out_releases_flips_current_keeps_previous_and_the_env_file(@TempDir Path temp) throws Exception {
        Path bash = tool("bash", false);
        Path root = temp.resolve("root");
        Path jar1 = Files.write(temp.resolve("one.jar"), "jar one".getBytes(StandardCharsets.UTF_8));
        Path jar2 = Files.write(temp.resolve("two.jar"), "jar two".getBytes(StandardCharsets.UTF_8));
        Path jar3 = Files.write(temp.resolve("three.jar"), "jar three".getBytes(StandardCharsets.UTF_8));
        // Commands that need root or a running systemd must not be called under --root: stub them to record a call.
        Path stubs = Files.createDirectories(temp.resolve("stubs"));
        Path called = temp.resolve("called");
        for (String cmd : List.of("useradd", "groupadd", "chown", "systemctl")) {
            Path stub = stubs.resolve(cmd);
            Files.writeString(stub, "#!/bin/sh\necho " + cmd + " >> '" + called + "'\nexit 1\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // install.sh checks for a Java 25 through the launcher: this JVM is one.
        Map<String, String> env = Map.of("PATH", stubs + File.pathSeparator + System.getenv("PATH"),
                "JAVA_HOME", System.getProperty("java.home"));
        String script = PACKAGING.resolve("install.sh").toString();

        Result first = run(temp, env, bash.toString(), script, "--root", root.toString(), "--no-systemctl", jar1.toString(), "1.0.0");
        assertEquals(0, first.code(), first.output());
        Path envFile = root.resolve("etc/pouw/pouw-node.env");
        assertEquals(Files.readString(PACKAGING.resolve("pouw-node.env.example")), Files.readString(envFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)));
        Files.writeString(envFile, "POUW_DATABASE_URL=postgres://pouw:secret@db:5432/pouw\n");

        Result again = run(temp, env, bash.toString(), script, "--root", root.toString(), "--no-systemctl", jar1.toString(), "1.0.0");
        assertEquals(0, again.code(), again.output());
        assertFalse(Files.exists(root.resolve("opt/pouw/releases/previous")), "re-installing the same version made a previous link");

        Result second = run(temp, env, bash.toString(), script, "--root", root.toString(), "--no-systemctl", jar2.toString(), "2.0.0");
        assertEquals(0, second.code(), second.output());

        Path releases = root.resolve("opt/pouw/releases");
        assertArrayEquals(Files.readAllBytes(jar1), Files.readAllBytes(releases.resolve("1.0.0/pouw-node.jar")));
        assertArrayEquals(Files.readAllBytes(jar2), Files.readAllBytes(releases.resolve("2.0.0/pouw-node.jar")));
        Path current = root.resolve("opt/pouw/current");
        Path previous = releases.resolve("previous");
        assertTrue(Files.isSymbolicLink(current), "current is not a symlink");
        assertTrue(Files.isSymbolicLink(previous), "releases/previous is not a symlink");
        assertEquals(releases.resolve("2.0.0").toRealPath(), current.toRealPath());
        assertEquals(releases.resolve("1.0.0").toRealPath(), previous.toRealPath());
        assertArrayEquals(Files.readAllBytes(jar2), Files.readAllBytes(current.resolve("pouw-node.jar")));

        assertEquals("POUW_DATABASE_URL=postgres://pouw:secret@db:5432/pouw\n", Files.readString(envFile), "env file overwritten");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)));
        assertEquals(Files.readString(UNIT), Files.readString(root.resolve("etc/systemd/system/pouw-node.service")));
        Path launcher = root.resolve("usr/local/bin/pouw-node");
        assertEquals(Files.readString(PACKAGING.resolve("pouw-node")), Files.readString(launcher));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher)));
        assertEquals(Files.readString(PACKAGING.resolve("logrotate/pouw-node")), Files.readString(root.resolve("etc/logrotate.d/pouw-node")));
        assertTrue(Files.isDirectory(root.resolve("var/lib/pouw")) && Files.isDirectory(root.resolve("var/log/pouw")));

        // The runbook's rollback (ln -sfn /opt/pouw/releases/previous /opt/pouw/current), inside the scratch root.
        Files.delete(current);
        Files.createSymbolicLink(current, previous);
        assertArrayEquals(Files.readAllBytes(jar1), Files.readAllBytes(current.resolve("pouw-node.jar")));
        // Installing after a rollback: previous is the release that was running (1.0.0).
        Result third = run(temp, env, bash.toString(), script, "--root", root.toString(), jar3.toString(), "3.0.0");
        assertEquals(0, third.code(), third.output());
        assertEquals(releases.resolve("3.0.0").toRealPath(), current.toRealPath());
        assertEquals(releases.resolve("1.0.0").toRealPath(), previous.toRealPath());

        assertFalse(Files.exists(called), () -> "install.sh --root called " + readQuietly(called));
    }

    // ---------------------------------------------------------------- (c') the launcher packaging/pouw-node

    /** A fake Java home: {@code release} says {@code version}, {@code bin/java} prints its arguments. */
    private static Path fakeJavaHome(Path dir, String version) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"fake-java $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    @Test
    void the_launcher_execs_a_java_25_with_the_jar_and_the_jvm_options(@TempDir Path temp) throws Exception {
        Path sh = tool("sh", false);
        Path home = fakeJavaHome(temp.resolve("jdk25"), "25.0.1");
        Path jar = Files.writeString(temp.resolve("node.jar"), "jar");
        Result r = run(temp, Map.of("JAVA_HOME", home.toString(), "POUW_JAR", jar.toString(), "POUW_JVM_OPTS", "-Xmx64m -XX:+UseSerialGC"),
                sh.toString(), PACKAGING.resolve("pouw-node").toString(), "admin", "reload");
        assertEquals(0, r.code(), r.output());
        assertEquals("fake-java -Xmx64m -XX:+UseSerialGC -jar " + jar + " admin reload", r.output().strip());

        Result which = run(temp, Map.of("JAVA_HOME", home.toString()), sh.toString(), PACKAGING.resolve("pouw-node").toString(), "--which-java");
        assertEquals(0, which.code(), which.output());
        assertEquals(home.resolve("bin/java") + " (Java 25)", which.output().strip());

        // No JAVA_HOME: the first Java 25 in POUW_JVM_DIR (the java on the PATH is a 17 here).
        Path jvms = Files.createDirectories(temp.resolve("jvm"));
        fakeJavaHome(jvms.resolve("a-17"), "17.0.9");
        fakeJavaHome(jvms.resolve("b-25"), "25");
        Path path17 = fakeJavaHome(temp.resolve("path17"), "17.0.9").resolve("bin");
        Result found = run(temp, Map.of("JAVA_HOME", "", "POUW_JVM_DIR", jvms.toString(), "POUW_JAR", jar.toString(),
                "PATH", path17 + File.pathSeparator + System.getenv("PATH")), sh.toString(), PACKAGING.resolve("pouw-node").toString(), "version");
        assertEquals(0, found.code(), found.output());
        assertEquals("fake-java -jar " + jar + " version", found.output().strip());
    }

    @Test
    void the_launcher_fails_in_one_line_without_a_java_25_or_without_the_jar(@TempDir Path temp) throws Exception {
        Path sh = tool("sh", false);
        String launcher = PACKAGING.resolve("pouw-node").toString();
        Path jar = Files.writeString(temp.resolve("node.jar"), "jar");
        Path home17 = fakeJavaHome(temp.resolve("jdk17"), "17.0.9");
        Result explicit = run(temp, Map.of("JAVA_HOME", home17.toString(), "POUW_JAR", jar.toString()), sh.toString(), launcher, "serve");
        assertEquals(1, explicit.code(), explicit.output());
        assertEquals("pouw-node: JAVA_HOME=" + home17 + " is Java 17; pouw-node needs Java 25 or newer", explicit.output().strip());

        Path empty = Files.createDirectories(temp.resolve("no-jvms"));
        Map<String, String> none = Map.of("JAVA_HOME", "", "POUW_JVM_DIR", empty.toString(), "POUW_JAR", jar.toString(),
                "PATH", home17.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        Result missing = run(temp, none, sh.toString(), launcher, "serve");
        assertEquals(1, missing.code(), missing.output());
        assertTrue(missing.output().startsWith("pouw-node: no Java 25 or newer found"), missing.output());
        assertFalse(missing.output().contains("fake-java"), missing.output());

        Path home25 = fakeJavaHome(temp.resolve("jdk25"), "25");
        Result noJar = run(temp, Map.of("JAVA_HOME", home25.toString(), "POUW_JAR", temp.resolve("absent.jar").toString()),
                sh.toString(), launcher, "serve");
        assertEquals(1, noJar.code(), noJar.output());
        assertTrue(noJar.output().startsWith("pouw-node: jar not found: "), noJar.output());

        // install.sh refuses before installing anything, and --no-java-check skips the check.
        Path bash = tool("bash", false);
        Path root = temp.resolve("root");
        Result install = run(temp, none, bash.toString(), PACKAGING.resolve("install.sh").toString(), "--root", root.toString(),
                "--no-systemctl", jar.toString(), "1.0.0");
        assertEquals(1, install.code(), install.output());
        assertTrue(install.output().contains("pouw-node: no Java 25 or newer found"), install.output());
        assertTrue(install.output().contains("install.sh: the service needs Java 25"), install.output());
        assertFalse(Files.exists(root.resolve("opt")), "install.sh installed without a Java 25");
        Result skipped = run(temp, none, bash.toString(), PACKAGING.resolve("install.sh").toString(), "--root", root.toString(),
                "--no-systemctl", "--no-java-check", jar.toString(), "1.0.0");
        assertEquals(0, skipped.code(), skipped.output());
        assertTrue(Files.exists(root.resolve("usr/local/bin/pouw-node")));
    }

    @Test
    void install_sh_prints_usage_on_bad_arguments(@TempDir Path temp) throws Exception {
        Path bash = tool("bash", false);
        String script = PACKAGING.resolve("install.sh").toString();
        for (List<String> args : List.<List<String>>of(List.of(), List.of("only-a-jar"), List.of("--root"), List.of("--bogus", "a.jar", "1.0"))) {
            List<String> cmd = new ArrayList<>(List.of(bash.toString(), script));
            cmd.addAll(args);
            Result r = run(temp, Map.of(), cmd.toArray(String[]::new));
            assertEquals(64, r.code(), args + ":\n" + r.output());
            assertTrue(r.output().contains("usage:"), args + ":\n" + r.output());
        }
        assertFalse(Files.exists(temp.resolve("opt")), "a bad command line must not install anything");
    }

    // ---------------------------------------------------------------- (d) Grafana dashboard

    /** Metric names the node exports besides docs/SPEC.md §10's list (database pool and JVM meters). */
    private static final Set<String> POOL_AND_JVM = Set.of("pouw_db_pool_active_connections", "pouw_db_pool_idle_connections",
            "pouw_db_pool_connections", "pouw_db_pool_max_connections", "pouw_db_pool_pending_threads",
            "jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_collection_seconds_total", "process_cpu_seconds_total",
            "process_resident_memory_bytes", "process_open_fds", "process_max_fds");

    private static final Set<String> HISTOGRAMS = Set.of("pouw_signature_verification_seconds", "pouw_receipt_processing_seconds",
            "pouw_http_request_duration_seconds");

    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "offset", "bool", "inf", "nan");

    @Test
    void the_dashboard_is_valid_json_and_uses_only_catalogue_metrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(PACKAGING.resolve("grafana/pouw-node.json").toFile());
        assertEquals("DS_PROMETHEUS", dashboard.path("__inputs").path(0).path("name").asText(), "datasource input");

        List<String> exprs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        collect(dashboard, exprs, problems);
        assertFalse(exprs.isEmpty(), "no queries found");

        Set<String> catalogue = catalogue();
        Set<String> used = new TreeSet<>();
        for (String expr : exprs) {
            for (String metric : metricNames(expr)) {
                used.add(metric);
                String base = metric.replaceAll("_(bucket|sum|count)$", "");
                if (!catalogue.contains(metric) && !(HISTOGRAMS.contains(base) && catalogue.contains(base))) {
                    problems.add("unknown metric " + metric + " in: " + expr);
                }
            }
        }
        Set<String> wanted = new LinkedHashSet<>(List.of("pouw_receipts_received_total", "pouw_receipts_accepted_total",
                "pouw_receipts_replayed_total", "pouw_receipts_rejected_total", "pouw_rate_limit_denials_total",
                "pouw_challenges_issued_total", "pouw_signature_verification_seconds_bucket",
                "pouw_receipt_processing_seconds_bucket", "pouw_rewards_credited_atoms_total", "pouw_disputes_opened_total",
                "pouw_blocked_dids", "pouw_db_pool_active_connections", "pouw_db_pool_idle_connections",
                "pouw_db_pool_connections", "pouw_db_pool_max_connections", "pouw_db_pool_pending_threads",
                "jvm_memory_used_bytes", "pouw_http_request_duration_seconds_count", "pouw_http_request_duration_seconds_bucket",
                "process_cpu_seconds_total", "jvm_gc_collection_seconds_total", "process_resident_memory_bytes",
                "process_open_fds"));
        // Rewards read in SOV, not atoms (1 SOV = 10^18 atoms).
        exprs.stream().filter(e -> e.contains("pouw_rewards_credited_atoms_total")).forEach(e -> {
            if (!e.contains("/ 1e18")) {
                problems.add("rewards shown in atoms, not SOV: " + e);
            }
        });
        wanted.removeAll(used);
        if (!wanted.isEmpty()) {
            problems.add("the dashboard does not show " + wanted);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void the_metric_name_extraction_can_fail() {
        assertEquals(Set.of("a_total", "b_bucket"), metricNames(
                "sum by (le, scheme) (rate(a_total{x=\"y_z\",instance=~\"$instance\"}[$__rate_interval])) / ignoring(q) b_bucket offset 5m"));
        assertEquals(Set.of("jvm_memory_used_bytes"), metricNames("sum by (instance) (jvm_memory_used_bytes{area=\"heap\"})"));
        assertTrue(catalogue().contains("pouw_receipts_rejected_total"));
        assertFalse(catalogue().contains("pouw_receipts_rejected"));
    }

    /** docs/SPEC.md §10's metric names plus the pool and JVM meters. */
    private static Set<String> catalogue() {
        try {
            String spec = Files.readString(ROOT.resolve("docs/SPEC.md"));
            int start = spec.indexOf("## 10.");
            int end = spec.indexOf("## 11.", start);
            assertTrue(start >= 0 && end > start, "docs/SPEC.md has no section 10");
            Set<String> names = new TreeSet<>(POOL_AND_JVM);
            Matcher m = Pattern.compile("`(pouw_[a-z0-9_]+)").matcher(spec.substring(start, end));
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The metric names a PromQL expression reads (label matchers, ranges, grouping and functions removed). */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\boffset\\s+\\S+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(s);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Collects every query expression (panels, nested rows, templating) and checks each panel's datasource. */
    private static void collect(JsonNode node, List<String> exprs, List<String> problems) {
        if (node.isObject()) {
            if (node.has("expr")) {
                exprs.add(node.get("expr").asText());
            }
            if (node.has("definition") && node.get("definition").asText().startsWith("label_values(")) {
                exprs.add(node.get("definition").asText().replaceFirst("^label_values\\(([^,)]+).*", "$1"));
            }
            JsonNode ds = node.get("datasource");
            if (ds != null && ds.isObject() && "prometheus".equals(ds.path("type").asText())
                    && !"${DS_PROMETHEUS}".equals(ds.path("uid").asText())) {
                problems.add("datasource not ${DS_PROMETHEUS}: " + ds);
            }
            node.properties().forEach(e -> collect(e.getValue(), exprs, problems));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, exprs, problems));
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The executable {@code name} from the PATH or the repository's {@code .tools/bin}; when missing, the
     * test is skipped, or fails when {@code mandatoryOnCi} and {@code CI=true}.
     */
    private static Path tool(String name, boolean mandatoryOnCi) {
        List<Path> dirs = new ArrayList<>();
        for (String d : Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                dirs.add(Path.of(d));
            }
        }
        dirs.add(ROOT.resolve(".tools/bin"));
        for (Path d : dirs) {
            Path candidate = d.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = name + " not found on PATH or in .tools/bin"
                + ("promtool".equals(name) ? " (./dev test fetches it from Debian's 'prometheus' package)" : "");
        if (mandatoryOnCi && "true".equals(System.getenv("CI"))) {
            fail(message + "; required when CI=true");
        }
        return Assumptions.abort(message + "; skipping");
    }

    /** systemd unit lines as key -> values (comments and section headers dropped). */
    private static Map<String, List<String>> unitKeys(String unit) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String raw : unit.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                keys.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
            }
        }
        return keys;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "?";
        }
    }
}
