package network.sovereign.pouw.adapters.web.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void writes_objects_in_order_with_every_value_kind() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("s", "text");
        map.put("n", 42L);
        map.put("d", 1.5);
        map.put("b", true);
        map.put("z", null);
        map.put("list", List.of(1, "two", List.of()));
        map.put("empty", Map.of());
        assertEquals("{\"s\":\"text\",\"n\":42,\"d\":1.5,\"b\":true,\"z\":null,\"list\":[1,\"two\",[]],\"empty\":{}}",
                JsonWriter.write(map));
    }

    @Test
    void escapes_what_json_requires() {
        assertEquals("\"q\\\" b\\\\ n\\n r\\r t\\t \\u0001 \\u2028 é 😀\"",
                JsonWriter.write("q\" b\\ n\n r\r t\t \u0001 \u2028 é 😀"));
        assertEquals("{\"k\\\"ey\":1}", JsonWriter.write(Map.of("k\"ey", 1)));
    }

    @Test
    void refuses_what_json_cannot_hold() {
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(Arrays.asList(Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(new Object()));
    }
}
