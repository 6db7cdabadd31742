package io.srcu4j.internal.ffm;

import io.srcu4j.Srcu4jException;
import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.internal.Errno;
import io.srcu4j.internal.NativeDomainReleaser;
import io.srcu4j.internal.WorkerThreads;
import io.srcu4j.internal.loader.NativeLibrary;
import io.srcu4j.internal.path.DomainPath;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One native SRCU domain reached through FFM: the {@code struct s4j_srcu *}, its callback table
 * and the shared arena that holds the callback heads and the upcall stub.
 *
 * <p>Methods return the C function's result ({@code 0} or {@code -errno}) and leave the
 * translation into exceptions, and all state checks, to {@code io.srcu4j.Srcu}.
 *
 * <p>Lifetime: the C domain is closed by {@code Srcu.close()} but freed only by
 * {@link #releaser()}, which a {@link java.lang.ref.Cleaner} runs once the owning {@code Srcu} is
 * unreachable. So a reader racing {@code close()} still finds valid counters, and the arena
 * (heads, upcall stub) is closed only after the worker thread has been joined. Nothing here refers
 * back to the {@code Srcu}, or it would never become unreachable.
 */
public final class FfmDomain implements DomainPath {

    /** Global scope (from a pointer read), so downcalls never check or acquire a scope for it. */
    private final MemorySegment ssp;
    private final Arena arena;
    private final CallbackTable callbacks;
    private final ReadSide readSide;

    private FfmDomain(MemorySegment ssp, Arena arena, CallbackTable callbacks, boolean direct) {
        this.ssp = ssp;
        this.arena = arena;
        this.callbacks = callbacks;
        this.readSide = direct ? new DirectReadSide(ssp, FfmPlatform.capabilities().possibleCpus())
                : new DowncallReadSide(ssp);
    }

    /**
     * Creates a domain of the given flavor ({@code enum s4j_flavor}) and its worker. A fast
     * domain asked for where membarrier is refused comes back classic; {@link #flavor()} says so.
     * Java read sections count through a downcall each, or ({@code direct}) in the domain's
     * memory themselves.
     *
     * @throws UnsatisfiedLinkError when the native library is unavailable
     * @throws Srcu4jException      when {@code s4j_srcu_create} fails
     */
    public static FfmDomain create(int flavor, boolean direct) {
        NativeLibrary.ensureAvailable();
        // Shared: heads are written by every caller thread and read by the worker.
        Arena arena = Arena.ofShared();
        try {
            CallbackTable callbacks = new CallbackTable(arena, WorkerThreads.WORKER);
            MemorySegment ssp;
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment out = scratch.allocate(srcu4j_h.C_POINTER);
                int rc = srcu4j_h.s4j_srcu_create(flavor, out);
                if (rc < 0) {
                    throw new Srcu4jException("s4j_srcu_create", -rc, "creating a domain of flavor " + flavor);
                }
                ssp = out.get(srcu4j_h.C_POINTER, 0);
            }
            try {
                return new FfmDomain(ssp, arena, callbacks, direct);
            } catch (Throwable t) {
                srcu4j_h.s4j_srcu_close(ssp);
                srcu4j_h.s4j_srcu_free(ssp);
                throw t;
            }
        } catch (Throwable t) {
            arena.close();
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

    /** {@code s4j_srcu_get_state}: [F] inside. */
    @Override
    public long getState() {
        return srcu4j_h.s4j_srcu_get_state(ssp);
    }

    /** {@code s4j_srcu_start_poll}: [F] inside; may wake the worker. */
    @Override
    public long startPoll() {
        return srcu4j_h.s4j_srcu_start_poll(ssp);
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
     * Queues {@code task} with {@code s4j_call_srcu}. An ordinary downcall: the C side never
     * blocks, but may wake the worker with a system call. On failure the slot is given back.
     */
    @Override
    public int callSrcu(Runnable task) {
        int slot = callbacks.acquire(task);
        int rc = srcu4j_h.s4j_call_srcu(ssp, callbacks.head(slot), callbacks.function());
        if (rc != 0) {
            callbacks.abandon(slot);
        }
        return rc;
    }

    /** {@code s4j_srcu_barrier}: blocks, so an ordinary downcall. */
    @Override
    public int barrier() {
        return srcu4j_h.s4j_srcu_barrier(ssp);
    }

    /** {@code s4j_srcu_close}: runs callbacks (upcalls) while it waits; an ordinary downcall. */
    @Override
    public int close() {
        int rc = srcu4j_h.s4j_srcu_close(ssp);
        if (rc == 0 || rc == -Errno.EALREADY) {
            readSide.closed();
        }
        return rc;
    }

    /** {@code s4j_srcu_close_start}: never waits for the drain. */
    @Override
    public int closeStart() {
        return srcu4j_h.s4j_srcu_close_start(ssp);
    }

    /** {@code s4j_srcu_close_poll}; once closed, the read side gives its home sets up. */
    @Override
    public int closePoll() {
        int rc = srcu4j_h.s4j_srcu_close_poll(ssp);
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

    /** Whether the calling thread is running one of this domain's callbacks. */
    @Override
    public boolean onWorkerThread() {
        return callbacks.isWorker(Thread.currentThread());
    }

    @Override
    public void setUncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        callbacks.setUncaughtExceptionHandler(handler);
    }

    @Override
    public Thread.UncaughtExceptionHandler getUncaughtExceptionHandler() {
        return callbacks.getUncaughtExceptionHandler();
    }

    @Override
    public long callbacksRun() {
        return callbacks.callbacksRun();
    }

    /** The address of the C domain, for diagnostics. */
    public long address() {
        return ssp.address();
    }

    /**
     * The cleanup to register with a {@code Cleaner} for the owning object. It closes the domain
     * if nobody did (running any callback still queued), then frees it and closes the arena. If
     * read sections are still open (guards that were never closed), it leaves everything
     * allocated: freeing counters a reader may still decrement would corrupt memory.
     */
    @Override
    public Runnable releaser() {
        return new Releaser(ssp, arena);
    }

    /** Keeping the memory needs nothing: the shared arena stays open until closed here. */
    private static final class Releaser extends NativeDomainReleaser {
        private final MemorySegment ssp;
        private final Arena arena;

        Releaser(MemorySegment ssp, Arena arena) {
            this.ssp = ssp;
            this.arena = arena;
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
            arena.close();
        }

        @Override
        protected void keepMemory() {
        }
    }
}
