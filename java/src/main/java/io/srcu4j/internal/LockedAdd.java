// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

import io.srcu4j.internal.loader.Platform;

import java.lang.invoke.VarHandle;

/**
 * Where a reader's lock increment is a full fence by itself ([B]). The Java memory model makes a
 * volatile getAndAdd a synchronization action, not a fence for the plain accesses around it, and
 * on aarch64 C2 emits it as {@code ldaddal} to the zero register or an {@code ldaxr/stlxr} loop,
 * neither of which orders a later plain load (native/litmus/A-B.sb.java-*.aarch64.litmus). On
 * x86 every lock-prefixed instruction is a full barrier. Both the native-direct and the heap
 * read sides end their lock increment with {@link #fenceIfNeeded()}.
 */
public final class LockedAdd {

    /**
     * Whether a locked read-modify-write is a full fence here: a constant, so the JIT folds the
     * test in {@link #fenceIfNeeded()} away. Architecture names as the loader normalises them.
     */
    public static final boolean IS_FULL_FENCE = isFullFence(System.getProperty("os.arch"));

    private LockedAdd() {
    }

    /** Whether {@code osArch} (an {@code os.arch} value) is x86, where a locked add is a full fence. */
    public static boolean isFullFence(String osArch) {
        return switch (Platform.normalizeArch(osArch)) {
            case "x86_64", "x86_32" -> true;
            default -> false;
        };
    }

    /**
     * [B]'s second half, right after the lock increment: a full fence where the locked add is
     * none by itself (not on x86), so that the increment precedes every load of the section.
     * Pairs with [A] and [F] (store buffering). (litmus: A-B.sb.java)
     */
    public static void fenceIfNeeded() {
        if (!IS_FULL_FENCE) {
            VarHandle.fullFence();
        }
    }
}
