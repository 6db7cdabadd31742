// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.callbacks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One lock-free stack of callbacks waiting for their grace period: callers push on it, the worker
 * serving the domain takes everything in one compare-and-set and reverses it into queue order.
 *
 * <p>The top is never null. Besides callback nodes it can be a <em>mark</em>, which carries the
 * stack's state and holds the nodes beneath it in {@code next}:
 * <ul>
 *   <li>{@code EMPTY}: nothing queued (what a take leaves);</li>
 *   <li>{@code FORWARD}: callers must use the domain's stripes instead (see {@link CallbackInbox});
 *       the nodes beneath were pushed before, and the next take gets them;</li>
 *   <li>{@code CLOSED}: close has begun; pushes are refused, the next take gets the nodes beneath.</li>
 * </ul>
 * Every node and mark carries the number of callbacks ever pushed on this stack, counting its own:
 * the push's compare-and-set publishes the count with the node, so counting costs callers nothing
 * more, and the top's count is the stack's total.
 *
 * <p>No padding: a domain's first queue is written by its callers only while they do not collide,
 * and is followed in memory by the domain's worker fields, which bring their own (see
 * {@code WorkerFields}); the stripes, which colliding callers write, are {@link StripeQueue}s.
 *
 * <p>A push never waits for another thread: it retries only when another push, a take or a state
 * change succeeded in between. Nodes and marks are never reused, so a stale top cannot come back
 * (no ABA).
 *
 * <p>Synchronization (letters continue the native ones of {@code callbacks.c}):
 * <ul>
 *   <li>[Q] the push's compare-and-set of {@code top} is a volatile write; the node's fields and
 *       the caller's earlier actions precede it in program order.</li>
 *   <li>[R] the worker's compare-and-set that takes the nodes reads {@code top} with a volatile
 *       read, which synchronizes-with the push that wrote it, and through the chain of
 *       compare-and-sets with every earlier one: everything the callers did before queueing
 *       happens-before the callbacks run.</li>
 * </ul>
 */
class CallbackQueue {

    private static final VarHandle TOP;

    static {
        try {
            TOP = MethodHandles.lookup().findVarHandle(CallbackQueue.class, "top", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What {@link #tryPush} did. */
    static final int PUSHED = 0;
    static final int CLOSED = 1;
    static final int FORWARDED = 2;
    static final int CONTENDED = 3;

    private static final Runnable EMPTY_MARK = () -> { };
    private static final Runnable FORWARD_MARK = () -> { };
    private static final Runnable CLOSED_MARK = () -> { };

    /** The empty stack of a new domain: shared, so creating a domain allocates no mark. */
    private static final Node NEW = new Node(EMPTY_MARK, null, 0);
    /** A stack closed before anything was pushed on it: shared, so closing it allocates nothing. */
    private static final Node CLOSED_UNUSED = new Node(CLOSED_MARK, null, 0);

    /** The newest node, or a mark; never null. */
    private volatile Node top;

    /**
     * One queued callback, or a mark. {@code next} and {@code count} are written before the
     * compare-and-set that publishes the node ([Q]) and never after.
     */
    static final class Node {
        final Runnable task;
        Node next;
        long count;

        Node(Runnable task) {
            this.task = task;
        }

        Node(Runnable task, Node next, long count) {
            this.task = task;
            this.next = next;
            this.count = count;
        }

        boolean isMark() {
            return task == EMPTY_MARK || task == FORWARD_MARK || task == CLOSED_MARK;
        }
    }

    CallbackQueue() {
        top = NEW;
    }

    /**
     * One attempt to push {@code node}: PUSHED, CLOSED (close has begun), FORWARDED (use the
     * stripes) or CONTENDED (another thread changed the top in between; try again).
     */
    int tryPush(Node node) {
        Node seen = top;
        Runnable state = seen.task;
        if (state == CLOSED_MARK) {
            return CLOSED;
        }
        if (state == FORWARD_MARK) {
            return FORWARDED;
        }
        node.next = state == EMPTY_MARK ? null : seen;
        node.count = seen.count + 1;
        // [Q] volatile CAS: publishes the node (and the caller's earlier actions).
        // (volatile: SC, no litmus)
        return TOP.compareAndSet(this, seen, node) ? PUSHED : CONTENDED;
    }

    /** Pushes {@code node} on a stack that is never forwarded: PUSHED or CLOSED. */
    int push(Node node) {
        int result;
        do {
            result = tryPush(node);
        } while (result == CONTENDED);
        return result;
    }

    /** Sends later callers to the stripes, unless close has begun; whether it did. */
    boolean forward() {
        return mark(FORWARD_MARK) != CLOSED_MARK;
    }

    /** Refuses every later push. The nodes already pushed stay for the next take. */
    void close() {
        mark(CLOSED_MARK);
    }

    /**
     * Puts a {@code kind} mark on top with the nodes beneath it, unless the stack is closed;
     * the state it found last.
     */
    private Runnable mark(Runnable kind) {
        for (;;) {
            Node seen = top;
            Runnable state = seen.task;
            if (state == CLOSED_MARK || state == kind) {
                return state;
            }
            Node beneath = seen.isMark() ? seen.next : seen;
            Node marked = kind == CLOSED_MARK && seen == NEW ? CLOSED_UNUSED : new Node(kind, beneath, seen.count);
            // Volatile CAS, as [Q]: the nodes beneath stay published.
            // (volatile: SC, no litmus)
            if (TOP.compareAndSet(this, seen, marked)) {
                return state;
            }
        }
    }

    /** Whether callbacks are queued (a volatile read; see the worker's parking protocol). */
    boolean hasNodes() {
        Node t = top;
        return !t.isMark() || t.next != null;
    }

    /** Callbacks ever pushed (a volatile read of the top's count). */
    long pushed() {
        return top.count;
    }

    /**
     * Takes every node pushed so far, leaving the stack's state (empty, forwarded or closed), and
     * appends them to {@code into} oldest first.
     */
    void takeInto(Batch into) {
        for (;;) {
            // [R] volatile read; the CAS below takes exactly the nodes it saw.
            // (volatile: SC, no litmus)
            Node seen = top;
            Node newest;
            Node left;
            if (seen.isMark()) {
                newest = seen.next;
                if (newest == null) {
                    return;
                }
                left = new Node(seen.task, null, seen.count);
            } else {
                newest = seen;
                left = new Node(EMPTY_MARK, null, seen.count);
            }
            // [R] volatile CAS: pairs with the [Q] of every node taken. (volatile: SC, no litmus)
            if (TOP.compareAndSet(this, seen, left)) {
                into.appendNewestFirst(newest);
                return;
            }
        }
    }

    /** Callbacks in queue order, built by the worker: a plain list, owned by one thread. */
    static final class Batch {
        Node head;
        Node tail;

        /** Appends a chain linked newest first, reversing it. */
        void appendNewestFirst(Node newest) {
            Node oldest = null;
            Node last = newest;
            while (newest != null) {
                Node older = newest.next;
                newest.next = oldest;
                oldest = newest;
                newest = older;
            }
            append(oldest, last);
        }

        /** Appends {@code other}'s nodes after this batch's, and empties it. */
        void appendAll(Batch other) {
            if (other.head != null) {
                append(other.head, other.tail);
                other.head = null;
                other.tail = null;
            }
        }

        /** Empties the batch; its first node, linked to the others. */
        Node takeAll() {
            Node first = head;
            head = null;
            tail = null;
            return first;
        }

        /** Appends one node. */
        void append(Node node) {
            node.next = null;
            append(node, node);
        }

        private void append(Node first, Node last) {
            if (head == null) {
                head = first;
            } else {
                tail.next = first;
            }
            tail = last;
        }
    }
}
