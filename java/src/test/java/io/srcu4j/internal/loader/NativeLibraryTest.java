// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.loader;

import io.srcu4j.internal.Srcu4jProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeLibraryTest {

    @TempDir
    Path tmp;

    private Srcu4jProperties props(Map<String, String> values) {
        return Srcu4jProperties.from(key -> key.equals("java.io.tmpdir") ? tmp.toString() : values.get(key));
    }

    @Test
    void propertiesAreReadWithDefaults() {
        Srcu4jProperties p = props(Map.of());
        assertNull(p.nativePath());
        assertEquals(tmp, p.nativeWorkdir());
        assertFalse(p.keepTemp());
        assertFalse(p.nativeDisable());

        p = props(Map.of(Srcu4jProperties.NATIVE_PATH, "/x/libsrcu4j.so", Srcu4jProperties.NATIVE_WORKDIR, "/w",
                Srcu4jProperties.NATIVE_KEEP_TEMP, "true", Srcu4jProperties.NATIVE_DISABLE, "TRUE"));
        assertEquals(Path.of("/x/libsrcu4j.so"), p.nativePath());
        assertEquals(Path.of("/w"), p.nativeWorkdir());
        assertTrue(p.keepTemp());
        assertTrue(p.nativeDisable());
    }

    @Test
    void theLibraryForThisPlatformLoadsWhenTheJarCarriesIt() {
        String resource = Platform.resourcePath(Platform.currentKey());
        if (NativeLibrary.class.getClassLoader().getResource(resource) != null) {
            assertTrue(NativeLibrary.isAvailable(), () -> "resource " + resource + " is on the class path but: "
                    + NativeLibrary.unavailabilityCause());
        }
        if (NativeLibrary.isAvailable()) {
            assertNull(NativeLibrary.unavailabilityCause());
            // A copy extracted from the jar is deleted once loaded (LoaderCleanupTest); a file named
            // by a property or found on java.library.path stays.
            assertNotNull(NativeLibrary.loadedPath());
        } else {
            assertNotNull(NativeLibrary.unavailabilityCause());
        }
    }

    @Test
    void missingResourceNamesTheResourceThePlatformAndTheProperty() {
        NativeLibrary.LoadResult r = NativeLibrary.load(props(Map.of()), "Linux", "sparcv9",
                NativeLibraryTest.class.getClassLoader());
        assertFalse(r.loaded());
        String m = r.failure().getMessage();
        assertInstanceOf(UnsatisfiedLinkError.class, r.failure());
        assertTrue(m.contains("META-INF/native/linux-sparcv9/libsrcu4j.so"), m);
        assertTrue(m.contains("os.name=Linux"), m);
        assertTrue(m.contains("os.arch=sparcv9"), m);
        assertTrue(m.contains(Srcu4jProperties.NATIVE_PATH), m);
    }

    @Test
    void disableWinsOverEverything() {
        NativeLibrary.LoadResult r = NativeLibrary.load(
                props(Map.of(Srcu4jProperties.NATIVE_DISABLE, "true", Srcu4jProperties.NATIVE_PATH, "/nowhere")),
                "Linux", "amd64", NativeLibraryTest.class.getClassLoader());
        assertFalse(r.loaded());
        assertTrue(r.failure().getMessage().contains(Srcu4jProperties.NATIVE_DISABLE), r.failure().getMessage());
    }

    @Test
    void overridePathToAMissingFileNamesThePathAndTheProperty() {
        Path missing = tmp.resolve("no-such-lib.so");
        NativeLibrary.LoadResult r = NativeLibrary.load(props(Map.of(Srcu4jProperties.NATIVE_PATH, missing.toString())),
                "Linux", "amd64", NativeLibraryTest.class.getClassLoader());
        assertFalse(r.loaded());
        String m = r.failure().getMessage();
        assertTrue(m.contains(Srcu4jProperties.NATIVE_PATH) && m.contains(missing.toString()), m);
    }

    @Test
    void overridePathToANonLibraryChainsTheLoaderError() throws IOException {
        Path bogus = Files.writeString(tmp.resolve("libbogus.so"), "not an ELF file");
        NativeLibrary.LoadResult r = NativeLibrary.load(props(Map.of(Srcu4jProperties.NATIVE_PATH, bogus.toString())),
                "Linux", "amd64", NativeLibraryTest.class.getClassLoader());
        assertFalse(r.loaded());
        assertTrue(r.failure().getMessage().contains(Srcu4jProperties.NATIVE_PATH), r.failure().getMessage());
        assertInstanceOf(UnsatisfiedLinkError.class, r.failure().getCause());
    }

    /** A class loader whose only resource is a fake library for {@code linux-x86_64}. */
    private URLClassLoader fakeJar(Path root) throws IOException {
        Path lib = root.resolve(Platform.resourcePath("linux-x86_64"));
        Files.createDirectories(lib.getParent());
        Files.writeString(lib, "not an ELF file either");
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }

    @Test
    void extractionGoesToTheWorkdirAndAFailedLoadDeletesTheCopy() throws IOException {
        Path workdir = Files.createDirectories(tmp.resolve("work/dir"));
        try (URLClassLoader jar = fakeJar(tmp.resolve("jar"))) {
            NativeLibrary.LoadResult r = NativeLibrary.load(
                    props(Map.of(Srcu4jProperties.NATIVE_WORKDIR, workdir.toString())), "Linux", "amd64", jar);
            assertFalse(r.loaded());
            String m = r.failure().getMessage();
            assertTrue(m.contains("META-INF/native/linux-x86_64/libsrcu4j.so"), m);
            assertTrue(m.contains(workdir.toString()), m);
            assertInstanceOf(UnsatisfiedLinkError.class, r.failure().getCause());
        }
        try (Stream<Path> files = Files.list(workdir)) {
            assertEquals(0, files.count(), "the extracted copy of a library that failed to load was kept");
        }
    }

    @Test
    void keepTempKeepsTheExtractedCopy() throws IOException {
        Path workdir = Files.createDirectories(tmp.resolve("kept"));
        try (URLClassLoader jar = fakeJar(tmp.resolve("jar"))) {
            NativeLibrary.LoadResult r = NativeLibrary.load(props(Map.of(Srcu4jProperties.NATIVE_WORKDIR, workdir.toString(),
                    Srcu4jProperties.NATIVE_KEEP_TEMP, "true")), "Linux", "x86_64", jar);
            assertFalse(r.loaded());
        }
        try (Stream<Path> dirs = Files.list(workdir)) {
            Path dir = dirs.filter(f -> f.getFileName().toString().startsWith("srcu4j-" + ProcessHandle.current().pid() + "-"))
                    .findFirst().orElseThrow(() -> new AssertionError("no extraction directory kept in " + workdir));
            assertTrue(Files.isRegularFile(dir.resolve("libsrcu4j.so")), dir.toString());
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir)), "the directory is this user's alone");
        }
    }

    @Test
    void aMissingWorkdirIsNamedAndNotCreated() throws IOException {
        Path missing = tmp.resolve("no/such/dir");
        try (URLClassLoader jar = fakeJar(tmp.resolve("jar"))) {
            NativeLibrary.LoadResult r = NativeLibrary.load(
                    props(Map.of(Srcu4jProperties.NATIVE_WORKDIR, missing.toString())), "Linux", "amd64", jar);
            assertFalse(r.loaded());
            String m = r.failure().getMessage();
            assertTrue(m.contains(missing.toString()) && m.contains("does not exist"), m);
            assertTrue(m.contains(Srcu4jProperties.NATIVE_WORKDIR), m);
        }
        assertFalse(Files.exists(missing), "the workdir was created");
        assertFalse(Files.exists(tmp.resolve("no")), "a parent of the workdir was created");
    }

    @Test
    void aLibraryOnJavaLibraryPathIsFoundInTheFirstDirectoryThatHasIt() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("lib-empty"));
        Path first = Files.createDirectories(tmp.resolve("lib-first"));
        Path second = Files.createDirectories(tmp.resolve("lib-second"));
        Files.writeString(first.resolve("libsrcu4j.so"), "x");
        Files.writeString(second.resolve("libsrcu4j.so"), "y");
        String path = String.join(java.io.File.pathSeparator, empty.toString(), "", first.toString(), second.toString());
        assertEquals(first.resolve("libsrcu4j.so"), NativeLibrary.onLibraryPath(path));
        assertNull(NativeLibrary.onLibraryPath(empty.toString()));
        assertNull(NativeLibrary.onLibraryPath(""));
        assertNull(NativeLibrary.onLibraryPath(null));
    }

    @Test
    void refusedNativeAccessIsDiagnosedAsSuch() {
        String d = NativeLibrary.diagnosis(new IllegalCallerException("Illegal native access from: unnamed module"),
                tmp);
        assertTrue(d.contains("--enable-native-access=ALL-UNNAMED"), d);
        assertFalse(d.contains("noexec"), d);
        String noexec = NativeLibrary.diagnosis(new UnsatisfiedLinkError("x.so: failed to map segment from shared object"),
                tmp);
        assertTrue(noexec.contains("noexec") && noexec.contains(tmp.toString()), noexec);
        assertEquals("", NativeLibrary.diagnosis(new UnsatisfiedLinkError("invalid ELF header"), tmp));
    }

    @Test
    void unwritableWorkdirIsReportedWithTheProperty() throws IOException {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        try (URLClassLoader jar = fakeJar(tmp.resolve("jar"))) {
            NativeLibrary.LoadResult r = NativeLibrary.load(
                    props(Map.of(Srcu4jProperties.NATIVE_WORKDIR, notADir.toString())), "Linux", "amd64", jar);
            assertFalse(r.loaded());
            assertTrue(r.failure().getMessage().contains(Srcu4jProperties.NATIVE_WORKDIR), r.failure().getMessage());
            assertTrue(r.failure().getMessage().contains(notADir + " does not exist or is no directory"),
                    r.failure().getMessage());
        }
    }

    @Test
    void ensureAvailableChainsTheCause() {
        if (!NativeLibrary.isAvailable()) {
            UnsatisfiedLinkError e = org.junit.jupiter.api.Assertions.assertThrows(UnsatisfiedLinkError.class,
                    NativeLibrary::ensureAvailable);
            assertEquals(NativeLibrary.unavailabilityCause(), e.getCause());
        } else {
            NativeLibrary.ensureAvailable();
        }
    }
}
