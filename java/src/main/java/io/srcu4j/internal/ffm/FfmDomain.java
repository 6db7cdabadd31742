// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.Srcu4jException;
import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.Errno;
import io.srcu4j.internal.NativeDomainReleaser;
import io.srcu4j.internal.callbacks.DomainCallbacks;
import io.srcu4j.internal.loader.NativeLibrary;
import io.srcu4j.internal.path.DomainPath;

import java.lang.foreign.MemorySegment;

/**
 * One native SRCU domain reached through FFM: the {@code struct s4j_srcu *}, its read side, and
 * its callbacks, which the shared pool of {@link DomainCallbacks} runs in Java: a callback costs
 * no downcall to queue and no upcall to run, and an idle domain costs no thread.
 *
 * <p>Methods return the C function's result ({@code 0} or {@code -errno}) and leave the
 * translation into exceptions, and all state checks, to {@code io.srcu4j.Srcu}.
 *
 * <p>Lifetime: the C domain is closed by {@code Srcu.close()} but freed only by
 * {@link #releaser()}, which a {@link java.lang.ref.Cleaner} runs once the owning {@code Srcu} is
 * unreachable. So a reader racing {@code close()} still finds valid counters, and no worker drives
 * the domain's grace periods once it is freed (close waits for the pool to let it go). Nothing
 * here refers back to the {@code Srcu}, or it would never become unreachable.
 */
public final class FfmDomain implements DomainPath {

    /** Global scope (from a pointer read), so downcalls never check or acquire a scope for it. */
    private final MemorySegment ssp;
    private final DomainCallbacks callbacks;
    private final ReadSide readSide;

    private FfmDomain(MemorySegment ssp, boolean direct) {
        this.ssp = ssp;
        this.callbacks = new DomainCallbacks(this);
        this.readSide = direct ? new DirectReadSide(ssp, FfmPlatform.possibleCpus())
                : new DowncallReadSide(ssp);
    }

    /**
     * Creates a domain of the given flavor ({@code enum s4j_flavor}). A fast domain asked for
     * where membarrier is refused comes back classic; {@link #flavor()} says so. Java read
     * sections count through a downcall each, or ({@code direct}) in the domain's memory
     * themselves.
     *
     * @throws UnsatisfiedLinkError when the native library is unavailable
     * @throws Srcu4jException      when {@code s4j_srcu_create} fails
     */
    public static FfmDomain create(int flavor, boolean direct) {
        NativeLibrary.ensureAvailable();
        MemorySegment ssp = PointerScratch.with(out -> {
            int rc = srcu4j_h.s4j_srcu_create(flavor, out);
            if (rc < 0) {
                throw new Srcu4jException("s4j_srcu_create", -rc, "creating a domain of flavor " + flavor);
            }
            return out.get(srcu4j_h.C_POINTER, 0);
        });
        try {
            return new FfmDomain(ssp, direct);
        } catch (Throwable t) {
            srcu4j_h.s4j_srcu_close(ssp);
            srcu4j_h.s4j_srcu_free(ssp);
            throw t;
        }
    }

    /** Enters a read section; [B] follows the increment (see the read side). */
    @Override
    public long readLock() {
        return readSide.lock();
    }

    /** Enters a section another thread may end; [B] follows the increment. */
    @Override
    public long readLockUntracked() {
        return readSide.lockUntracked();
    }

    /** Leaves the read section {@code section} stands for; [C] precedes the increment. */
    @Override
    public void readUnlock(long section) {
        readSide.unlock(section);
    }

    @Override
    public boolean tracksSection(long section) {
        return readSide.tracksSection(section);
    }

    @Override
    public DirectReadSide directReadSide() {
        return readSide instanceof DirectReadSide direct ? direct : null;
    }

    /** The read side, for the tests of this package. */
    ReadSide readSide() {
        return readSide;
    }

    @Override
    public boolean insideOwnSection() {
        return readSide.insideOwnSection();
    }

    /** {@code s4j_srcu_synchronize[_expedited]}: blocks, so an ordinary downcall. */
    @Override
    public int synchronize(boolean expedited) {
        return expedited ? srcu4j_h.s4j_srcu_synchronize_expedited(ssp) : srcu4j_h.s4j_srcu_synchronize(ssp);
    }

    /** {@code s4j_srcu_advance}: never blocks; [G] inside when it returns 1. */
    @Override
    public boolean advance(long cookie) {
        return srcu4j_h.s4j_srcu_advance(ssp, cookie) != 0;
    }

    /** {@code s4j_srcu_start_advance}: [F] inside, and [G] when bit 0 is set. */
    @Override
    public long startAdvance() {
        return srcu4j_h.s4j_srcu_start_advance(ssp);
    }

    /** {@code s4j_srcu_start_advance_expedited}: [F] inside, and [G] when bit 0 is set. */
    @Override
    public long startAdvanceExpedited() {
        return srcu4j_h.s4j_srcu_start_advance_expedited(ssp);
    }

    /** {@code s4j_srcu_get_state}: [F] inside. */
    @Override
    public long getState() {
        return srcu4j_h.s4j_srcu_get_state(ssp);
    }

    /** {@code s4j_srcu_poll_state}: [G] inside when it returns 1. */
    @Override
    public boolean pollState(long cookie) {
        return srcu4j_h.s4j_srcu_poll_state(ssp, cookie) != 0;
    }

    @Override
    public int flavor() {
        return srcu4j_h.s4j_srcu_flavor(ssp);
    }

    @Override
    public String name() {
        return readSide.pathName();
    }

    /**
     * {@code s4j_srcu_close_start} (its checks: -EBUSY with readers inside, -EALREADY), then the
     * Java callbacks' door and drain. Neither waits.
     */
    @Override
    public int closeStart() {
        return callbacks.closeStartAfterNative(srcu4j_h.s4j_srcu_close_start(ssp));
    }

    /**
     * 1 once the Java callbacks have drained and {@code s4j_srcu_close_poll} says the C side has
     * too; then the read side gives its home sets up.
     */
    @Override
    public int closePoll() {
        int rc = callbacks.closePollAfterJava(() -> srcu4j_h.s4j_srcu_close_poll(ssp));
        if (rc == 1) {
            readSide.closed();
        }
        return rc;
    }

    /** {@code s4j_srcu_readers_active}: a racy snapshot. */
    @Override
    public long readersActive() {
        return srcu4j_h.s4j_srcu_readers_active(ssp);
    }

    @Override
    public DomainCallbacks callbacks() {
        return callbacks;
    }


    /** The address of the C domain, for diagnostics. */
    public long address() {
        return ssp.address();
    }

    /**
     * The cleanup to register with a {@code Cleaner} for the owning object: see
     * {@link NativeDomainReleaser}. The C domain has no memory of the path's to keep or free.
     */
    @Override
    public Runnable releaser() {
        return new Releaser(ssp, callbacks);
    }

    private static final class Releaser extends NativeDomainReleaser {
        private final MemorySegment ssp;

        Releaser(MemorySegment ssp, DomainCallbacks callbacks) {
            super(callbacks);
            this.ssp = ssp;
        }

        @Override
        protected int close() {
            return srcu4j_h.s4j_srcu_close(ssp);
        }

        @Override
        protected int free() {
            return srcu4j_h.s4j_srcu_free(ssp);
        }

        @Override
        protected long readersActive() {
            return srcu4j_h.s4j_srcu_readers_active(ssp);
        }

        @Override
        protected void releaseMemory() {
        }

        @Override
        protected void keepMemory() {
        }
    }
}
