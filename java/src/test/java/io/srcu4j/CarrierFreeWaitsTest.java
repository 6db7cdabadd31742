// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srcu4j.internal.path.PathFactory;
import io.srcu4j.internal.path.PathKind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No wait holds a virtual thread's carrier: {@link CarrierFreeWaitsProbe} in a JVM with one, then
 * two, carriers, on every path, flavor and waiting call (synchronize, synchronizeExpedited,
 * awaitGracePeriod, barrier, close, and the interruptible, timed and asynchronous forms). A call that waited inside native code would hang there, with
 * the readers it waits for parked and no carrier left to run them.
 */
class CarrierFreeWaitsTest {

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void everyWaitLeavesTheCarrierFree(int parallelism) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Djdk.virtualThreadScheduler.parallelism=" + parallelism,
                "-Djdk.virtualThreadScheduler.maxPoolSize=" + parallelism,
                "-cp", System.getProperty("java.class.path"), CarrierFreeWaitsProbe.class.getName()));
        int expected = 0;
        for (PathKind path : PathKind.values()) {
            assertEquals(null, PathFactory.unavailableReason(path), path + " must run in the test build");
            command.add(path.propertyName());
            expected += ReaderFlavor.values().length * CarrierFreeWaitsProbe.Call.values().length;
        }
        Path log = Files.createTempFile("srcu4j-carrier-free-", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(360, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "the probe JVM did not finish:\n" + out);
            assertEquals(0, p.exitValue(), out);
            long passed = out.lines().filter(l -> l.startsWith("PASS ")).count();
            assertEquals(expected, passed, out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
