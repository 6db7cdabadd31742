// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.loader;

import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.Srcu4jProperties;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.lang.foreign.SymbolLookup;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Loads {@code libsrcu4j.so} once, at first use, and remembers whether that worked and why not.
 *
 * <p>Order tried:
 * <ol>
 *   <li>{@code -Dsrcu4j.native.disable=true}: nothing is loaded; the native path is unavailable.</li>
 *   <li>{@code -Dsrcu4j.native.path=<file>}: that file is loaded in place.</li>
 *   <li>{@code libsrcu4j.so} in a directory of {@code java.library.path}: loaded from there, as
 *       {@link System#loadLibrary} finds it (a distribution that installs the library).</li>
 *   <li>Otherwise the class-path resource {@code META-INF/native/<os>-<arch>/libsrcu4j.so} (see
 *       {@link Platform}) is copied into a directory of its own, readable by this user only,
 *       {@code srcu4j-<pid>-<random>} in {@code srcu4j.native.workdir} (default
 *       {@code java.io.tmpdir}, which must exist: it is never created), loaded, and deleted with
 *       its directory at once (the mapping stays; {@code srcu4j.native.keepTemp=true} keeps
 *       them). Directories that JVMs no longer running left behind (killed between the copy and
 *       the load) are removed first, as are copies an older version left.</li>
 * </ol>
 *
 * <p>Whichever file loaded, its {@code s4j_version()} must be the version the bindings were
 * generated for ({@code S4J_VERSION} of the header): another version's library, or a file that is
 * no srcu4j library at all, leaves the native paths unavailable with a message naming both, rather
 * than failing later on a missing symbol. That first call also finds out whether native access is
 * granted, so {@link #isAvailable()} true means the paths can run.
 *
 * <p>The library is loaded with {@link System#load} by this class, so it belongs to this class's
 * loader; the generated bindings look symbols up with {@code SymbolLookup.loaderLookup()} and
 * must therefore live in the same class loader, and no binding may be touched before
 * {@link #ensureAvailable()} has succeeded. A second class loader holding another copy of
 * srcu4j would load a second, independent copy of the library.
 *
 * <p>A failure is kept, with every underlying exception as its cause or suppressed, and
 * reported by {@link #unavailabilityCause()}; its message names {@code os.name},
 * {@code os.arch}, the resource looked for and the property that overrides it.
 */
public final class NativeLibrary {

    private static final System.Logger LOG = System.getLogger("io.srcu4j");
    /** The longest version string read from the library (it ends at its NUL well before). */
    private static final long VERSION_MAX = 256;

    /** What one load attempt gave: the file loaded, or why nothing was. */
    public record LoadResult(Path path, Throwable failure) {
        public LoadResult {
            if ((path == null) == (failure == null)) {
                throw new IllegalArgumentException("exactly one of path and failure");
            }
        }

        /** Whether the library was loaded. */
        public boolean loaded() {
            return failure == null;
        }
    }

    /** Computed once, at class initialisation, which the JVM makes thread-safe. */
    private static final LoadResult RESULT = verified(load(Srcu4jProperties.fromSystem(),
            System.getProperty("os.name"), System.getProperty("os.arch"), NativeLibrary.class.getClassLoader()));

    private NativeLibrary() {
    }

    /** Whether the native library is loaded. */
    public static boolean isAvailable() {
        return RESULT.loaded();
    }

    /**
     * Returns when the native library is loaded.
     *
     * @throws UnsatisfiedLinkError when it is not, caused by {@link #unavailabilityCause()}
     */
    public static void ensureAvailable() {
        Throwable cause = RESULT.failure();
        if (cause != null) {
            UnsatisfiedLinkError e = new UnsatisfiedLinkError("srcu4j native library unavailable: " + cause.getMessage());
            e.initCause(cause);
            throw e;
        }
    }

    /** Why the native library is not loaded, or {@code null} when it is. */
    public static Throwable unavailabilityCause() {
        return RESULT.failure();
    }

    /** The file the library was loaded from, or {@code null} when it was not loaded. */
    public static Path loadedPath() {
        return RESULT.path();
    }

    /**
     * One load attempt with the given settings; {@link System#load} is not repeated for a file
     * this class loader already loaded. Visible for tests, which pass made-up platforms.
     */
    public static LoadResult load(Srcu4jProperties props, String osName, String osArch, ClassLoader resources) {
        Objects.requireNonNull(props, "props");
        String key = Platform.osArchKey(osName, osArch);
        String resource = Platform.resourcePath(key);
        String where = " (os.name=" + osName + ", os.arch=" + osArch + ", key " + key + ")";

        if (props.nativeDisable()) {
            return failed(new UnsatisfiedLinkError("loading disabled by -D" + Srcu4jProperties.NATIVE_DISABLE
                    + "=true" + where));
        }
        if (props.nativePath() != null) {
            return loadOverride(props.nativePath().toAbsolutePath(), where, "-D" + Srcu4jProperties.NATIVE_PATH);
        }

        Path installed = onLibraryPath(System.getProperty("java.library.path"));
        if (installed != null) {
            return loadOverride(installed, where, "java.library.path");
        }

        URL url = resources == null ? ClassLoader.getSystemResource(resource) : resources.getResource(resource);
        if (url == null) {
            return failed(new UnsatisfiedLinkError("no native library for this platform" + where
                    + ": resource " + resource + " is not on the class path; build libsrcu4j for this"
                    + " platform and name it with -D" + Srcu4jProperties.NATIVE_PATH + "=/path/to/libsrcu4j.so"));
        }
        return extractAndLoad(url, resource, props, where);
    }

    /** {@code libsrcu4j.so} in the first directory of {@code libraryPath} that has it, or null. */
    static Path onLibraryPath(String libraryPath) {
        if (libraryPath == null || libraryPath.isBlank()) {
            return null;
        }
        String name = System.mapLibraryName("srcu4j");
        for (String dir : libraryPath.split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                Path candidate = Path.of(dir, name).toAbsolutePath();
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static LoadResult loadOverride(Path file, String where, String source) {
        String prefix = source + " " + file;
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return failed(new UnsatisfiedLinkError(prefix + " is not a readable file" + where));
        }
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            UnsatisfiedLinkError failure = new UnsatisfiedLinkError(prefix + " could not be loaded" + where
                    + ": " + e.getMessage() + diagnosis(e, null));
            failure.initCause(e);
            return failed(failure);
        }
        LOG.log(Level.DEBUG, () -> "srcu4j: loaded " + file + " (" + source + ")");
        return new LoadResult(file, null);
    }

    /**
     * What to do about a failed {@link System#load}: grant native access when that was refused;
     * a mount that allows execution when mapping the file was refused; nothing otherwise.
     */
    static String diagnosis(Throwable e, Path dir) {
        if (e instanceof IllegalCallerException) {
            Module module = NativeLibrary.class.getModule();
            String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            return "; native access is not enabled for " + name + ": run java with --enable-native-access=" + name;
        }
        String message = String.valueOf(e.getMessage());
        if (dir != null && (message.contains("map segment") || message.contains("Operation not permitted"))) {
            return "; if " + dir + " is mounted noexec, set -D" + Srcu4jProperties.NATIVE_WORKDIR
                    + " to a directory that allows execution";
        }
        return "";
    }

    private static LoadResult extractAndLoad(URL url, String resource, Srcu4jProperties props, String where) {
        Path workdir = props.nativeWorkdir().toAbsolutePath();
        if (!Files.isDirectory(workdir)) {
            return failed(new UnsatisfiedLinkError(workdir + " does not exist or is no directory, so " + resource
                    + " cannot be extracted" + where + " (srcu4j creates no such directory); set -D"
                    + Srcu4jProperties.NATIVE_WORKDIR + " to a writable directory, or -D"
                    + Srcu4jProperties.NATIVE_PATH + " to a library file"));
        }
        ExtractedCopies.removeStale(workdir);
        Path dir;
        Path file;
        try {
            dir = ExtractedCopies.createPrivateDirectory(workdir);
            file = dir.resolve(System.mapLibraryName("srcu4j"));
        } catch (IOException | RuntimeException e) {
            return failed(withCause(new UnsatisfiedLinkError("cannot create a directory in " + workdir + " to extract "
                    + resource + where + "; set -D" + Srcu4jProperties.NATIVE_WORKDIR
                    + " to a writable directory, or -D" + Srcu4jProperties.NATIVE_PATH + " to a library file"), e));
        }
        try (InputStream in = url.openStream()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            UnsatisfiedLinkError failure = withCause(new UnsatisfiedLinkError("cannot extract " + resource + " to "
                    + file + where + "; set -D" + Srcu4jProperties.NATIVE_WORKDIR + " to a writable directory"), e);
            return failed(deleteQuietly(dir, props, failure));
        }
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            UnsatisfiedLinkError failure = withCause(new UnsatisfiedLinkError("cannot load " + file + " extracted from "
                    + resource + where + ": " + e.getMessage() + diagnosis(e, workdir)), e);
            return failed(deleteQuietly(dir, props, failure));
        }
        // Loaded: the mapping keeps the code, the file is not needed any more.
        deleteQuietly(dir, props, null);
        LOG.log(Level.DEBUG, () -> "srcu4j: loaded " + resource + " from " + url + " as " + file
                + (props.keepTemp() ? " (kept)" : " (deleted once loaded)"));
        return new LoadResult(file, null);
    }

    /**
     * {@code loaded}, when the library it loaded is the bindings' version and native access is
     * granted; else a failure that says which.
     */
    static LoadResult verified(LoadResult loaded) {
        if (!loaded.loaded()) {
            return loaded;
        }
        String file = String.valueOf(loaded.path());
        String expected;
        String actual;
        try {
            expected = srcu4j_h.S4J_VERSION().getString(0);
            if (SymbolLookup.loaderLookup().find("s4j_version").isEmpty()) {
                return failed(new UnsatisfiedLinkError(file + " is no libsrcu4j " + expected
                        + ": it has no s4j_version (another library, or a srcu4j older than version checks)"));
            }
            // A restricted call: it fails here, not in a domain, when native access is refused.
            actual = srcu4j_h.s4j_version().reinterpret(VERSION_MAX).getString(0);
        } catch (IllegalCallerException e) {
            return failed(withCause(new UnsatisfiedLinkError("cannot call into " + file + diagnosis(e, null)), e));
        } catch (RuntimeException | LinkageError e) {
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            return failed(withCause(new UnsatisfiedLinkError("cannot call into " + file + ": " + cause
                    + diagnosis(cause, null)), e));
        }
        if (!expected.equals(actual)) {
            return failed(new UnsatisfiedLinkError(file + " is libsrcu4j " + actual + ", but this srcu4j is "
                    + expected + ": use the library of the same version (or leave -D" + Srcu4jProperties.NATIVE_PATH
                    + " unset to use the jar's)"));
        }
        return loaded;
    }

    private static UnsatisfiedLinkError withCause(UnsatisfiedLinkError e, Throwable cause) {
        e.initCause(cause);
        return e;
    }

    /** Deletes the extraction directory {@code dir} unless told to keep it; {@code failure}, with
     *  what went wrong added, when there is one. */
    private static UnsatisfiedLinkError deleteQuietly(Path dir, Srcu4jProperties props, UnsatisfiedLinkError failure) {
        if (!props.keepTemp()) {
            try {
                ExtractedCopies.delete(dir);
            } catch (IOException | RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    LOG.log(Level.DEBUG, () -> "srcu4j: cannot delete " + dir + ": " + e);
                }
            }
        }
        return failure;
    }

    private static LoadResult failed(Throwable failure) {
        LOG.log(Level.DEBUG, () -> "srcu4j: native library unavailable: " + failure.getMessage());
        return new LoadResult(null, failure);
    }
}
