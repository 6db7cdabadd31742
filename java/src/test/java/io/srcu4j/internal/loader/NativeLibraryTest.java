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
            assertTrue(Files.exists(NativeLibrary.loadedPath()), "loaded from " + NativeLibrary.loadedPath());
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

    @Test
    void overridePathLoadsThatFileInPlace() {
        Path loaded = NativeLibrary.loadedPath();
        org.junit.jupiter.api.Assumptions.assumeTrue(loaded != null, "native library not loaded");
        // The file already loaded: System.load is a no-op for it, so no second copy appears.
        NativeLibrary.LoadResult r = NativeLibrary.load(props(Map.of(Srcu4jProperties.NATIVE_PATH, loaded.toString())),
                "Linux", "sparcv9", NativeLibraryTest.class.getClassLoader());
        assertTrue(r.loaded(), () -> String.valueOf(r.failure()));
        assertEquals(loaded.toAbsolutePath(), r.path());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.count(), "an override path must not be extracted");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
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
        Path workdir = tmp.resolve("work/dir");
        try (URLClassLoader jar = fakeJar(tmp.resolve("jar"))) {
            NativeLibrary.LoadResult r = NativeLibrary.load(
                    props(Map.of(Srcu4jProperties.NATIVE_WORKDIR, workdir.toString())), "Linux", "amd64", jar);
            assertFalse(r.loaded());
            String m = r.failure().getMessage();
            assertTrue(m.contains("META-INF/native/linux-x86_64/libsrcu4j.so"), m);
            assertTrue(m.contains(workdir.toString()), m);
            assertTrue(m.contains(Srcu4jProperties.NATIVE_WORKDIR), m);
            assertInstanceOf(UnsatisfiedLinkError.class, r.failure().getCause());
        }
        assertTrue(Files.isDirectory(workdir), "the workdir was not created");
        try (Stream<Path> files = Files.list(workdir)) {
            assertEquals(0, files.count(), "the extracted copy of a library that failed to load was kept");
        }
    }

    @Test
    void keepTempKeepsTheExtractedCopy() throws IOException {
        Path workdir = tmp.resolve("kept");
        try (URLClassLoader jar = fakeJar(tmp.resolve("jar"))) {
            NativeLibrary.LoadResult r = NativeLibrary.load(props(Map.of(Srcu4jProperties.NATIVE_WORKDIR, workdir.toString(),
                    Srcu4jProperties.NATIVE_KEEP_TEMP, "true")), "Linux", "x86_64", jar);
            assertFalse(r.loaded());
        }
        try (Stream<Path> files = Files.list(workdir)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("libsrcu4j-")).count());
        }
    }

    @Test
    void unwritableWorkdirIsReportedWithTheProperty() throws IOException {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        try (URLClassLoader jar = fakeJar(tmp.resolve("jar"))) {
            NativeLibrary.LoadResult r = NativeLibrary.load(
                    props(Map.of(Srcu4jProperties.NATIVE_WORKDIR, notADir.toString())), "Linux", "amd64", jar);
            assertFalse(r.loaded());
            assertTrue(r.failure().getMessage().contains(Srcu4jProperties.NATIVE_WORKDIR), r.failure().getMessage());
            assertNotNull(r.failure().getCause());
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
