// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.Srcu4jProperties;
import io.srcu4j.internal.path.PathKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole contract on the jna path (libsrcu4j through JNA direct mapping), and what is the jna
 * path's own: how it is chosen, and what it says without JNA.
 */
class JnaPathTest {

    /** Every contract's domains run on this path. */
    interface OnJna extends PathChoice {
        @Override
        default PathKind path() {
            return PathKind.JNA;
        }
    }

    @Nested class GracePeriod extends GracePeriodContract implements OnJna { }

    @Nested class ReadSection extends ReadSectionContract implements OnJna { }

    @Nested class CallSrcu extends CallSrcuContract implements OnJna { }

    @Nested class PolledGracePeriod extends PolledGracePeriodContract implements OnJna { }

    @Nested class CloseAndMisuse extends CloseAndMisuseContract implements OnJna { }

    @Nested class Flavor extends FlavorContract implements OnJna { }

    @Nested class NoLockHazard extends NoLockHazardContract implements OnJna { }

    @Nested class BoundedWait extends BoundedWaitContract implements OnJna { }

    @Nested class SharedWorkers extends SharedWorkersContract implements OnJna { }

    @Nested class NamesAndStats extends NamesAndStatsContract implements OnJna { }

    @Nested class StallWarning extends StallWarningContract implements OnJna { }

    @Nested class JfrEvent extends JfrEventContract implements OnJna { }

    @AfterEach
    void clearProperty() {
        System.clearProperty(Srcu4jProperties.PATH);
    }

    @Test
    void isNeverTheDefaultWhileANativePathCanRun() {
        assertTrue(PathKind.NATIVE_DIRECT.ordinal() < PathKind.JNA.ordinal()
                && PathKind.NATIVE_DOWNCALL.ordinal() < PathKind.JNA.ordinal());
        try (Srcu srcu = Srcu.create()) {
            assertFalse(srcu.describe().startsWith("jna"), srcu.describe());
        }
    }

    @Test
    void thePropertyForcesItAndItRunsADomainThroughout() {
        System.setProperty(Srcu4jProperties.PATH, "jna");
        try (Srcu srcu = Srcu.create(ReaderFlavor.FAST)) {
            String d = srcu.describe();
            assertTrue(d.startsWith("jna (forced by srcu4j.path=jna): libsrcu4j through JNA direct mapping"), d);
            assertTrue(srcu.toString().contains("jna"), srcu.toString());
            ReadToken token = srcu.lock();
            long cookie = srcu.startPoll();
            assertEquals(1, srcu.readersActive());
            srcu.unlock(token);
            srcu.awaitGracePeriod(cookie);
            assertTrue(srcu.poll(cookie));
            srcu.callSrcu(() -> { });
            srcu.barrier();
        }
    }

    /**
     * In a JVM whose class path lacks JNA (a child process): the default path still runs and its
     * description does not bring up JNA, the forced jna path fails with a reason that names JNA,
     * and nothing crashes.
     */
    @Test
    void withoutJnaTheOtherPathsRunAndForcingJnaSaysWhy() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("jna-"))
                .collect(Collectors.joining(File.pathSeparator));
        assertNotEquals(System.getProperty("java.class.path"), classPath, "JNA is not on the test class path");
        List<String> lines = runProbe(classPath);
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith(PathKind.values()[0].propertyName() + " ("), lines.get(0));
        assertFalse(lines.get(0).contains("JNA"), "describe() names JNA though nobody asked for jna: " + lines.get(0));
        assertTrue(lines.get(1).startsWith("UnsatisfiedLinkError: ") && lines.get(1).contains("JNA is not on the class path"),
                lines.get(1));
    }

    private static List<String> runProbe(String classPath) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                NativeDisabledProbe.class.getName(), "jna")
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING")).toList();
    }
}
