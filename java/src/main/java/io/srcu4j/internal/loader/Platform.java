// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.loader;

import java.util.Locale;

/**
 * The {@code <os>-<arch>} key that names the directory holding the library in the jar
 * ({@code META-INF/native/<key>/libsrcu4j.so}); the build uses the same keys
 * ({@code srcu4j.os-arch} in the parent pom).
 *
 * <p>Architectures are normalised the way the JDKs and distributions spell them differently:
 * {@code amd64}, {@code x86_64}, {@code x64} and {@code em64t} become {@code x86_64};
 * {@code aarch64} and {@code arm64} become {@code aarch64}. Operating systems: anything starting
 * with {@code linux} becomes {@code linux}, {@code mac}/{@code darwin} become {@code osx},
 * {@code windows*} becomes {@code windows}; others are lower-cased with spaces removed.
 */
public final class Platform {

    /** Where the libraries live inside the jar. */
    public static final String RESOURCE_ROOT = "META-INF/native/";
    /** The library's base name, as given to {@link System#mapLibraryName}. */
    public static final String LIBRARY_NAME = "srcu4j";

    private Platform() {
    }

    /** The normalised operating-system part of the key. */
    public static String normalizeOs(String osName) {
        String os = lower(osName);
        if (os.startsWith("linux")) {
            return "linux";
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return "osx";
        }
        if (os.startsWith("windows")) {
            return "windows";
        }
        return os.replaceAll("[^a-z0-9]", "");
    }

    /** The normalised architecture part of the key. */
    public static String normalizeArch(String osArch) {
        String arch = lower(osArch);
        return switch (arch) {
            case "amd64", "x86_64", "x86-64", "x64", "em64t" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i486", "i586", "i686" -> "x86_32";
            default -> arch.replaceAll("[^a-z0-9_]", "");
        };
    }

    /** {@code normalizeOs(osName) + "-" + normalizeArch(osArch)}, e.g. {@code linux-x86_64}. */
    public static String osArchKey(String osName, String osArch) {
        return normalizeOs(osName) + "-" + normalizeArch(osArch);
    }

    /** The key of the running JVM. */
    public static String currentKey() {
        return osArchKey(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /** The class-path resource (no leading slash) that holds the library for {@code key}. */
    public static String resourcePath(String key) {
        return RESOURCE_ROOT + key + "/" + libraryFileName(key);
    }

    /** The library's file name on the key's operating system. */
    static String libraryFileName(String key) {
        if (key.startsWith("osx-")) {
            return "lib" + LIBRARY_NAME + ".dylib";
        }
        if (key.startsWith("windows-")) {
            return LIBRARY_NAME + ".dll";
        }
        return "lib" + LIBRARY_NAME + ".so";
    }

    private static String lower(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}
