// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathFactory;
import io.srcu4j.internal.path.PathKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read section in try-with-resources allocates nothing once compiled, on every path, even after
 * many threads took their first section ({@link GuardAllocationProbe}, in a JVM of its own so that
 * no other test's profile or compilation decides it).
 */
class GuardAllocationTest {

    @ParameterizedTest
    @EnumSource(PathKind.class)
    void aCompiledReadSectionAllocatesNothing(PathKind path) throws IOException, InterruptedException {
        assertEquals(null, PathFactory.unavailableReason(path), path + " must run in the test build");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), GuardAllocationProbe.class.getName(), path.propertyName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish:\n" + out);
        assertEquals(0, p.exitValue(), out);
        double bytesPerRead = out.lines().filter(l -> l.startsWith(GuardAllocationProbe.RESULT))
                .mapToDouble(l -> Double.parseDouble(l.substring(GuardAllocationProbe.RESULT.length())))
                .findFirst().orElseThrow(() -> new AssertionError("no result:\n" + out));
        // A guard is 32 bytes or more: a round with under one byte per section made none.
        assertTrue(bytesPerRead < 1.0, path + ": " + bytesPerRead + " bytes per read section\n" + out);
    }
}
