// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The slots behind one native callback queue: for each {@code struct s4j_srcu_head} handed to
 * {@code s4j_call_srcu} (or {@code s4j_defer}), the {@link Runnable} it stands for, and a
 * lock-free allocator that hands heads out and takes them back. Shared by every path that calls
 * libsrcu4j; a subclass supplies the native memory, through its own foreign-call mechanism, and
 * the function pointer whose calls end in {@link #run(int)}.
 *
 * <p>The C API leaves the head to the caller, who must keep it alive until the callback starts.
 * Heads live in slabs of {@value #SLAB_SLOTS} slots of native memory that the subclass allocates
 * and keeps for as long as this object lives. A slot is named by an int id,
 * {@code slab << SLAB_SHIFT | index}, which the subclass also stores in native memory at
 * {@link #ID_OFFSET} after the head, so a callback finds the {@code Runnable} from the head
 * pointer alone. Free slots form a lock-free stack; a slot goes back as soon as its callback
 * starts (the C worker has read {@code head->next} by then, and the header allows reuse from that
 * point).
 *
 * <p>Layout of a slot, {@value #STRIDE} bytes so that two callers writing heads at the same time
 * do not share a cache line:
 * <pre>
 *   0   struct s4j_srcu_head { next; func; }   written by s4j_call_srcu and the C worker
 *   16  int64 id                                written once, when the slab is numbered
 * </pre>
 *
 * <p>Synchronization:
 * <ul>
 *   <li>{@link #acquire} stores the task with release semantics ({@code setRelease});
 *       {@link #run} loads it with {@code getAcquire}. When the load returns the task, everything
 *       the caller did before {@code callSrcu} happens-before the task runs, in Java memory-model
 *       terms. The native queue in between is ordered by [Q]/[R] in
 *       {@code native/src/wfqueue.h}.</li>
 *   <li>{@code freeTop} is a tagged stack top, {@code tag << 32 | id}; every successful CAS bumps
 *       the tag, so a pop that read {@code next[id]} for an id that was popped and pushed back in
 *       between fails its CAS instead of linking a stale next (ABA). CAS loops retry only when
 *       another thread's push or pop succeeded in between (lock-free).</li>
 *   <li>{@code slabs} is copy-on-write and only grows; a slab is published (CAS on
 *       {@code slabs}) before any of its ids reaches the free stack.</li>
 * </ul>
 * No method takes a lock, so a callback may queue another freely, and a caller may hold any lock
 * a callback needs. Only growing allocates: an {@code acquire} that finds no free slot adds a
 * slab.
 *
 * @param <M> the subclass's handle on one slab's native memory
 */
public abstract class CallbackSlots<M> {

    protected static final int SLAB_SHIFT = 8;
    protected static final int SLAB_SLOTS = 1 << SLAB_SHIFT;
    protected static final int SLAB_MASK = SLAB_SLOTS - 1;
    private static final int MAX_SLABS = 1 << (31 - SLAB_SHIFT);
    private static final int NIL = -1;

    /** Bytes per slot (a cache line); slabs are {@code STRIDE * SLAB_SLOTS} bytes, so aligned. */
    protected static final long STRIDE = 64;
    /** Where a slot's id lives: right after {@code struct s4j_srcu_head} (two pointers, LP64). */
    protected static final long ID_OFFSET = 16;

    private static final VarHandle TASKS = MethodHandles.arrayElementVarHandle(Runnable[].class);
    private static final VarHandle FREE_TOP;
    private static final VarHandle SLABS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FREE_TOP = lookup.findVarHandle(CallbackSlots.class, "freeTop", long.class);
            SLABS = lookup.findVarHandle(CallbackSlots.class, "slabs", Slab[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One block of slots: the native heads plus their tasks and free-stack links. */
    private static final class Slab {
        final Object memory;
        final Runnable[] tasks = new Runnable[SLAB_SLOTS];
        /** Free-stack links by index: written before the CAS that publishes them. */
        final int[] next = new int[SLAB_SLOTS];

        Slab(Object memory) {
            this.memory = memory;
        }
    }

    private volatile Slab[] slabs = new Slab[0];
    private volatile long freeTop = pack(0, NIL);

    /**
     * The thread running a callback now, or the last one that did. Plain field: only the worker
     * itself needs to see its own write, to recognise a call made from inside a callback.
     */
    private Thread worker;
    private volatile Thread.UncaughtExceptionHandler handler;
    /** What the worker threads are called ({@link WorkerThreads}). */
    private final String workerKind;

    /** @param workerKind what the threads that run the callbacks are named after ({@link WorkerThreads}) */
    protected CallbackSlots(String workerKind) {
        this.workerKind = workerKind;
    }

    /**
     * Allocates one slab's native memory, {@code STRIDE * SLAB_SLOTS} bytes aligned to
     * {@link #STRIDE}, alive for as long as this object is.
     */
    protected abstract M allocateSlab();

    /** Stores {@code id} as a 64-bit integer at {@code offset} bytes into {@code memory}. */
    protected abstract void storeId(M memory, long offset, long id);

    /** Takes a free slot for {@code task}; the subclass finds its head through {@link #slabMemory}. */
    public final int acquire(Runnable task) {
        int id = pop();
        // Release: the caller's earlier actions before run()'s getAcquire of this task.
        // (litmus: as K.mp)
        TASKS.setRelease(slab(id).tasks, id & SLAB_MASK, task);
        return id;
    }

    /** Gives back a slot whose head never reached the native queue. */
    public final void abandon(int id) {
        slab(id).tasks[id & SLAB_MASK] = null;
        push(id);
    }

    /** Whether {@code thread} is running one of this table's callbacks. */
    public final boolean isWorker(Thread thread) {
        return worker == thread;
    }

    public final void setUncaughtExceptionHandler(Thread.UncaughtExceptionHandler h) {
        handler = h;
    }

    public final Thread.UncaughtExceptionHandler getUncaughtExceptionHandler() {
        return handler;
    }

    /** The native memory of the slab that holds slot {@code id}. */
    @SuppressWarnings("unchecked")
    protected final M slabMemory(int id) {
        return (M) slab(id).memory;
    }

    /** The byte offset of slot {@code id}'s head within its slab's memory. */
    protected static long headOffset(int id) {
        return (id & SLAB_MASK) * STRIDE;
    }

    /**
     * Runs the task of slot {@code id} on the calling (worker) thread and frees the slot first.
     * Never throws: an exception escaping a callback would end the JVM (FFM) or be lost in the
     * foreign-call library, so everything goes to the handler and the worker goes on.
     */
    protected final void run(int id) {
        try {
            Thread current = Thread.currentThread();
            if (worker != current) {
                // A thread's first callback here: a native worker the JVM attached as Thread-N
                // gets a name that says what it is, once.
                worker = current;
                WorkerThreads.nameAttached(current, workerKind);
            }
            Slab s = slab(id);
            int i = id & SLAB_MASK;
            // Acquire: pairs with setRelease in acquire(). (litmus: as K.mp)
            Runnable task = (Runnable) TASKS.getAcquire(s.tasks, i);
            s.tasks[i] = null;
            push(id);
            if (task == null) {
                throw new IllegalStateException("srcu4j: callback slot " + id + " ran with no task (internal error)");
            }
            task.run();
        } catch (Throwable t) {
            CallbackFailures.report(handler, t);
        }
    }

    private Slab slab(int id) {
        return slabs[id >>> SLAB_SHIFT];
    }

    private int pop() {
        for (;;) {
            long top = freeTop;
            int id = idOf(top);
            if (id == NIL) {
                return grow();
            }
            int next = slab(id).next[id & SLAB_MASK];
            if (FREE_TOP.compareAndSet(this, top, pack(tagOf(top) + 1, next))) {
                return id;
            }
        }
    }

    private void push(int id) {
        pushChain(id, id);
    }

    /** Pushes the chain {@code first .. last} (already linked through {@code next}). */
    private void pushChain(int first, int last) {
        Slab s = slab(last);
        for (;;) {
            long top = freeTop;
            s.next[last & SLAB_MASK] = idOf(top);
            // Volatile CAS: publishes the link written just above to the next pop.
            // (volatile: SC, no litmus)
            if (FREE_TOP.compareAndSet(this, top, pack(tagOf(top) + 1, first))) {
                return;
            }
        }
    }

    /** Adds a slab, keeps its first slot and frees the others. */
    private int grow() {
        M memory = allocateSlab();
        Slab fresh = new Slab(memory);
        int index;
        for (;;) {
            Slab[] current = slabs;
            index = current.length;
            if (index >= MAX_SLABS) {
                throw new IllegalStateException("srcu4j: too many callbacks pending (" + index * (long) SLAB_SLOTS + ")");
            }
            number(fresh, memory, index);
            Slab[] grown = Arrays.copyOf(current, index + 1);
            grown[index] = fresh;
            // Retries only when another thread added a slab first; then ours goes after it.
            if (SLABS.compareAndSet(this, current, grown)) {
                break;
            }
        }
        int first = index << SLAB_SHIFT;
        pushChain(first + 1, first + SLAB_SLOTS - 1);
        return first;
    }

    /** Numbers the slots for position {@code slab} and links them into one chain. */
    private void number(Slab s, M memory, int slab) {
        for (int i = 0; i < SLAB_SLOTS; i++) {
            int id = slab << SLAB_SHIFT | i;
            storeId(memory, i * STRIDE + ID_OFFSET, id);
            s.next[i] = i + 1 < SLAB_SLOTS ? id + 1 : NIL;
        }
    }

    private static long pack(int tag, int id) {
        return (long) tag << 32 | (id & 0xFFFF_FFFFL);
    }

    private static int idOf(long top) {
        return (int) top;
    }

    private static int tagOf(long top) {
        return (int) (top >>> 32);
    }
}
