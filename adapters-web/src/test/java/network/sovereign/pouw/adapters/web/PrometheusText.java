package network.sovereign.pouw.adapters.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A just-enough parser of the Prometheus text format for assertions: samples, types and help lines. */
record PrometheusText(List<Sample> samples, Map<String, String> types, List<String> metaNames) {

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");
    private static final Pattern META = Pattern.compile("# (HELP|TYPE) (\\S+)(?: (.*))?");

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        List<String> metaNames = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher meta = META.matcher(line);
                if (meta.matches()) {
                    metaNames.add(meta.group(2));
                    if (meta.group(1).equals("TYPE")) {
                        types.put(meta.group(2), meta.group(3));
                    }
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher label = LABEL.matcher(m.group(2));
                int end = 0;
                while (label.lookingAt()) {
                    labels.put(label.group(1), label.group(2));
                    end = label.end();
                    label.region(end, m.group(2).length());
                }
                if (end != m.group(2).length()) {
                    throw new IllegalArgumentException("bad labels: " + line);
                }
            }
            samples.add(new Sample(m.group(1), labels, parseValue(m.group(3))));
        }
        return new PrometheusText(List.copyOf(samples), Map.copyOf(types), List.copyOf(metaNames));
    }

    private static double parseValue(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }

    /** Every sample of a name. */
    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The label sets of a name's samples. */
    List<Map<String, String>> labelSets(String name) {
        return named(name).stream().map(Sample::labels).toList();
    }

    /** The value of the one sample with exactly these labels. */
    double value(String name, Map<String, String> labels) {
        List<Sample> found = named(name).stream().filter(s -> s.labels().equals(labels)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + labels + ", found " + found.size());
        }
        return found.getFirst().value();
    }

    /** The value of the sample with exactly these labels, or 0 when there is none yet (a series made on first use). */
    double valueOrZero(String name, Map<String, String> labels) {
        return named(name).stream().anyMatch(s -> s.labels().equals(labels)) ? value(name, labels) : 0.0;
    }
}
