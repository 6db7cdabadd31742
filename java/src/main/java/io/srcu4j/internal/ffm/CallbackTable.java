package io.srcu4j.internal.ffm;

import io.srcu4j.bindings.s4j_srcu_callback_fn;
import io.srcu4j.bindings.s4j_srcu_head;
import io.srcu4j.internal.CallbackFailures;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The native {@code struct s4j_srcu_head}s that one native queue's callers queue (a domain's
 * {@code callSrcu}, see {@link FfmDomain}, or the process's deferral, see {@link FfmDeferral}),
 * the {@link Runnable} each one stands for, and the single upcall stub that runs them.
 *
 * <p>The C API leaves the head to the caller, who must keep it alive until the callback starts.
 * Heads live in slabs of {@value #SLAB_SLOTS} slots allocated from the owner's arena: a domain's,
 * closed only after the domain has been closed (worker joined, queue empty) and freed, or the
 * global arena for the deferral queue, whose worker lives as long as the process. A slot is
 * named by an int id, {@code slab << SLAB_SHIFT | index}, also stored in native memory right
 * after the head, so the upcall finds the {@code Runnable} from the head pointer alone. Free slots
 * form a lock-free stack; the worker pushes a slot back as soon as its callback starts (the C
 * worker has read {@code head->next} by then, and the header allows reuse from that point).
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
 *   <li>{@code acquire} stores the task with release semantics ({@code setRelease}); the upcall
 *       loads it with {@code getAcquire}. When the load returns the task, everything the caller
 *       did before {@code callSrcu} happens-before the task runs, in Java memory-model terms.
 *       The native queue in between is ordered by [Q]/[R] in {@code native/src/wfqueue.h}.</li>
 *   <li>{@code freeTop} is a tagged stack top, {@code tag << 32 | id}; every successful CAS bumps
 *       the tag, so a pop that read {@code next[id]} for an id that was popped and pushed back in
 *       between fails its CAS instead of linking a stale next (ABA). CAS loops retry only when
 *       another thread's push or pop succeeded in between (lock-free).</li>
 *   <li>{@code slabs} is copy-on-write and only grows; a slab is published (CAS on
 *       {@code slabs}) before any of its ids reaches the free stack.</li>
 * </ul>
 * No method takes a lock, so a callback may call {@code callSrcu} (or {@code defer}) freely, and a
 * caller may hold any lock a callback needs. Only growing allocates:
 * a {@code callSrcu} that finds no free slot adds a slab.
 */
final class CallbackTable {

    static final int SLAB_SHIFT = 8;
    static final int SLAB_SLOTS = 1 << SLAB_SHIFT;
    private static final int SLAB_MASK = SLAB_SLOTS - 1;
    private static final int MAX_SLABS = 1 << (31 - SLAB_SHIFT);
    private static final int NIL = -1;

    static final long STRIDE = 64;
    private static final long ID_OFFSET = s4j_srcu_head.sizeof();

    private static final VarHandle TASKS = MethodHandles.arrayElementVarHandle(Runnable[].class);
    private static final VarHandle FREE_TOP;
    private static final VarHandle SLABS;

    static {
        if (ID_OFFSET + Long.BYTES > STRIDE || ID_OFFSET % Long.BYTES != 0) {
            throw new ExceptionInInitializerError("unexpected sizeof(struct s4j_srcu_head): " + ID_OFFSET);
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FREE_TOP = lookup.findVarHandle(CallbackTable.class, "freeTop", long.class);
            SLABS = lookup.findVarHandle(CallbackTable.class, "slabs", Slab[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One block of slots: native heads plus their Java-side tasks and free-stack links. */
    private static final class Slab {
        final MemorySegment memory;
        /** Zero-length global views of each head: passing them to a downcall does not touch the
         *  shared arena's acquire count, which every caller would otherwise contend on. */
        final MemorySegment[] heads = new MemorySegment[SLAB_SLOTS];
        final Runnable[] tasks = new Runnable[SLAB_SLOTS];
        /** Free-stack links by index: written before the CAS that publishes them. */
        final int[] next = new int[SLAB_SLOTS];

        Slab(Arena arena) {
            memory = arena.allocate(STRIDE * SLAB_SLOTS, STRIDE);
            for (int i = 0; i < SLAB_SLOTS; i++) {
                heads[i] = MemorySegment.ofAddress(memory.address() + i * STRIDE);
            }
        }

        /** Numbers the slots for position {@code slab} and links them into one chain. */
        void number(int slab) {
            for (int i = 0; i < SLAB_SLOTS; i++) {
                int id = slab << SLAB_SHIFT | i;
                memory.set(ValueLayout.JAVA_LONG, i * STRIDE + ID_OFFSET, id);
                next[i] = i + 1 < SLAB_SLOTS ? id + 1 : NIL;
            }
        }
    }

    private final Arena arena;
    /** Keeps the upcall stub's arena reference; {@link #stubAddress} is what native code gets. */
    private final MemorySegment stub;
    private final MemorySegment stubAddress;

    private volatile Slab[] slabs = new Slab[0];
    private volatile long freeTop = pack(0, NIL);

    /**
     * The thread running a callback now, or the last one that did. Plain field: only the worker
     * itself needs to see its own write, to recognise a call made from inside a callback.
     */
    private Thread worker;
    private volatile Thread.UncaughtExceptionHandler handler;

    CallbackTable(Arena arena) {
        this.arena = arena;
        this.stub = s4j_srcu_callback_fn.allocate(this::dispatch, arena);
        this.stubAddress = MemorySegment.ofAddress(stub.address());
    }

    /** The function pointer to pass to {@code s4j_call_srcu}. */
    MemorySegment function() {
        return stubAddress;
    }

    /** Takes a free slot for {@code task}; its head is {@link #head(int)}. */
    int acquire(Runnable task) {
        int id = pop();
        // Release: the caller's earlier actions before the upcall's getAcquire of this task.
        TASKS.setRelease(slab(id).tasks, id & SLAB_MASK, task);
        return id;
    }

    /** The native head of slot {@code id}. */
    MemorySegment head(int id) {
        return slab(id).heads[id & SLAB_MASK];
    }

    /** Gives back a slot whose head never reached the native queue. */
    void abandon(int id) {
        slab(id).tasks[id & SLAB_MASK] = null;
        push(id);
    }

    /** Whether the calling thread is running one of this table's callbacks. */
    boolean isWorker(Thread thread) {
        return worker == thread;
    }

    void setUncaughtExceptionHandler(Thread.UncaughtExceptionHandler h) {
        handler = h;
    }

    Thread.UncaughtExceptionHandler getUncaughtExceptionHandler() {
        return handler;
    }

    /**
     * The upcall, on the domain's native worker thread. An exception escaping an upcall ends
     * the JVM, so everything is caught and handed to the handler; the worker goes on.
     */
    private void dispatch(MemorySegment head) {
        try {
            worker = Thread.currentThread();
            int id = (int) head.reinterpret(STRIDE).get(ValueLayout.JAVA_LONG, ID_OFFSET);
            Slab s = slab(id);
            int i = id & SLAB_MASK;
            // Acquire: pairs with setRelease in acquire().
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
            if (FREE_TOP.compareAndSet(this, top, pack(tagOf(top) + 1, first))) {
                return;
            }
        }
    }

    /** Adds a slab, keeps its first slot and frees the others. */
    private int grow() {
        Slab fresh = new Slab(arena);
        int index;
        for (;;) {
            Slab[] current = slabs;
            index = current.length;
            if (index >= MAX_SLABS) {
                throw new IllegalStateException("srcu4j: too many callbacks pending (" + index * (long) SLAB_SLOTS + ")");
            }
            fresh.number(index);
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
