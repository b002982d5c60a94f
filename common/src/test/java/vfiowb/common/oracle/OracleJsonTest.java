package vfiowb.common.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OracleJsonTest {
    @Test
    void readsTheRecordGrammar() {
        Map<String, Object> o = OracleJson.parseObject(
                " {\"seq\":7, \"op\":\"mmap\", \"ok\":true, \"no\":false, \"nil\":null, \"neg\":-1,"
                        + " \"big\":4294967295, \"s\":\"a\\\"b\\\\c\\u0041\", \"l\":[1,{\"x\":[]}], \"e\":{}} ");
        assertEquals(7L, o.get("seq"));
        assertEquals("mmap", o.get("op"));
        assertEquals(Boolean.TRUE, o.get("ok"));
        assertEquals(Boolean.FALSE, o.get("no"));
        assertTrue(o.containsKey("nil") && o.get("nil") == null);
        assertEquals(-1L, o.get("neg"));
        assertEquals(4294967295L, o.get("big"));
        assertEquals("a\"b\\cA", o.get("s"));
        assertEquals(List.of(1L, Map.of("x", List.of())), o.get("l"));
        assertEquals(Map.of(), o.get("e"));
        assertEquals(List.of("seq", "op", "ok", "no", "nil", "neg", "big", "s", "l", "e"),
                List.copyOf(o.keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{\"a\":1} x", "{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":01}",
        "{\"a\":1,\"a\":2}", "{\"a\":\"\\q\"}", "{\"a\":\"x}", "{\"a\":tru}", "{\"a\":-}",
        "{\"a\":99999999999999999999}", "{a:1}", "{\"a\":1,}", "{\"a\":\"\t\"}"})
    void refusesAnythingElse(String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OracleJson.parseObject(line));
        assertTrue(e.getMessage().startsWith("column "), e.getMessage());
    }
}
