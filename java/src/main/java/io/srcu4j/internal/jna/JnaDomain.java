// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.jna;

import io.srcu4j.Srcu4jException;
import io.srcu4j.internal.Errno;
import io.srcu4j.internal.NativeDomainReleaser;
import io.srcu4j.internal.callbacks.DomainCallbacks;
import io.srcu4j.internal.path.DomainPath;
import io.srcu4j.internal.path.PathKind;


/**
 * One native SRCU domain reached through JNA direct mapping: the {@code struct s4j_srcu *}, and
 * its callbacks, which the shared pool of {@link DomainCallbacks} runs in Java. Methods return the C function's result ({@code 0} or {@code -errno}) and
 * leave the translation into exceptions, and all state checks, to {@code io.srcu4j.Srcu}.
 *
 * <p>Every read section is entered with {@code s4j_srcu_down_read} and left with
 * {@code s4j_srcu_up_read}, so any section may end in another thread; none is tracked per thread
 * here ({@code Srcu} tracks them). The barriers that order a section, [B] after the lock
 * increment and [C] before the unlock increment (letters of {@code native/src/srcu.c}), are inside
 * those C functions, as are the grace-period side's [A], [D], [E], [F] and [G]: a JNA call is a
 * call to unknown code, which the JIT does not move Java accesses across.
 *
 * <p>Lifetime, as on the FFM paths: {@code Srcu.close()} closes the C domain; {@link #releaser()},
 * run by a {@link java.lang.ref.Cleaner} once the owning {@code Srcu} is unreachable, drains the
 * Java callbacks and frees it. Nothing here refers back to the {@code Srcu}.
 */
public final class JnaDomain implements DomainPath {

    /** The {@code struct s4j_srcu *}; never 0. */
    private final long ssp;
    private final DomainCallbacks callbacks;

    private JnaDomain(long ssp) {
        this.ssp = ssp;
        this.callbacks = new DomainCallbacks(this);
    }

    /**
     * Creates a domain of the given flavor ({@code enum s4j_flavor}) and its worker. A fast
     * domain asked for where membarrier is refused comes back classic; {@link #flavor()} says so.
     *
     * @throws UnsatisfiedLinkError when the path cannot run here (the message says why)
     * @throws Srcu4jException      when {@code s4j_srcu_create} fails
     */
    public static JnaDomain create(int flavor) {
        String unavailable = JnaAvailability.unavailableReason();
        if (unavailable != null) {
            throw new UnsatisfiedLinkError("srcu4j jna path unavailable: " + unavailable);
        }
        long[] out = new long[1];
        int rc = JnaFunctions.s4j_srcu_create(flavor, out);
        if (rc < 0) {
            throw new Srcu4jException("s4j_srcu_create", -rc, "creating a domain of flavor " + flavor);
        }
        if (out[0] == 0) {
            throw new Srcu4jException("s4j_srcu_create", Errno.EFAULT, "it returned " + rc + " and a null domain");
        }
        return new JnaDomain(out[0]);
    }

    /** {@code s4j_srcu_down_read}: [B] inside, after the increment. */
    @Override
    public long readLock() {
        return JnaFunctions.s4j_srcu_down_read(ssp);
    }

    /** {@code s4j_srcu_up_read}, in any thread: [C] inside, before the increment. */
    @Override
    public void readUnlock(long section) {
        JnaFunctions.s4j_srcu_up_read(ssp, (int) section);
    }

    @Override
    public int synchronize(boolean expedited) {
        return expedited ? JnaFunctions.s4j_srcu_synchronize_expedited(ssp) : JnaFunctions.s4j_srcu_synchronize(ssp);
    }

    /** {@code s4j_srcu_advance}: never blocks; [G] inside when it returns 1. */
    @Override
    public boolean advance(long cookie) {
        return JnaFunctions.s4j_srcu_advance(ssp, cookie) != 0;
    }

    /** {@code s4j_srcu_start_advance}: [F] inside, and [G] when bit 0 is set. */
    @Override
    public long startAdvance() {
        return JnaFunctions.s4j_srcu_start_advance(ssp);
    }

    /** {@code s4j_srcu_start_advance_expedited}: [F] inside, and [G] when bit 0 is set. */
    @Override
    public long startAdvanceExpedited() {
        return JnaFunctions.s4j_srcu_start_advance_expedited(ssp);
    }

    /** {@code s4j_srcu_get_state}: [F] inside. */
    @Override
    public long getState() {
        return JnaFunctions.s4j_srcu_get_state(ssp);
    }

    /** {@code s4j_srcu_poll_state}: [G] inside when it returns 1. */
    @Override
    public boolean pollState(long cookie) {
        return JnaFunctions.s4j_srcu_poll_state(ssp, cookie) != 0;
    }

    /** {@code s4j_srcu_close_start} (-EBUSY, -EALREADY), then the Java callbacks' door; no wait. */
    @Override
    public int closeStart() {
        return callbacks.closeStartAfterNative(JnaFunctions.s4j_srcu_close_start(ssp));
    }

    /** 1 once the Java callbacks have drained and {@code s4j_srcu_close_poll} says 1. */
    @Override
    public int closePoll() {
        return callbacks.closePollAfterJava(() -> JnaFunctions.s4j_srcu_close_poll(ssp));
    }

    @Override
    public long readersActive() {
        return JnaFunctions.s4j_srcu_readers_active(ssp);
    }


    @Override
    public DomainCallbacks callbacks() {
        return callbacks;
    }

    @Override
    public int flavor() {
        return JnaFunctions.s4j_srcu_flavor(ssp);
    }

    @Override
    public String name() {
        return PathKind.JNA.propertyName();
    }

    /** See {@link NativeDomainReleaser}. */
    @Override
    public Runnable releaser() {
        return new Releaser(ssp, callbacks);
    }

    private static final class Releaser extends NativeDomainReleaser {
        private final long ssp;

        Releaser(long ssp, DomainCallbacks callbacks) {
            super(callbacks);
            this.ssp = ssp;
        }

        @Override
        protected int close() {
            return JnaFunctions.s4j_srcu_close(ssp);
        }

        @Override
        protected int free() {
            return JnaFunctions.s4j_srcu_free(ssp);
        }

        @Override
        protected long readersActive() {
            return JnaFunctions.s4j_srcu_readers_active(ssp);
        }

        @Override
        protected void releaseMemory() {
        }

        @Override
        protected void keepMemory() {
        }
    }
}
