package vfiowb.workbench.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    @Nested
    class Writing {
        @Test
        void compactKeepsKeyOrderAndEscapes() {
            Object v = Json.obj().put("b", 1).put("a", List.of(true, false))
                    .put("s", "q\"\\\n\t\u0001é").put("n", null).put("e", Map.of());
            assertEquals("{\"b\":1,\"a\":[true,false],\"s\":\"q\\\"\\\\\\n\\t\\u0001é\","
                    + "\"n\":null,\"e\":{}}", Json.write(v));
        }

        @Test
        void prettyIndentsNestedValues() {
            Object v = Json.obj().put("a", List.of(1, 2)).put("o", Json.obj().put("x", "y"))
                    .put("l", List.of(Json.obj().put("k", 0)));
            assertEquals("{\n  \"a\": [1, 2],\n  \"o\": {\n    \"x\": \"y\"\n  },\n"
                    + "  \"l\": [\n    {\n      \"k\": 0\n    }\n  ]\n}", Json.pretty(v));
        }

        @Test
        void hexIsUnsigned() {
            assertEquals("0x70000000000", Json.hex(7L << 40));
            assertEquals("0xffffffffffffffff", Json.hex(-1));
            assertEquals("0x0", Json.hex(0));
        }

        @Test
        void refusesWhatJsonCannotHold() {
            assertThrows(JsonException.class, () -> Json.write(Double.NaN));
            assertThrows(JsonException.class, () -> Json.write(new Object()));
            assertThrows(JsonException.class, () -> Json.write(Map.of(1, 2)));
        }

        @Test
        void roundTripsThroughTheParser() {
            Object v = Json.obj().put("k", List.of(Json.obj().put("z", "\u2028\"x"), -5L,
                    new BigInteger("18446744073709551615"), new BigDecimal("1.5e3"), false));
            assertEquals(v, Json.parse(Json.write(v)));
            assertEquals(v, Json.parse(Json.pretty(v)));
        }
    }

    @Nested
    class Parsing {
        @Test
        void allValueKinds() {
            Map<String, Object> m = Json.parseObject(
                    " {\"a\": [1, -2, 3.5, 1e2, true, false, null, \"x\\u0041\\/\"], \"b\": {}} ");
            assertEquals(Arrays.asList(1L, -2L, new BigDecimal("3.5"), new BigDecimal("1e2"),
                    true, false, null, "xA/"), m.get("a"));
            assertEquals(Map.of(), m.get("b"));
        }

        @Test
        void integersBeyond64BitsStayExact() {
            assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
            assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
            assertNull(Json.parse("null"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "[1 2]", "01", "1.",
            "-", "\"abc", "\"\\x\"", "tru", "{\"a\":1}x", "{a:1}", "\"\u0001\"", "{\"a\":1,\"a\":2}",
            "[1e]", "\"\\u12\""})
        void malformedTextIsRefusedWithAPosition(String text) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
            assertTrue(e.getMessage().startsWith("column ") || e.getMessage().startsWith("line "),
                    e.getMessage());
        }

        @Test
        void errorNamesLineAndColumn() {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\n \"a\": ?}"));
            assertEquals("line 2 column 7: unexpected character ('?' (code 63))", e.getMessage());
        }

        @Test
        void deepNestingIsRefusedNotAStackOverflow() {
            String deep = "[".repeat(10_000) + "]".repeat(10_000);
            assertThrows(JsonException.class, () -> Json.parse(deep));
        }

        @Test
        void parseObjectRefusesOtherValues() {
            assertEquals("expected a JSON object, got an array",
                    assertThrows(JsonException.class, () -> Json.parseObject("[]")).getMessage());
        }
    }

    @Nested
    class Integers {
        @Test
        void numbersAndHexOrDecimalStrings() {
            assertEquals(15212L, Json.toLong(15212L));
            assertEquals(7L << 40, Json.toLong("0x70000000000"));
            assertEquals(-1L, Json.toLong("0xffffffffffffffff"));
            assertEquals(-1L, Json.toLong(new BigInteger("18446744073709551615")));
            assertEquals(42L, Json.toLong("42"));
            assertEquals(3L, Json.toLong(new BigDecimal("3.0")));
        }

        @Test
        void otherValuesAreRefused() {
            assertThrows(JsonException.class, () -> Json.toLong("0xfffffffffffffffff"));
            assertThrows(JsonException.class, () -> Json.toLong(new BigInteger("18446744073709551616")));
            assertThrows(JsonException.class, () -> Json.toLong(new BigDecimal("1.5")));
            assertThrows(JsonException.class, () -> Json.toLong("zz"));
            assertThrows(JsonException.class, () -> Json.toLong(true));
            assertThrows(JsonException.class, () -> Json.toLong(null));
        }
    }

    @Nested
    class HostileInput {
        @Test
        void aHugeExponentStaysShortAndIsRefusedAsAnInteger() {
            Object v = Json.parse("1e100000000");
            assertEquals(new BigDecimal("1e100000000"), v);
            JsonException e = assertThrows(JsonException.class, () -> Json.toLong(v));
            assertEquals("integer out of 64-bit range: 1E+100000000", e.getMessage());
            assertThrows(JsonException.class, () -> Json.toLong(new BigDecimal("1e-100000000")));
            assertEquals(1000L, Json.toLong(Json.parse("1e3")));
        }

        @Test
        void numbersAndNestingPastTheLimitsAreRefused() {
            assertTrue(assertThrows(JsonException.class, () -> Json.parse("1" + "0".repeat(40)))
                    .getMessage().endsWith("over the input limits: a number longer than 40 characters"));
            assertEquals(10L, Json.toLong(Json.parse("1" + "0".repeat(1))));
            String ok = "[".repeat(64) + "]".repeat(64);
            assertEquals(1, ((List<?>) Json.parse(ok)).size());
            String deep = "[".repeat(65) + "]".repeat(65);
            assertTrue(assertThrows(JsonException.class, () -> Json.parse(deep)).getMessage()
                    .endsWith("over the input limits: nested deeper than 64"));
        }

        @Test
        void anErrorNeverEchoesALongToken() {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse("x".repeat(10_000)));
            assertTrue(e.getMessage().length() < 120, e.getMessage());
        }
    }
}
