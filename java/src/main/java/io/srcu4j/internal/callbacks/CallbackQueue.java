package io.srcu4j.internal.callbacks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The callbacks of a domain waiting for their grace period: a lock-free stack that any thread
 * pushes on and the worker serving the domain empties in one exchange, then reverses into queue
 * order.
 *
 * <p>A push takes no lock and never waits for another thread: it retries its compare-and-set
 * only when another push succeeded in between. Nodes are never reused, so a stale top cannot
 * come back (no ABA). One node is allocated per push.
 *
 * <p>Synchronization (letters continue the native ones of {@code callbacks.c}):
 * <ul>
 *   <li>[Q] the push's compare-and-set of {@code top} is a volatile write; the node's fields
 *       and the caller's earlier actions precede it in program order.</li>
 *   <li>[R] the worker's exchange of {@code top} reads it with a volatile read, which
 *       synchronizes-with every earlier write of {@code top}: everything the callers did before
 *       queueing happens-before the callbacks run.</li>
 * </ul>
 */
final class CallbackQueue extends CallbackQueueTop {

    /** One queued callback; {@code next} is written before the CAS that publishes the node. */
    static final class Node {
        final Runnable task;
        Node next;

        Node(Runnable task) {
            this.task = task;
        }
    }

    /** Queues {@code task}. Lock-free; never blocks. */
    void push(Runnable task) {
        Node node = new Node(task);
        for (;;) {
            Node seen = top;
            node.next = seen;
            // [Q] volatile CAS: publishes the node (and the caller's earlier actions).
            // (volatile: SC, no litmus)
            if (TOP.compareAndSet(this, seen, node)) {
                return;
            }
        }
    }

    /** Whether nothing is queued (a volatile read; see the worker's parking protocol). */
    boolean isEmpty() {
        return top == null;
    }

    /** Takes every node queued so far and returns the oldest, linked in queue order; or null. */
    Node takeAll() {
        // [R] volatile exchange: pairs with every push's [Q]. (volatile: SC, no litmus)
        Node newest = (Node) TOP.getAndSet(this, (Node) null);
        Node oldest = null;
        while (newest != null) {
            Node older = newest.next;
            newest.next = oldest;
            oldest = newest;
            newest = older;
        }
        return oldest;
    }
}

/**
 * {@link CallbackQueue}'s one shared field, on a line of its own: every caller's CAS and the
 * worker's exchange move it between cores, and nothing else should move with it.
 */
abstract class CallbackQueueTop extends LinePadding {

    static final VarHandle TOP;

    static {
        try {
            TOP = MethodHandles.lookup().findVarHandle(CallbackQueueTop.class, "top", CallbackQueue.Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The newest node, or {@code null}. */
    volatile CallbackQueue.Node top;
}
