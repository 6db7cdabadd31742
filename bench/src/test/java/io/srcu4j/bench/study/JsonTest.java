// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void mapsListsAndNumbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", "ns");
        m.put("median", 212.456789);
        m.put("n", 9);
        m.put("reps", Arrays.asList(1.5, Double.NaN, 3.0));
        m.put("loaded", true);
        m.put("nested", Map.of("k", List.of()));
        m.put("missing", null);
        assertEquals("""
                {
                  "unit": "ns",
                  "median": 212.5,
                  "n": 9,
                  "reps": [1.5, null, 3],
                  "loaded": true,
                  "nested": {
                    "k": []
                  },
                  "missing": null
                }
                """, Json.write(m));
    }

    @Test
    void stringsAreEscapedAndSmallOrHugeNumbersKeepTheirDigits() {
        assertEquals("\"a \\\"b\\\" \\\\ \\n \\u0001\"\n", Json.write("a \"b\" \\ \n \u0001"));
        assertEquals("0.0001235\n", Json.write(0.00012345));
        assertEquals("1.235e+20\n", Json.write(1.2345e20));
        assertEquals("null\n", Json.write(Double.POSITIVE_INFINITY));
        assertEquals("[\n  {},\n  \"x\"\n]\n", Json.write(List.of(Map.of(), "x")));
    }
}
