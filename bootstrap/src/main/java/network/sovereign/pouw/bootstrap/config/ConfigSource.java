package network.sovereign.pouw.bootstrap.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The raw settings: environment variables over an optional config file. The file uses the same
 * {@code POUW_*} names in the same {@code KEY=VALUE} syntax as a systemd {@code EnvironmentFile}
 * ({@code #} comments, optional single or double quotes, optional {@code export }), so one file can
 * serve both.
 */
public final class ConfigSource {

    /** The setting that names the config file when {@code --config} is not given. */
    public static final String CONFIG_FILE_SETTING = "POUW_CONFIG";

    private final Map<String, String> values;
    private final Optional<Path> file;

    private ConfigSource(Map<String, String> values, Optional<Path> file) {
        this.values = Collections.unmodifiableMap(values);
        this.file = file;
    }

    /**
     * Loads the settings.
     *
     * @param environment the process environment (only {@code POUW_*} entries are read)
     * @param configFile  the {@code --config} argument, if any; else {@code POUW_CONFIG} is used
     */
    public static ConfigSource load(Map<String, String> environment, Optional<Path> configFile) {
        Optional<Path> file = configFile.or(() -> Optional.ofNullable(blankToNull(environment.get(CONFIG_FILE_SETTING)))
                .map(Path::of));
        Map<String, String> merged = new TreeMap<>();
        if (file.isPresent()) {
            merged.putAll(readFile(file.get(), configFile.isPresent() ? "--config" : CONFIG_FILE_SETTING));
        }
        environment.forEach((key, value) -> {
            if (key.startsWith("POUW_")) {
                merged.put(key, value);
            }
        });
        return new ConfigSource(merged, file);
    }

    /** Settings from a map only (for tests and tools). */
    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(new TreeMap<>(values), Optional.empty());
    }

    /** The value of a setting, empty when unset or blank. */
    public Optional<String> get(String setting) {
        return Optional.ofNullable(blankToNull(values.get(setting))).map(String::strip);
    }

    /** Every {@code POUW_*} name that was set. */
    public java.util.Set<String> names() {
        return values.keySet();
    }

    /** The config file in use, if any. */
    public Optional<Path> file() {
        return file;
    }

    private static Map<String, String> readFile(Path path, String setting) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(setting, "cannot read config file " + path + " (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> result = new LinkedHashMap<>();
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(setting, path + " line " + number + " is not KEY=VALUE");
            }
            String key = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip());
            result.put(key, value);
        }
        return result;
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            char last = value.charAt(value.length() - 1);
            if ((first == '"' || first == '\'') && first == last) {
                return value.substring(1, value.length() - 1);
            }
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
