// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeResultsTest {

    @TempDir
    Path dir;

    @Test
    void readsTheFlatObjectsBenchNativeWrites() {
        List<NativeResults.Row> rows = NativeResults.parse("""
                [
                  {"name": "full_fence", "impl": "baseline", "what": "", "ns_per_op": 11.210, "min": 9.186, "reps": 9},
                  {"name": "read_pair_fast", "impl": "srcu4j", "what": "lock \\"fast\\" + unlock", "ns_per_op": 2.980},
                  {"name": "defer_2t", "impl": "urcu", "ns_per_op": 1.5e2, "what": "x, 2 thread(s)"},
                  {"name": "call_srcu_1t", "impl": "srcu4j", "what": "w", "ns_per_op": 35.953, "min": 23.575,
                   "enqueue_ns_per_op": 25.609, "enqueue_cpu_ns_per_call": 18.250, "reps": 9}
                ]
                """);
        assertEquals(4, rows.size(), rows.toString());
        assertEquals(25.609, rows.get(3).enqueueNsPerOp(), 1e-12, "the hand-over rows' enqueue figure");
        assertEquals(18.25, rows.get(3).enqueueCpuNsPerCall(), 1e-12, "and the enqueuers' CPU time per call");
        assertTrue(Double.isNaN(rows.get(0).enqueueCpuNsPerCall()), "NaN where a row has none");
        assertEquals(35.953, rows.get(3).nsPerOp(), 1e-12);
        assertTrue(Double.isNaN(rows.get(0).enqueueNsPerOp()), "NaN where a row has none");
        assertEquals(new NativeResults.Row("full_fence", "baseline", "", 11.21, Double.NaN,
                Map.of("ns_per_op", 11.21, "min", 9.186, "reps", 9.0)), rows.get(0));
        assertEquals(9.186, rows.get(0).number("min"), 1e-12, "every numeric field, by name");
        assertTrue(Double.isNaN(rows.get(1).number("min")), "NaN for a field the row lacks");
        assertEquals("lock \\\"fast\\\" + unlock", rows.get(1).what());
        assertEquals(150.0, rows.get(2).nsPerOp(), 1e-12);
        assertEquals("urcu", rows.get(2).impl());
    }

    @Test
    void aMissingFileIsReportedNotThrown() {
        NativeResults none = NativeResults.read(dir);
        assertTrue(none.rows().isEmpty());
        assertNotNull(none.missing());
        assertTrue(none.missing().contains("native.json"), none.missing());
    }

    @Test
    void theTableComesAlongWhenPresent() throws IOException {
        Files.writeString(dir.resolve("native.json"), "[{\"name\": \"a\", \"impl\": \"srcu4j\", \"ns_per_op\": 1.0}]");
        Files.writeString(dir.resolve("native.txt"), "the table\n");
        NativeResults got = NativeResults.read(dir);
        assertNull(got.missing());
        assertEquals("the table\n", got.table());
        assertEquals(1, got.rows().size());
    }
}
