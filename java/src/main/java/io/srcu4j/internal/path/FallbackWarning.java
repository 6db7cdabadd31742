// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.path;

import io.srcu4j.internal.Srcu4jProperties;
import io.srcu4j.internal.loader.NativeLibrary;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one warning a JVM gets when the native library did not load and domains fall back to the
 * pure-Java path by default: why, and how to fix it (or how to choose the Java path on purpose).
 * Logged once per class loader through {@code System.Logger} ({@code io.srcu4j}), when the first
 * such domain is created. Choosing the path ({@code -Dsrcu4j.path=java}) or refusing the library
 * ({@code -Dsrcu4j.native.disable=true}) is a decision, not a failure: then it is logged at
 * DEBUG only.
 */
final class FallbackWarning {

    private static final System.Logger LOG = System.getLogger("io.srcu4j");
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private FallbackWarning() {
    }

    /** The default path is {@code chosen}: warns, the first time, when that is a fallback from native. */
    static void defaultChosen(PathKind chosen) {
        Throwable cause = NativeLibrary.unavailabilityCause();
        if (chosen != PathKind.JAVA || cause == null || !LOGGED.compareAndSet(false, true)) {
            return;
        }
        boolean refused = Srcu4jProperties.fromSystem().nativeDisable();
        LOG.log(refused ? Level.DEBUG : Level.WARNING, message(cause.getMessage(), refused, accessRefused(cause)));
    }

    /** Whether {@code cause} comes from native access refused to this module (or the class path). */
    static boolean accessRefused(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof IllegalCallerException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The warning's text, for the cause's message {@code why}; {@code accessRefused}: the library
     * is there but the JVM refused native access, and granting it is the whole fix.
     */
    static String message(String why, boolean refused, boolean accessRefused) {
        if (refused) {
            return "srcu4j: the native library is disabled (-D" + Srcu4jProperties.NATIVE_DISABLE + "=true);"
                    + " domains run on the pure-Java path";
        }
        String fix;
        if (accessRefused) {
            Module module = FallbackWarning.class.getModule();
            fix = "To fix it, grant native access: run java with --enable-native-access="
                    + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
        } else {
            fix = "To fix it, run where the srcu4j jar carries a library (linux-x86_64, linux-aarch64) with a"
                    + " writable, executable -D" + Srcu4jProperties.NATIVE_WORKDIR + ", or build native/ and pass -D"
                    + Srcu4jProperties.NATIVE_PATH + "=/path/to/libsrcu4j.so";
        }
        return "srcu4j: the native library libsrcu4j did not load, so domains run on the pure-Java path, whose read"
                + " sections cost several times more: " + why + ". " + fix
                + "; to run on the Java path on purpose, without this warning, set -D" + Srcu4jProperties.PATH
                + "=java. (Logged once.)";
    }
}
