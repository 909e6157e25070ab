package org.nnft.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class JsonTest {

    enum Kind { GAUSSIAN, UNIFORM }

    @Test
    void scalars() {
        assertEquals("null", Json.of(null));
        assertEquals("true", Json.of(true));
        assertEquals("false", Json.of(Boolean.FALSE));
        assertEquals("42", Json.of(42));
        assertEquals("-7", Json.of(-7L));
        assertEquals("3", Json.of(3.0));
        assertEquals("1000000", Json.of(1e6));
        assertEquals("-123456789012345", Json.of(-123456789012345.0));
        assertEquals("1.0e15", Json.of(1e15));
        assertEquals("0", Json.of(0.0));
        assertEquals("-0.0", Json.of(-0.0));
        assertEquals("0.5", Json.of(0.5));
        assertEquals("0.1", Json.of(0.1));
        assertEquals("1.0e-7", Json.of(1e-7));
        assertEquals("1.5e20", Json.of(1.5e20));
        assertEquals("4.9e-324", Json.of(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e308", Json.of(Double.MAX_VALUE));
        assertEquals("null", Json.of(Double.NaN));
        assertEquals("null", Json.of(Double.POSITIVE_INFINITY));
        assertEquals("null", Json.of(Double.NEGATIVE_INFINITY));
        assertEquals("0.1", Json.of(0.1f));
        assertEquals("2", Json.of(2.0f));
        assertEquals("null", Json.of(Float.NaN));
        assertEquals("123456789012345678901234567890", Json.of(new BigInteger("123456789012345678901234567890")));
        assertEquals("1.25", Json.of(new BigDecimal("1.25")));
        assertEquals("\"GAUSSIAN\"", Json.of(Kind.GAUSSIAN));
        assertEquals("\"x\"", Json.of('x'));
        assertEquals("\"abc\"", Json.of(new StringBuilder("abc")));
    }

    @Test
    void stringEscaping() {
        assertEquals("\"a\\\"b\\\\c/d\"", Json.of("a\"b\\c/d"));
        assertEquals("\"\\n\\r\\t\\b\\f\"", Json.of("\n\r\t\b\f"));
        assertEquals("\"\\u0000\\u0001\\u001f\\u007f\"", Json.of("\u0000\u0001\u001f\u007f"));
        assertEquals("\"\\u03c3\\u00b2 = 1\"", Json.of("\u03c3\u00b2 = 1"));
        assertEquals("\"\\u2028\\u2029\"", Json.of("\u2028\u2029"));
        // a character outside the BMP is written as its surrogate pair
        assertEquals("\"\\ud835\\udc65\"", Json.of("\uD835\uDC65"));
        String all = "tab\there \"quoted\" back\\slash \u0000 \u001b \u00e9\u03c3\u4e2d \uD83D\uDE00 end";
        String json = Json.of(all);
        assertTrue(json.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "output must be printable ASCII: " + json);
        assertEquals(all, Json.parse(json));
        assertEquals("\"k\\n\"", Json.quote("k\n"));
    }

    @Test
    void arraysListsAndMaps() {
        assertEquals("[1,2.5,null]", Json.of(new double[] {1, 2.5, Double.NaN}));
        assertEquals("[[1,2],[3,4]]", Json.of(new double[][] {{1, 2}, {3, 4}}));
        assertEquals("[1,-2,3]", Json.of(new int[] {1, -2, 3}));
        assertEquals("[1,2]", Json.of(new long[] {1, 2}));
        assertEquals("[\"a\",null,true]", Json.of(new Object[] {"a", null, true}));
        assertEquals("[]", Json.of(new double[0]));
        assertEquals("[]", Json.of(List.of()));
        assertEquals("{}", Json.of(Map.of()));
        assertEquals("[1,\"two\",[3]]", Json.of(List.of(1, "two", List.of(3.0))));
        Set<String> set = new TreeSet<>(List.of("b", "a"));
        assertEquals("[\"a\",\"b\"]", Json.of(set));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeta", 1);
        m.put("alpha", "x");
        m.put("mid", null);
        m.put("arr", new double[] {0.5});
        assertEquals("{\"zeta\":1,\"alpha\":\"x\",\"mid\":null,\"arr\":[0.5]}", Json.of(m));
    }

    @Test
    void pretty() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("n", 3);
        inner.put("empty", List.of());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "G2");
        m.put("values", new double[] {0.5, 0.25});
        m.put("cov", new double[][] {{1, 0}, {0, 1}});
        m.put("meta", inner);
        m.put("none", Map.of());
        String expected = String.join("\n",
                "{",
                "  \"name\": \"G2\",",
                "  \"values\": [0.5, 0.25],",
                "  \"cov\": [",
                "    [1, 0],",
                "    [0, 1]",
                "  ],",
                "  \"meta\": {",
                "    \"n\": 3,",
                "    \"empty\": []",
                "  },",
                "  \"none\": {}",
                "}");
        assertEquals(expected, Json.pretty(m));
        assertEquals("42", Json.pretty(42));
        assertEquals("[]", Json.pretty(new int[0]));
        // pretty and compact parse to the same value
        assertEquals(Json.parse(Json.of(m)), Json.parse(Json.pretty(m)));
    }

    @Test
    void roundTripStructure() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", true);
        m.put("s", "line1\nline2 \u03c3");
        m.put("nil", null);
        m.put("list", List.of(1, 2.5, "x", false));
        m.put("matrix", new double[][] {{1.5, -2}, {1e-300, 6.02e23}});
        m.put("nested", Map.of("k", List.of(Map.of("deep", -0.125))));

        Object parsed = Json.parse(Json.of(m));
        assertInstanceOf(LinkedHashMap.class, parsed);
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) parsed;
        assertEquals(List.of("b", "s", "nil", "list", "matrix", "nested"), new ArrayList<>(p.keySet()));
        assertEquals(Boolean.TRUE, p.get("b"));
        assertEquals("line1\nline2 \u03c3", p.get("s"));
        assertTrue(p.containsKey("nil"));
        assertNull(p.get("nil"));
        assertEquals(List.of(1.0, 2.5, "x", false), p.get("list"));
        assertEquals(List.of(List.of(1.5, -2.0), List.of(1e-300, 6.02e23)), p.get("matrix"));
        assertEquals(Map.of("k", List.of(Map.of("deep", -0.125))), p.get("nested"));
        // writing the parsed value again gives the same text
        assertEquals(Json.of(m), Json.of(parsed));
    }

    @Test
    void doublesRoundTripBitExactly() {
        Random rnd = new Random(12345);
        double[] xs = new double[2000];
        for (int i = 0; i < xs.length; i++) {
            switch (i % 4) {
                case 0 -> xs[i] = rnd.nextGaussian();
                case 1 -> xs[i] = Double.longBitsToDouble(rnd.nextLong()); // any bit pattern
                case 2 -> xs[i] = Math.rint(rnd.nextGaussian() * 1e6);
                default -> xs[i] = rnd.nextDouble() * Math.pow(10, rnd.nextInt(600) - 300);
            }
        }
        xs[0] = -0.0;
        xs[1] = Double.MIN_VALUE;
        xs[2] = Double.MAX_VALUE;
        xs[3] = 999999999999999.0;
        xs[5] = 1e15;
        xs[6] = Double.MIN_NORMAL;
        List<?> back = (List<?>) Json.parse(Json.of(xs));
        assertEquals(xs.length, back.size());
        for (int i = 0; i < xs.length; i++) {
            Object b = back.get(i);
            if (!Double.isFinite(xs[i])) {
                assertNull(b, "index " + i);
            } else {
                assertEquals(Double.doubleToRawLongBits(xs[i]), Double.doubleToRawLongBits((Double) b),
                        "index " + i + ": " + xs[i] + " -> " + b);
            }
        }
    }

    @Test
    void parserTypesAndSyntax() {
        assertEquals(1.0, Json.parse("1"));
        assertEquals(-0.5, Json.parse(" -0.5 "));
        assertEquals(1.5e-3, Json.parse("1.5E-3"));
        assertEquals(120.0, Json.parse("1.2e+2"));
        assertEquals("a/b\u00e9", Json.parse("\"a\\/b\\u00E9\""));
        assertEquals(List.of(), Json.parse("[ ]"));
        assertEquals(Map.of(), Json.parse("{ }"));
        assertEquals(Map.of("a", 2.0), Json.parse("{\"a\":1,\"a\":2}"));
        assertNull(Json.parse("null"));
        assertEquals(Boolean.FALSE, Json.parse("\r\n\tfalse"));
        assertEquals(Arrays.asList(null, true, List.of(List.of())), Json.parse("[null,true,[[]]]"));
    }

    @Test
    void parserRejectsInvalidJson() {
        for (String bad : List.of("", " ", "[1,]", "{\"a\":1,}", "[1 2]", "{a:1}", "{\"a\" 1}", "01", "1.", ".5",
                "-", "1e", "+1", "NaN", "Infinity", "nul", "tru", "\"abc", "\"a\nb\"", "\"\\x\"", "\"\\u12\"",
                "\"\\u12g4\"", "[1]x", "{\"a\":1}}", "'a'", "[", "{")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad),
                    "should reject: " + bad);
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parse(null));
    }

    @Test
    void writerRejectsUnsupportedAndCycles() {
        assertThrows(IllegalArgumentException.class, () -> Json.of(new Object()));
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThrows(IllegalArgumentException.class, () -> Json.of(cyclic));
        // the same object twice (not a cycle) is fine
        double[] shared = {1, 2};
        assertEquals("[[1,2],[1,2]]", Json.of(List.of(shared, shared)));
    }

    @Test
    void deepNestingParses() {
        int depth = 2000;
        String json = "[".repeat(depth) + "]".repeat(depth);
        Object v = Json.parse(json);
        for (int i = 0; i < depth - 1; i++) {
            v = ((List<?>) v).get(0);
        }
        assertEquals(List.of(), v);
        assertArrayEquals(new Object[0], ((List<?>) v).toArray());
    }
}
