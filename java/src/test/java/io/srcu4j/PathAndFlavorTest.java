// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.Srcu4jProperties;
import io.srcu4j.internal.path.PathKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which path a domain runs: the default, one forced by property, and the fallback without native code. */
class PathAndFlavorTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(Srcu4jProperties.PATH);
    }

    @Test
    void theDefaultPathIsTheFirstAvailableOneAndIsDescribed() {
        PathKind first = PathKind.values()[0];
        try (Srcu srcu = Srcu.create()) {
            String d = srcu.describe();
            assertTrue(d.startsWith(first.propertyName() + " (the fastest path available"), d);
        }
    }

    @Test
    void aForcedPathIsUsedAndNamed() {
        for (PathKind kind : PathKind.values()) {
            System.setProperty(Srcu4jProperties.PATH, kind.propertyName());
            try (Srcu srcu = Srcu.create()) {
                String d = srcu.describe();
                assertTrue(d.startsWith(kind.propertyName() + " (forced by srcu4j.path=" + kind.propertyName() + ")"), d);
            }
        }
    }

    @Test
    void anUnknownForcedPathIsAClearError() {
        System.setProperty(Srcu4jProperties.PATH, "no-such-path");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Srcu::create);
        for (String expected : List.of("no-such-path", "native-downcall", "java")) {
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }

    /**
     * In a JVM with -Dsrcu4j.native.disable=true (the library loads once per class loader, so a
     * child process): the default is the pure-Java path and says why native is not used; a
     * forced native path fails with that reason.
     */
    @Test
    void withoutTheNativeLibraryJavaRunsAndNativeForcedIsAClearError() throws Exception {
        List<String> lines = runNativeDisabledProbe();
        assertEquals(2, lines.size(), String.join("\n", lines));
        String describe = lines.get(0);
        assertTrue(describe.startsWith("java (the fastest path available"), describe);
        // The faster path it stands in for is named with the reason; slower ones are not.
        assertTrue(describe.contains("native-direct: libsrcu4j is not loaded") && describe.contains(
                Srcu4jProperties.NATIVE_DISABLE), describe);
        assertTrue(!describe.contains("native-downcall") && !describe.contains("jna"), describe);
        String forced = lines.get(1);
        assertTrue(forced.startsWith("UnsatisfiedLinkError: ") && forced.contains("native-downcall")
                && forced.contains(Srcu4jProperties.NATIVE_DISABLE), forced);
    }

    private static List<String> runNativeDisabledProbe() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-D" + Srcu4jProperties.NATIVE_DISABLE + "=true",
                "-cp", System.getProperty("java.class.path"), NativeDisabledProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
