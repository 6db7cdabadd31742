// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.loader.NativeLibrary;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The read side's two downcalls, {@code s4j_srcu_down_read} and {@code s4j_srcu_up_read},
 * linked as <em>critical</em> downcalls ({@code Linker.Option.critical(false)}).
 *
 * <p>Why down_read/up_read and not read_lock/read_unlock: the C read_lock tracks sections per
 * native thread (to refuse a synchronize inside one's own section). A Java section may end on
 * another native thread: a virtual thread that parks inside it resumes on another carrier, and a
 * guard may be handed to another thread. down_read/up_read count the same per-CPU counters with
 * the same barriers and are meant for exactly that.
 *
 * <p>Why critical: a normal downcall moves the thread from Java to native state and back, with a
 * safepoint poll and (on the way back) a check for pending handshakes, which costs several times
 * the rseq increment and fence the C functions do. Both functions are short, bounded and
 * non-blocking (an rseq add or an atomic add, then a fence), never call back into Java, and get
 * no heap segments ({@code false}: heap access is not allowed), which is what a critical
 * downcall requires. Every other libsrcu4j function blocks, may make system calls or runs
 * callbacks, and goes through the ordinary bindings.
 *
 * <p>Ordering: a downcall is not a Java synchronization action. The ordering a read section needs
 * comes from the fences inside the C functions, barrier [B] after the lock increment and [C]
 * before the unlock increment (see {@code native/src/srcu.c}), which pair with [A] and [D]-[G]
 * on the grace-period side. The JIT compiles a downcall, critical or not, as a call to unknown
 * code, so it does not move the section's Java loads and stores across it.
 *
 * <p>The handles are static finals so the JIT treats them as constants and inlines the call
 * stub. This class must not be initialised before the library is loaded.
 */
final class ReadPath {

    private static final MethodHandle READ_LOCK;
    private static final MethodHandle READ_UNLOCK;

    static {
        NativeLibrary.ensureAvailable();
        Linker linker = Linker.nativeLinker();
        // critical(false): short, non-blocking, no upcalls, no heap segments (see class comment).
        READ_LOCK = linker.downcallHandle(srcu4j_h.s4j_srcu_down_read$address(),
                srcu4j_h.s4j_srcu_down_read$descriptor(), Linker.Option.critical(false));
        // critical(false): as above; [C] is inside the C function, before its increment.
        READ_UNLOCK = linker.downcallHandle(srcu4j_h.s4j_srcu_up_read$address(),
                srcu4j_h.s4j_srcu_up_read$descriptor(), Linker.Option.critical(false));
    }

    private ReadPath() {
    }

    /** {@code s4j_srcu_down_read(ssp)}: enters a read section; [B] follows the increment. */
    static int lock(MemorySegment ssp) {
        try {
            return (int) READ_LOCK.invokeExact(ssp);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code s4j_srcu_up_read(ssp, idx)}: leaves it; [C] precedes the increment. */
    static void unlock(MemorySegment ssp, int idx) {
        try {
            READ_UNLOCK.invokeExact(ssp, idx);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new AssertionError("a downcall threw a checked exception", t);
    }
}
