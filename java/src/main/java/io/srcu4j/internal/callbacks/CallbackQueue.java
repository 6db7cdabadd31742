// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.callbacks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One lock-free queue of callbacks waiting for their grace period: callers put each callback in
 * a slot of the newest {@link Chunk}, the worker serving the domain takes every chunk at once.
 *
 * <p>Why chunks and not a node per callback: a node costs the caller an allocation of its own
 * and, once the queue object has aged into the old generation, a store of a young reference into
 * an old object (the collector's card check, with its fence) on every call; a backlog of nodes
 * is a linked list the collector copies one object at a time, and the worker walks it twice
 * (to reverse it, then to run it). A slot costs one reference (4 bytes with compressed
 * references) of an array allocated a chunk at a time, and the caller's store lands in that
 * young array; the worker reads the slots in the order they were claimed.
 *
 * <p>The top is never null. Besides data chunks it can be a <em>mark</em>, an empty chunk that
 * carries the queue's state and holds the chunks beneath it in {@code older}:
 * <ul>
 *   <li>{@code EMPTY}: nothing queued (what a take leaves);</li>
 *   <li>{@code FORWARD}: callers must use the domain's stripes instead (see {@link CallbackInbox});
 *       the chunks beneath were filled before, and the next take gets them;</li>
 *   <li>{@code CLOSED}: close has begun; pushes are refused, the next take gets the chunks beneath.</li>
 * </ul>
 *
 * <p>A push claims the next slot of the top data chunk with one compare-and-set of its
 * {@code claimed} count, then stores the callback in it. When the top is full (or a mark), the
 * push makes a new chunk with its callback in the first slot, twice the size of the full one
 * (from {@value #FIRST_CAPACITY} to {@value #LAST_CAPACITY} slots), and puts it on top with a
 * compare-and-set. A take <em>seals</em> the top chunk (its count gets {@code SEALED}, so that
 * no claim succeeds any more), then swaps the top for a mark; it takes exactly the slots claimed
 * before the seal, in every chunk of the chain. Each chunk carries the number of callbacks
 * pushed on this queue before it, so the top says how many were ever pushed.
 *
 * <p>A slot is claimed before it is filled, so the worker can meet a claimed slot still empty,
 * while its caller is between the two; it then waits for the store ({@link Chunk#task}), as
 * the C library's worker waits for a link of its queue. The store is a plain array store on
 * purpose: a method call there (a VarHandle's, in interpreted code) could throw a
 * {@code StackOverflowError} after the claim and leave a slot that nobody will ever fill.
 *
 * <p>No padding: a domain's first queue is written by its callers only while they do not collide,
 * and is followed in memory by the domain's worker fields, which bring their own (see
 * {@code WorkerFields}); the stripes, which colliding callers write, are {@link StripeQueue}s.
 * A chunk is written by the callers that claim its slots, in their own allocation buffers.
 *
 * <p>A push never waits for another thread: it retries only when another push, a take or a state
 * change succeeded in between. Chunks and marks are never reused, so a stale top cannot come
 * back (no ABA).
 *
 * <p>Synchronization (letters continue the native ones of {@code callbacks.c}):
 * <ul>
 *   <li>[Q] the push's compare-and-set of {@code claimed} (or of {@code top}, for a new chunk,
 *       whose first slot is stored before) is a volatile write; the callback object and the
 *       caller's earlier actions precede it in program order.</li>
 *   <li>[R] the take's compare-and-set that seals the top chunk, and its reads of the counts of
 *       the chunks beneath, are volatile reads that come after every claim they count in the
 *       synchronization order: everything the callers did before their claims happens-before
 *       the callbacks run. The slot itself is read after that (opaque, again until it shows); it
 *       can only hold null (not stored yet) or the callback, whose contents the claim already
 *       ordered.</li>
 * </ul>
 */
class CallbackQueue {

    private static final VarHandle TOP;
    private static final VarHandle CLAIMED;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Runnable[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOP = lookup.findVarHandle(CallbackQueue.class, "top", Chunk.class);
            CLAIMED = lookup.findVarHandle(Chunk.class, "claimed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What {@link #tryPush} did. */
    static final int PUSHED = 0;
    static final int CLOSED = 1;
    static final int FORWARDED = 2;
    static final int CONTENDED = 3;

    /** Slots of the first chunk after an empty queue: a domain with a callback now and then
     *  allocates little more than a node would cost. */
    static final int FIRST_CAPACITY = 4;
    /** Slots of the largest chunk: 1 KiB, about 4 bytes a callback under a stream of them. */
    static final int LAST_CAPACITY = 256;

    /** Kinds of chunk. */
    private static final int DATA = 0;
    private static final int EMPTY = 1;
    private static final int FORWARD = 2;
    private static final int CLOSED_MARK = 3;

    /** Added to a chunk's count by the take or mark that seals it: above any capacity. */
    private static final int SEALED = 1 << 30;
    private static final int COUNT = SEALED - 1;

    private static final Runnable[] NO_SLOTS = new Runnable[0];

    /** The empty queue of a new domain: shared, so creating a domain allocates no mark. */
    private static final Chunk NEW = Chunk.mark(EMPTY, null, 0);
    /** A queue closed before anything was pushed on it: shared, so closing it allocates nothing. */
    private static final Chunk CLOSED_UNUSED = Chunk.mark(CLOSED_MARK, null, 0);

    /** The newest chunk, or a mark; never null. */
    private volatile Chunk top;

    /**
     * A run of slots, or a mark (no slots). {@code older} and {@code base} are set before the
     * chunk is published ([Q]) and never after; {@code nextInBatch} belongs to the worker that
     * took the chunk.
     */
    static final class Chunk {
        /** Slots claimed, plus SEALED once a take or a mark sealed the chunk. */
        volatile int claimed;
        final int kind;
        /** Callbacks pushed on the queue before this chunk's. */
        final long base;
        final Runnable[] slots;
        /** The chunk beneath: pushed before this one, and not taken yet. */
        final Chunk older;
        /** The next chunk of a taken batch, oldest first. */
        Chunk nextInBatch;

        private Chunk(int kind, Runnable[] slots, int claimed, Chunk older, long base) {
            this.kind = kind;
            this.slots = slots;
            this.claimed = claimed;
            this.older = older;
            this.base = base;
        }

        private static Chunk mark(int kind, Chunk older, long base) {
            return new Chunk(kind, NO_SLOTS, SEALED, older, base);
        }

        /** A data chunk of {@code capacity} slots whose first holds {@code task}. */
        private static Chunk holding(Runnable task, int capacity, Chunk older, long base) {
            Runnable[] slots = new Runnable[capacity];
            slots[0] = task;
            return new Chunk(DATA, slots, 1, older, base);
        }

        /** The slots claimed in it, sealed or not (a volatile read). */
        int count() {
            return claimed & COUNT;
        }

        /** Callbacks pushed on the queue up to the end of this chunk (marks: before it). */
        long total() {
            return base + count();
        }

        /**
         * The callback in slot {@code i} of a taken chunk; waits for its caller's store when the
         * slot was claimed and is not filled yet (the caller is between the two; yields the CPU
         * to it after a short spin).
         */
        Runnable task(int i) {
            Runnable task;
            int spins = 0;
            // Opaque: reads the slot afresh until the caller's store shows. It orders nothing:
            // the callback, and what its caller did before, were ordered before this worker's
            // take by the claim ([Q]) and the seal or the swap of the top ([R]).
            while ((task = (Runnable) SLOT.getOpaque(slots, i)) == null) {
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            return task;
        }
    }

    CallbackQueue() {
        top = NEW;
    }

    /**
     * One attempt to push {@code task}: PUSHED, CLOSED (close has begun), FORWARDED (use the
     * stripes) or CONTENDED (another caller changed the queue in between; try again). A take or
     * a mark that changed it in between is not contention: the push tries again by itself.
     */
    int tryPush(Runnable task) {
        // A null in a claimed slot would read as "not filled yet": the worker would wait for it
        // for good.
        Objects.requireNonNull(task, "callback is null");
        for (;;) {
            Chunk seen = top;
            int n = seen.claimed;
            if (n < seen.slots.length) {
                // [Q] volatile CAS: claims slot n, after the caller's earlier actions.
                // (volatile: SC, no litmus)
                int witness = (int) CLAIMED.compareAndExchange(seen, n, n + 1);
                if (witness == n) {
                    seen.slots[n] = task;   // plain on purpose: see the class comment
                    return PUSHED;
                }
                if ((witness & SEALED) == 0) {
                    return CONTENDED;   // another caller claimed it
                }
                continue;   // sealed by a take or a mark meanwhile
            }
            if (seen.kind == CLOSED_MARK) {
                return CLOSED;
            }
            if (seen.kind == FORWARD) {
                return FORWARDED;
            }
            // Full, sealed or empty: a new chunk on top, the full or sealed one beneath it (a
            // take that sealed it and has not swapped it out yet will take the new one with it).
            Chunk next = seen.kind == EMPTY
                    ? Chunk.holding(task, FIRST_CAPACITY, null, seen.base)
                    : Chunk.holding(task, Math.min(2 * seen.slots.length, LAST_CAPACITY), seen, seen.total());
            // [Q] volatile CAS: publishes the chunk with the callback in its first slot.
            // (volatile: SC, no litmus)
            Chunk witness = (Chunk) TOP.compareAndExchange(this, seen, next);
            if (witness == seen) {
                return PUSHED;
            }
            if (witness.kind == DATA) {
                return CONTENDED;   // another caller's chunk
            }
        }
    }

    /** Pushes {@code task} on a queue that is never forwarded: PUSHED or CLOSED. */
    int push(Runnable task) {
        int result;
        do {
            result = tryPush(task);
        } while (result == CONTENDED);
        return result;
    }

    /** Sends later callers to the stripes, unless close has begun; whether it did. */
    boolean forward() {
        return mark(FORWARD) != CLOSED_MARK;
    }

    /** Refuses every later push. The callbacks already pushed stay for the next take. */
    void close() {
        mark(CLOSED_MARK);
    }

    /**
     * Puts a {@code kind} mark on top with the chunks beneath it, unless the queue is closed;
     * the kind of top it found last.
     */
    private int mark(int kind) {
        for (;;) {
            Chunk seen = top;
            if (seen.kind == CLOSED_MARK || seen.kind == kind) {
                return seen.kind;
            }
            Chunk marked;
            if (seen.kind == DATA) {
                seal(seen);
                marked = Chunk.mark(kind, seen, seen.total());
            } else {
                marked = kind == CLOSED_MARK && seen == NEW ? CLOSED_UNUSED : Chunk.mark(kind, seen.older, seen.base);
            }
            // Volatile CAS, as [Q]: the chunks beneath stay published.
            // (volatile: SC, no litmus)
            if (TOP.compareAndSet(this, seen, marked)) {
                return seen.kind;
            }
        }
    }

    /** No claim on {@code chunk} succeeds after this; its count stays what it was. */
    private static void seal(Chunk chunk) {
        int n = chunk.claimed;
        // [R] volatile CAS: after every claim it counts. (volatile: SC, no litmus)
        while ((n & SEALED) == 0 && !CLAIMED.weakCompareAndSet(chunk, n, n | SEALED)) {
            n = chunk.claimed;
        }
    }

    /** Whether callbacks are queued (volatile reads; see the worker's parking protocol). */
    boolean hasTasks() {
        Chunk t = top;
        return t.kind == DATA || t.older != null;
    }

    /** Callbacks ever pushed (volatile reads of the top's count). */
    long pushed() {
        return top.total();
    }

    /**
     * Takes every callback pushed so far, leaving the queue's state (empty, forwarded or closed),
     * and appends them to {@code into} oldest first.
     */
    void takeInto(Batch into) {
        for (;;) {
            // [R] volatile read; the CAS below takes exactly the chunks it saw.
            // (volatile: SC, no litmus)
            Chunk seen = top;
            Chunk newest;
            Chunk left;
            if (seen.kind == DATA) {
                seal(seen);
                newest = seen;
                left = Chunk.mark(EMPTY, null, seen.total());
            } else {
                newest = seen.older;
                if (newest == null) {
                    return;
                }
                left = Chunk.mark(seen.kind, null, seen.base);
            }
            // [R] volatile CAS: no caller can reach the chunks taken any more.
            // (volatile: SC, no litmus)
            if (TOP.compareAndSet(this, seen, left)) {
                into.appendNewestFirst(newest);
                return;
            }
        }
    }

    /** Callbacks in queue order, built by the worker: chunks oldest first, owned by one thread. */
    static final class Batch {
        Chunk head;
        Chunk tail;

        /** Appends a chain linked newest first through {@code older}. */
        void appendNewestFirst(Chunk newest) {
            Chunk oldest = null;
            for (Chunk c = newest; c != null; c = c.older) {
                c.nextInBatch = oldest;
                oldest = c;
            }
            append(oldest, newest);
        }

        /** Appends {@code other}'s chunks after this batch's, and empties it. */
        void appendAll(Batch other) {
            if (other.head != null) {
                append(other.head, other.tail);
                other.head = null;
                other.tail = null;
            }
        }

        /** Appends one callback. */
        void append(Runnable task) {
            Chunk one = new Chunk(DATA, new Runnable[] {task}, 1 | SEALED, null, 0);
            append(one, one);
        }

        boolean isEmpty() {
            return head == null;
        }

        /** Empties the batch; its first chunk, linked to the others through {@code nextInBatch}. */
        Chunk takeAll() {
            Chunk first = head;
            head = null;
            tail = null;
            return first;
        }

        private void append(Chunk first, Chunk last) {
            last.nextInBatch = null;
            if (head == null) {
                head = first;
            } else {
                tail.nextInBatch = first;
            }
            tail = last;
        }
    }
}
