// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.ReaderFlavor;
import io.srcu4j.Srcu;
import io.srcu4j.Srcu4j;
import java.util.List;

/**
 * The srcu4j paths as the benchmarks name them, and how to make a domain on one of them.
 *
 * <p>A path is chosen by the {@code srcu4j.path} property when {@link Srcu#create()} runs, so a
 * benchmark that wants a given path sets the property around that call only; {@link #DEFAULT}
 * leaves it alone and gets the path srcu4j picks by itself.
 */
public final class BenchPaths {

    public static final String DEFAULT = "default";
    public static final String NATIVE_DIRECT = "native-direct";
    public static final String JAVA = "java";
    public static final String NATIVE_DOWNCALL = "native-downcall";
    public static final String JNA = "jna";

    /** Every named path, fastest first as srcu4j ranks them. */
    public static final List<String> ALL = List.of(NATIVE_DIRECT, JAVA, NATIVE_DOWNCALL, JNA);

    private static final String PROPERTY = "srcu4j.path";

    private BenchPaths() {
    }

    /** A domain on {@code path} ({@link #DEFAULT}: the one srcu4j picks). */
    public static Srcu create(String path) {
        return create(path, ReaderFlavor.CLASSIC);
    }

    /** A domain of {@code flavor} on {@code path} ({@link #DEFAULT}: the one srcu4j picks). */
    public static Srcu create(String path, ReaderFlavor flavor) {
        if (path.equals(DEFAULT)) {
            return Srcu.create(flavor);
        }
        String before = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, path);
        try {
            return Srcu.create(flavor);
        } finally {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        }
    }

    /** The path {@code Srcu.create()} picks here: PathKind's order, native-direct when libsrcu4j loads. */
    public static String defaultPath() {
        return defaultPath(Srcu4j.isAvailable());
    }

    /** The path {@code Srcu.create()} picks when libsrcu4j did or did not load. */
    static String defaultPath(boolean nativeAvailable) {
        return nativeAvailable ? NATIVE_DIRECT : JAVA;
    }

    /** The named paths that can run, fastest first: {@link #ALL}, or only {@link #JAVA} without libsrcu4j. */
    static List<String> available(boolean nativeAvailable) {
        return ALL.stream().filter(p -> nativeAvailable || !needsNative(p)).toList();
    }

    /**
     * The paths a short run measures a workload on: the default one and the pure-Java one (the
     * two a user picks between), of those that can run.
     */
    static List<String> main(boolean nativeAvailable) {
        return available(nativeAvailable).stream().filter(p -> p.equals(NATIVE_DIRECT) || p.equals(JAVA)).toList();
    }

    /** True when {@code path} needs libsrcu4j (every path but the pure-Java one). */
    public static boolean needsNative(String path) {
        return !path.equals(JAVA) && !path.equals(DEFAULT);
    }
}
