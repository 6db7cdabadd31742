// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader as a JVM meets it, each case in a JVM of its own ({@link LoaderProbe}): the jar's
 * copy is extracted, loaded and deleted, and what JVMs killed before their load left is removed;
 * a kept copy then loads in place through {@code srcu4j.native.path} and through
 * {@code java.library.path}, with nothing extracted.
 */
class LoaderCleanupTest {

    @TempDir
    Path workdir;

    @Test
    void theJarsCopyLeavesNothingBehindAndStaleCopiesGo() throws Exception {
        Path killed = Files.createDirectory(workdir.resolve("srcu4j-999999999-1"));
        Files.writeString(killed.resolve("libsrcu4j.so"), "a JVM killed with -9 before its load");
        Path legacy = Files.writeString(workdir.resolve("libsrcu4j-1.so"), "an older version's copy");
        Files.setLastModifiedTime(legacy, FileTime.from(Instant.now().minusSeconds(3600)));

        Map<String, String> out = probe("-Dsrcu4j.native.workdir=" + workdir);
        assertEquals("true", out.get("available"), out.toString());
        assertEquals("true", out.get("used"), out.toString());
        assertTrue(Path.of(out.get("loaded")).startsWith(workdir), out.toString());
        assertEquals("", out.get("left"), "left in the work directory: " + out);
    }

    @Test
    void aKeptCopyLoadsInPlaceByPropertyAndFromJavaLibraryPath() throws Exception {
        Map<String, String> kept = probe("-Dsrcu4j.native.workdir=" + workdir, "-Dsrcu4j.native.keepTemp=true");
        Path lib = Path.of(kept.get("loaded"));
        assertTrue(Files.isRegularFile(lib), kept.toString());

        Path other = Files.createDirectory(workdir.resolve("elsewhere"));
        Map<String, String> byProperty = probe("-Dsrcu4j.native.workdir=" + other, "-Dsrcu4j.native.path=" + lib);
        assertEquals(lib.toString(), byProperty.get("loaded"), byProperty.toString());
        assertEquals("true", byProperty.get("used"), byProperty.toString());
        assertEquals("", byProperty.get("left"), "nothing extracted: " + byProperty);

        Map<String, String> installed = probe("-Dsrcu4j.native.workdir=" + other,
                "-Djava.library.path=" + lib.getParent());
        assertEquals(lib.toString(), installed.get("loaded"), installed.toString());
        assertEquals("true", installed.get("used"), installed.toString());
        assertEquals("", installed.get("left"), "nothing extracted: " + installed);
    }

    /** A file that is no srcu4j library of this version is refused at load, naming the file and the version. */
    @Test
    void aLibraryWithoutTheVersionIsRefusedAtLoad() throws Exception {
        String other = System.getProperty("srcu4j.test.signalHandoffLib");
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null && Files.isRegularFile(Path.of(other)),
                "the test library is built by the native module");
        Map<String, String> out = probe("-Dsrcu4j.native.workdir=" + workdir, "-Dsrcu4j.native.path=" + other);
        assertEquals("false", out.get("available"), out.toString());
        String cause = out.get("cause");
        assertTrue(cause.contains(other) && cause.contains("has no s4j_version")
                && cause.contains(io.srcu4j.bindings.srcu4j_h.S4J_VERSION().getString(0)), cause);
    }

    /** The header's version is the project's, so the library, the bindings and the jar agree. */
    @Test
    void theHeadersVersionIsTheProjects() {
        String project = System.getProperty("srcu4j.test.projectVersion");
        org.junit.jupiter.api.Assumptions.assumeTrue(project != null, "run by Maven");
        assertEquals(project, io.srcu4j.bindings.srcu4j_h.S4J_VERSION().getString(0),
                "S4J_VERSION in native/include/srcu4j/srcu4j.h (then make bindings)");
    }

    private static Map<String, String> probe(String... properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoaderProbe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe did not end: " + output);
        assertEquals(0, p.exitValue(), output);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return values;
    }
}
