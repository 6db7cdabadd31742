// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.jna;

/**
 * Whether the {@code jna} path can run here. Refers to no JNA class itself, so it can answer when
 * JNA is missing.
 */
public final class JnaAvailability {

    private static final String PROBE_CLASS = "com.sun.jna.Native";
    /** JNA's automatic module name (its manifest's {@code Automatic-Module-Name}). */
    private static final String JNA_MODULE = "com.sun.jna";

    private JnaAvailability() {
    }

    /**
     * Why the {@code jna} path cannot run here, or {@code null} when it can: JNA is missing, or
     * where srcu4j is a named module, not resolved or not readable; or libsrcu4j could not be
     * loaded; or JNA could not bind it.
     */
    public static String unavailableReason() {
        Module self = JnaAvailability.class.getModule();
        Class<?> probe = probe();
        if (probe == null) {
            return self.isNamed()
                    ? "JNA is not on the module path, or not resolved (add net.java.dev.jna:jna, 5.x, to the"
                    + " module path and run java with --add-modules " + JNA_MODULE + ")"
                    : "JNA is not on the class path (add net.java.dev.jna:jna, 5.x)";
        }
        if (!self.canRead(probe.getModule())) {
            return "JNA is on the class path, which module " + self.getName() + " cannot read: put"
                    + " net.java.dev.jna:jna on the module path and run java with --add-modules " + JNA_MODULE;
        }
        Throwable failure = JnaLibrary.failure();
        return failure == null ? null : "libsrcu4j cannot be bound through JNA: " + failure;
    }

    private static Class<?> probe() {
        try {
            return Class.forName(PROBE_CLASS, false, JnaAvailability.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
