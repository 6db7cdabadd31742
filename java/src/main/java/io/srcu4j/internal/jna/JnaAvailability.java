// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.jna;

/**
 * Whether the {@code jna} path can run here. Refers to no JNA class itself, so it can answer when
 * JNA is missing from the class path.
 */
public final class JnaAvailability {

    private static final String PROBE_CLASS = "com.sun.jna.Native";

    private JnaAvailability() {
    }

    /**
     * Why the {@code jna} path cannot run here, or {@code null} when it can: JNA is not on the
     * class path, or libsrcu4j could not be loaded, or JNA could not bind it.
     */
    public static String unavailableReason() {
        if (!jnaOnClassPath()) {
            return "JNA is not on the class path (add net.java.dev.jna:jna, 5.x)";
        }
        Throwable failure = JnaLibrary.failure();
        return failure == null ? null : "libsrcu4j cannot be bound through JNA: " + failure;
    }

    private static boolean jnaOnClassPath() {
        try {
            Class.forName(PROBE_CLASS, false, JnaAvailability.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
