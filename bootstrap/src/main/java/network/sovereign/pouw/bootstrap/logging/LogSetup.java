package network.sovereign.pouw.bootstrap.logging;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Configures java.util.logging, where Helidon and (through slf4j-jdk14) HikariCP, Liquibase and jOOQ
 * log: one line per event on stdout with journald priority prefixes, and optionally the same lines
 * without prefixes appended to a file for logrotate.
 */
public final class LogSetup {

    /** JUL holds loggers weakly: a level set on a logger nobody references is lost at the next GC. */
    private static final java.util.List<Logger> PINNED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private LogSetup() {
    }

    /**
     * Replaces every root handler.
     *
     * @param level  the lowest level logged
     * @param json   JSON lines instead of text
     * @param file   a file to append to as well, if any
     */
    public static void configure(Level level, boolean json, Optional<Path> file) throws IOException {
        Logger root = Logger.getLogger("");
        for (Handler old : root.getHandlers()) {
            root.removeHandler(old);
            if (!(old instanceof StdoutHandler)) {
                old.close(); // the JDK's console handler, or a previous log file; stdout stays open
            }
        }
        root.setLevel(level);
        Handler stdout = new StdoutHandler(new LineFormatter(json, true));
        stdout.setLevel(level);
        root.addHandler(stdout);
        if (file.isPresent()) {
            Path path = file.get().toAbsolutePath();
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Handler fileHandler = new AppendingFileHandler(path, new LineFormatter(json, false));
            fileHandler.setLevel(level);
            root.addHandler(fileHandler);
        }
        // jOOQ's open-source edition has only the unversioned dialects (the latest database versions): on
        // PostgreSQL 15, which the node is tested on, it warns on every start about a mismatch that is not one.
        Logger versionSupport = Logger.getLogger("org.jooq.impl.DefaultExecuteContext.logVersionSupport");
        versionSupport.setLevel(Level.SEVERE);
        PINNED.add(versionSupport);
        // Libraries that are chatty at INFO stay at WARNING unless debugging is asked for.
        if (level.intValue() >= Level.INFO.intValue()) {
            for (String noisy : new String[] {"liquibase", "com.zaxxer.hikari", "org.jooq"}) {
                Logger logger = Logger.getLogger(noisy);
                logger.setLevel(Level.WARNING);
                PINNED.add(logger);
            }
        }
    }

    /** Writes to the current {@code System.out}, flushing every line. */
    private static final class StdoutHandler extends StreamHandler {
        StdoutHandler(LineFormatter formatter) {
            super(System.out, formatter);
        }

        @Override
        public synchronized void publish(java.util.logging.LogRecord record) {
            super.publish(record);
            flush();
        }

        @Override
        public synchronized void close() {
            flush(); // never close stdout
        }
    }

    /**
     * Appends to a file, flushing every line. Opened in append mode, so logrotate's
     * {@code copytruncate} works without signalling the node.
     */
    private static final class AppendingFileHandler extends StreamHandler {
        AppendingFileHandler(Path path, LineFormatter formatter) throws IOException {
            super(open(path), formatter);
        }

        private static OutputStream open(Path path) throws IOException {
            return new PrintStream(new FileOutputStream(path.toFile(), true), false, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void publish(java.util.logging.LogRecord record) {
            super.publish(record);
            flush();
        }
    }
}
