// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.Srcu4jProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the native library does not load and domains fall back to the Java path by default, the
 * JVM gets exactly one WARNING saying why and how to fix it; choosing the Java path, refusing the
 * library, or a library that loads gives none. Each case is a JVM of its own
 * ({@link FallbackProbe}, three domains).
 */
class FallbackWarningTest {

    private static final String WARNING = "did not load, so domains run on the pure-Java path";

    @TempDir
    Path tmp;

    @Test
    void aLibraryThatDoesNotLoadGivesOneWarningSayingWhyAndHowToFixIt() throws Exception {
        Path missing = tmp.resolve("missing").resolve("libsrcu4j.so");
        String out = runProbe("-D" + Srcu4jProperties.NATIVE_PATH + "=" + missing);
        assertTrue(out.contains("CREATED 3 java"), out);
        assertEquals(1, occurrences(out, WARNING), out);
        assertTrue(out.contains("WARNING"), out);
        assertTrue(out.contains(missing + " is not a readable file"), "the warning does not say why: " + out);
        assertTrue(out.contains("-D" + Srcu4jProperties.PATH + "=java"), "the warning does not say how to silence it: "
                + out);
    }

    @Test
    void choosingTheJavaPathRefusingTheLibraryOrALibraryThatLoadsGivesNoWarning() throws Exception {
        Path missing = tmp.resolve("missing").resolve("libsrcu4j.so");
        String chosen = runProbe("-D" + Srcu4jProperties.NATIVE_PATH + "=" + missing,
                "-D" + Srcu4jProperties.PATH + "=java");
        assertTrue(chosen.contains("CREATED 3 java"), chosen);
        assertEquals(0, occurrences(chosen, WARNING), chosen);

        String refused = runProbe("-D" + Srcu4jProperties.NATIVE_DISABLE + "=true");
        assertTrue(refused.contains("CREATED 3 java"), refused);
        assertEquals(0, occurrences(refused, "srcu4j:"), refused);

        String loaded = runProbe();
        assertTrue(loaded.contains("CREATED 3 native-direct"), loaded);
        assertEquals(0, occurrences(loaded, WARNING), loaded);
    }

    /** Native access refused on the class path: the warning's fix is the grant, not the library's location. */
    @Test
    void refusedNativeAccessIsFixedByTheGrantAndTheWarningSaysSo() throws Exception {
        String out = runProbe(List.of("--illegal-native-access=deny"));
        assertTrue(out.contains("CREATED 3 java"), out);
        assertEquals(1, occurrences(out, WARNING), out);
        assertTrue(out.contains("To fix it, grant native access: run java with --enable-native-access=ALL-UNNAMED"),
                "the warning does not name the grant: " + out);
        assertEquals(0, occurrences(out, Srcu4jProperties.NATIVE_WORKDIR), "advice about the library's location: " + out);
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** The probe's output, standard error included, with native access granted. */
    private static String runProbe(String... properties) throws IOException, InterruptedException {
        List<String> flags = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        flags.addAll(List.of(properties));
        return runProbe(flags);
    }

    /** The probe's output, standard error included, with exactly {@code flags} before the class path. */
    private static String runProbe(List<String> flags) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FallbackProbe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish:\n" + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
