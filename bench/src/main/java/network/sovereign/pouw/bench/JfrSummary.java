package network.sovereign.pouw.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the {@code jdk.ExecutionSample} events of a flight recording, as
 * {@code jfr print --events jdk.ExecutionSample} piped through a counter would: the hottest methods by
 * self time (top frame), the share of samples by the top frame's library, and the share of samples whose
 * stack passes through each of the node's own methods (inclusive time).
 */
public final class JfrSummary {

    /** Libraries by package prefix, first match wins; the rest is "other". */
    private static final Map<String, String> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("org.bouncycastle.", "crypto (BouncyCastle)");
        AREAS.put("org.postgresql.", "JDBC driver (pgjdbc)");
        AREAS.put("com.zaxxer.hikari.", "connection pool (Hikari)");
        AREAS.put("org.jooq.", "jOOQ");
        AREAS.put("io.helidon.", "HTTP server (Helidon)");
        AREAS.put("com.fasterxml.jackson.", "JSON (Jackson)");
        AREAS.put("network.sovereign.pouw.", "pouw-node code");
        AREAS.put("sun.nio.", "JDK I/O");
        AREAS.put("java.util.regex.", "JDK regex");
        AREAS.put("java.", "JDK other");
        AREAS.put("jdk.", "JDK other");
        AREAS.put("sun.", "JDK other");
    }

    private JfrSummary() {
    }

    /** The summary of {@code file}: sample count, top {@code limit} self methods, areas, top inclusive pouw methods. */
    public static ObjectNode summarise(Path file, int limit) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> areas = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            String top = name(frames.getFirst());
            self.merge(top, 1, Integer::sum);
            areas.merge(area(top), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String method = name(frame);
                if (method.startsWith("network.sovereign.pouw.") && seen.add(method)) {
                    inclusive.merge(method, 1, Integer::sum);
                }
            }
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("file", file.toString());
        json.put("execution_samples", samples);
        json.set("top_self_methods", ranked(self, samples, limit));
        json.set("self_time_by_area", ranked(areas, samples, limit));
        json.set("top_inclusive_pouw_methods", ranked(inclusive, samples, limit));
        return json;
    }

    private static ArrayNode ranked(Map<String, Integer> counts, int total, int limit) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit).forEach(e -> {
            ObjectNode row = array.addObject();
            row.put("name", e.getKey());
            row.put("samples", e.getValue());
            row.put("percent", Stats.round(100.0 * e.getValue() / Math.max(1, total)));
        });
        return array;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String area(String method) {
        return AREAS.entrySet().stream().filter(e -> method.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst().orElse("other");
    }

    /** Prints the summary of the recording named on the command line. */
    public static void main(String[] args) throws IOException {
        System.out.println(summarise(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 20).toPrettyString());
    }
}
