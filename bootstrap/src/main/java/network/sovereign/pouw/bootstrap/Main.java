package network.sovereign.pouw.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import network.sovereign.pouw.bootstrap.config.ConfigException;
import network.sovereign.pouw.bootstrap.config.ConfigSource;
import network.sovereign.pouw.bootstrap.config.DatabaseUrl;
import network.sovereign.pouw.bootstrap.config.NodeConfig;
import network.sovereign.pouw.bootstrap.logging.LogSetup;

/**
 * The executable: {@code java -jar pouw-node.jar [--config FILE] [serve|migrate|check-config|keygen|admin|version]}.
 * Exit codes follow sysexits: 0 done, 64 usage, 78 configuration, 1 anything else.
 */
public final class Main {

    /** Done. */
    public static final int EXIT_OK = 0;
    /** Failed for a reason other than usage or configuration. */
    public static final int EXIT_FAILURE = 1;
    /** Wrong command line (EX_USAGE). */
    public static final int EXIT_USAGE = 64;
    /** Bad configuration (EX_CONFIG): start-up stops with one line naming the setting. */
    public static final int EXIT_CONFIG = 78;

    private static final String USAGE = """
            Usage: pouw-node [--config FILE] [COMMAND]
                   (the installed launcher; from a checkout ./dev run [COMMAND]; the jar alone:
                   java -jar pouw-node.jar with a JDK 25)

            Commands:
              serve          run the node (default)
              migrate        apply the database schema, then exit
              check-config   check the configuration, print it with secrets hidden, then exit
              keygen         generate a node key: keygen [--scheme ed25519|ml-dsa-65] [--out FILE]
              admin          call the running node's admin API: admin COMMAND ... (admin --help)
              version        print the version
              help           print this text

            Settings come from POUW_* environment variables over the optional config file
            (--config FILE or POUW_CONFIG, KEY=VALUE lines); see README.md.""";

    /** 128 + the signal that stopped the node (SIGTERM 143, SIGINT 130), so every exit path uses it. */
    private static volatile int stopSignalStatus = EXIT_OK;

    private Main() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != EXIT_OK || !"serve".equals(commandOf(args))) {
            System.exit(status);
        }
    }

    /** Runs a command and returns its exit status; {@code serve} returns once the node has stopped. */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        Optional<Path> configFile = Optional.empty();
        String command = "serve";
        while (!rest.isEmpty()) {
            String arg = rest.peekFirst();
            if (arg.equals("--config")) {
                rest.removeFirst();
                if (rest.isEmpty()) {
                    err.println("pouw-node: --config needs a file");
                    return EXIT_USAGE;
                }
                configFile = Optional.of(Path.of(rest.removeFirst()));
            } else if (arg.startsWith("--config=")) {
                configFile = Optional.of(Path.of(rest.removeFirst().substring("--config=".length())));
            } else if (arg.equals("-h") || arg.equals("--help")) {
                rest.removeFirst();
                command = "help";
            } else if (arg.equals("--version")) {
                rest.removeFirst();
                command = "version";
            } else if (!arg.startsWith("-")) {
                command = rest.removeFirst();
                break;
            } else {
                err.println("pouw-node: unknown option " + arg + " (see --help)");
                return EXIT_USAGE;
            }
        }
        List<String> commandArgs = List.copyOf(rest);
        try {
            return switch (command) {
                case "help" -> {
                    out.println(USAGE);
                    yield EXIT_OK;
                }
                case "version" -> {
                    out.println("pouw-node " + version());
                    yield EXIT_OK;
                }
                case "keygen" -> KeygenCommand.run(commandArgs, out, err);
                case "admin" -> AdminCli.run(commandArgs, environment, configFile, out, err);
                case "serve", "migrate", "check-config" -> {
                    if (!commandArgs.isEmpty()) {
                        err.println("pouw-node: " + command + " takes no arguments, got " + commandArgs);
                        yield EXIT_USAGE;
                    }
                    ConfigSource source = ConfigSource.load(environment, configFile);
                    NodeConfig config = NodeConfig.from(source);
                    yield switch (command) {
                        case "check-config" -> checkConfig(source, config, out, err);
                        case "migrate" -> migrate(source, config, out);
                        default -> serve(source, config);
                    };
                }
                default -> {
                    err.println("pouw-node: unknown command '" + command + "'\n" + USAGE);
                    yield EXIT_USAGE;
                }
            };
        } catch (ConfigException e) {
            err.println("pouw-node: invalid configuration: " + e.getMessage());
            return EXIT_CONFIG;
        } catch (StartupException e) {
            err.println("pouw-node: " + e.getMessage());
            Logger.getLogger(Main.class.getName()).log(Level.FINE, "start-up failure", e);
            return e.exitStatus();
        }
    }

    private static String commandOf(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            } else if (args[i].equals("--help") || args[i].equals("-h") || args[i].equals("--version")) {
                return "help";
            }
        }
        return "serve";
    }

    private static int checkConfig(ConfigSource source, NodeConfig config, PrintStream out, PrintStream err) {
        for (String unknown : NodeConfig.unknownSettings(source)) {
            err.println("pouw-node: warning: unknown setting " + unknown + " is ignored");
        }
        out.println("configuration OK" + config.configFile().map(f -> " (file " + f + ")").orElse(""));
        out.println("database: " + config.database().url().map(url -> "PostgreSQL " + DatabaseUrl.redact(url.jdbcUrl()))
                .orElse("embedded H2 under " + config.dataDir()));
        NodeConfig.describe(source).forEach(out::println);
        return EXIT_OK;
    }

    private static int migrate(ConfigSource source, NodeConfig config, PrintStream out) {
        configureLogging(config);
        warnUnknown(source);
        int applied = Node.migrate(config);
        out.println("schema up to date (" + applied + " change sets applied)");
        return EXIT_OK;
    }

    private static int serve(ConfigSource source, NodeConfig config) {
        configureLogging(config);
        warnUnknown(source);
        SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv());
        Node node = Node.start(config, version());
        node.notifyTo(systemd);
        // SIGTERM/SIGINT stop the node before the JVM's own shutdown begins, so the stop is logged in
        // full (the JDK resets logging in a shutdown hook of its own), then exit 128+signal.
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> stopAndExit(node, systemd, 143));
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> stopAndExit(node, systemd, 130));
        // Any other way out (System.exit elsewhere) still stops the node.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("pouw-shutdown").unstarted(() -> {
            systemd.stopping();
            node.stop();
        }));
        // The JVM's default for SIGHUP is to exit; a node must survive it (logrotate, systemctl reload).
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reload(source, node));
        // Type=notify: only now, with the signal handlers in place, may systemd send SIGHUP for a reload.
        systemd.ready("serving on port " + node.port());
        node.startWatchdog(systemd, System.getenv());
        node.awaitStopped();
        return stopSignalStatus;
    }

    private static void stopAndExit(Node node, SystemdNotifier systemd, int status) {
        // Also the main thread's status once the node has stopped: it must not race this exit with 0.
        stopSignalStatus = status;
        systemd.stopping();
        node.stop();
        System.exit(status);
    }

    /**
     * SIGHUP: re-reads the environment-and-file configuration, re-applies the log settings (which
     * also reopens {@code POUW_LOG_FILE}) and reloads the TLS material; a bad new configuration is
     * refused and the old one kept (systemd hears {@code RELOADING=1} before and {@code READY=1} after).
     */
    private static void reload(ConfigSource previous, Node node) {
        Logger log = Logger.getLogger(Main.class.getName());
        try {
            // The same reload as POST /api/v1/admin/reload; the node tells systemd RELOADING=1 ... READY=1.
            node.reload(previous.file(), "SIGHUP");
        } catch (ConfigException e) {
            log.warning("reload (SIGHUP) refused, keeping the running configuration: " + e.getMessage());
        } catch (RuntimeException e) {
            log.log(Level.SEVERE, "reload (SIGHUP) failed, keeping the running configuration", e);
        }
    }

    static void configureLogging(NodeConfig config) {
        try {
            LogSetup.configure(config.logging().level(), config.logging().format() == NodeConfig.Logging.Format.JSON,
                    config.logging().file());
        } catch (IOException e) {
            throw new ConfigException("POUW_LOG_FILE", "cannot open " + config.logging().file().orElseThrow()
                    + " for appending (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void warnUnknown(ConfigSource source) {
        for (String unknown : NodeConfig.unknownSettings(source)) {
            Logger.getLogger(Main.class.getName()).warning("unknown setting " + unknown + " is ignored");
        }
    }

    /** The node's version, from the build. */
    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
