// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The inbox behind callSrcu, driven directly: a taker stands in for the worker, pushers for the
 * callers. Each pushed task is a {@link Tag} (its thread and its number there), so a run checks
 * that every accepted push is taken exactly once, that each thread's tags come out in the order
 * it pushed them, across the switch to stripes and across close, and that the count of pushes is
 * exact.
 */
class CallbackInboxTest {

    private record Tag(int thread, int seq) implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void oneThreadGetsItsOrderAndCountWithoutStripes() {
        CallbackInbox inbox = new CallbackInbox();
        for (int i = 0; i < 1_000; i++) {
            assertTrue(inbox.push(new Tag(0, i)));
        }
        assertTrue(inbox.hasTasks());
        List<Tag> taken = take(inbox);
        assertEquals(1_000, taken.size());
        for (int i = 0; i < taken.size(); i++) {
            assertEquals(i, taken.get(i).seq());
        }
        assertFalse(inbox.hasTasks());
        assertEquals(1_000, inbox.pushed());
        assertFalse(inbox.striped(), "no collision, no stripes");
    }

    /**
     * Calls that collide while close runs: a spread-out that comes after close (the colliding
     * caller was slow) must not open stripes that a later call would find and push on.
     */
    @Test
    void aCollisionAfterCloseOpensNoStripes() {
        CallbackInbox inbox = new CallbackInbox();
        assertTrue(inbox.push(new Tag(0, 0)));
        inbox.close();
        inbox.spreadOut();
        assertFalse(inbox.push(new Tag(0, 1)), "pushed after close");
        assertEquals(List.of(new Tag(0, 0)), take(inbox));
    }

    /**
     * The interleaving the take order exists for: between the worker's take of the stripes and
     * its take of the first queue, a thread pushes on the first queue, the inbox switches to
     * stripes, and the same thread pushes on its stripe. Its first callback must still come
     * first (taking the first queue before the stripes would hand out the second one alone).
     */
    @Test
    void aThreadsPushBeforeTheSwitchComesBeforeItsPushAfter() {
        CallbackInbox inbox = new CallbackInbox();
        CallbackQueue.Batch batch = new CallbackQueue.Batch();
        inbox.takeInto(batch, () -> {
            assertTrue(inbox.push(new Tag(0, 0)));
            inbox.spreadOut();
            assertTrue(inbox.striped());
            assertTrue(inbox.push(new Tag(0, 1)));
        });
        List<Tag> tags = tags(batch);
        tags.addAll(take(inbox));
        assertEquals(List.of(new Tag(0, 0), new Tag(0, 1)), tags);
        assertTrue(inbox.push(new Tag(0, 2)), "pushes go on after the switch");
        assertEquals(List.of(new Tag(0, 2)), take(inbox));
        assertEquals(3, inbox.pushed());
    }

    /** A null would sit in its slot as one not filled yet, and the worker would wait for it forever. */
    @Test
    void aNullCallbackIsRefusedBeforeItTakesASlot() {
        CallbackInbox inbox = new CallbackInbox();
        assertTrue(inbox.push(new Tag(0, 0)));
        assertThrows(NullPointerException.class, () -> inbox.push(null));
        assertTrue(inbox.push(new Tag(0, 1)));
        // Preemptively: a take that met a hole would wait without end.
        assertEquals(List.of(new Tag(0, 0), new Tag(0, 1)),
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> take(inbox)));
        assertEquals(2, inbox.pushed());
    }

    @Test
    void stripeCountIsAPowerOfTwoAtLeastTwiceTheCpus() {
        assertEquals(4, CallbackInbox.stripeCount(1));
        assertEquals(4, CallbackInbox.stripeCount(2));
        assertEquals(8, CallbackInbox.stripeCount(3));
        assertEquals(256, CallbackInbox.stripeCount(128));
        assertEquals(256, CallbackInbox.stripeCount(4096));
    }

    /**
     * Many short rounds, each on a new inbox, so that the switch to stripes happens with pushes
     * and takes in flight again and again; the taker takes as the worker does, while they push.
     */
    @Test
    void collidingThreadsKeepTheirOwnOrderAndLoseNothing() throws Exception {
        int threads = 4;
        int perThread = 300;
        int striped = 0;
        for (int round = 0; round < 300; round++) {
            CallbackInbox inbox = new CallbackInbox();
            Outcome outcome = run(inbox, threads, perThread, false);
            outcome.check(threads);
            for (int a : outcome.accepted()) {
                assertEquals(perThread, a, "nothing refused while open");
            }
            assertEquals((long) threads * perThread, inbox.pushed(), "the count of pushes");
            striped += inbox.striped() ? 1 : 0;
        }
        assertTrue(striped > 0, "collisions switched some inboxes to stripes");
    }

    /** Close in the middle of the pushes: each push is refused, or taken once and in order. */
    @Test
    void closeRefusesLaterPushesAndKeepsEveryEarlierOne() throws Exception {
        int threads = 4;
        int perThread = 2_000;
        for (int round = 0; round < 100; round++) {
            CallbackInbox inbox = new CallbackInbox();
            Outcome outcome = run(inbox, threads, perThread, true);
            outcome.check(threads);
            long accepted = 0;
            for (int a : outcome.accepted()) {
                accepted += a;
            }
            assertEquals(accepted, inbox.pushed(), "the count of pushes is the accepted ones");
            assertFalse(inbox.push(new Tag(99, 0)), "refused after close");
        }
    }

    /** What one run gave: the tags in take order, and how many pushes each thread had accepted. */
    private record Outcome(List<Tag> taken, int[] accepted) {
        void check(int threads) {
            int[] next = new int[threads];
            for (Tag t : taken) {
                assertEquals(next[t.thread()], t.seq(), "thread " + t.thread() + "'s tags in its order, once each");
                next[t.thread()]++;
            }
            for (int i = 0; i < threads; i++) {
                assertEquals(accepted[i], next[i], "every accepted push of thread " + i + " was taken");
            }
        }
    }

    /**
     * Pushers push {@code perThread} tags each (stopping at the first refusal), the taker takes
     * until they are done; with {@code close}, the taker closes the inbox halfway through.
     */
    private static Outcome run(CallbackInbox inbox, int threads, int perThread, boolean close) throws Exception {
        int[] accepted = new int[threads];
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> pushers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            pushers.add(Thread.ofPlatform().start(() -> {
                await(start);
                int n = 0;
                while (n < perThread && inbox.push(new Tag(id, n))) {
                    n++;
                }
                accepted[id] = n;
            }));
        }
        List<Tag> taken = new ArrayList<>();
        await(start);
        Thread joiner = Thread.ofPlatform().start(() -> {
            for (Thread t : pushers) {
                join(t);
            }
            done.set(true);
        });
        boolean closed = false;
        while (!done.get()) {
            taken.addAll(take(inbox));
            if (close && !closed && taken.size() >= threads * perThread / 2) {
                inbox.close();
                closed = true;
            }
        }
        joiner.join();
        if (close && !closed) {
            inbox.close();
        }
        taken.addAll(take(inbox));
        return new Outcome(taken, accepted);
    }

    private static List<Tag> take(CallbackInbox inbox) {
        CallbackQueue.Batch batch = new CallbackQueue.Batch();
        inbox.takeInto(batch);
        return tags(batch);
    }

    private static List<Tag> tags(CallbackQueue.Batch batch) {
        List<Tag> tags = new ArrayList<>();
        for (CallbackQueue.Chunk c = batch.head; c != null; c = c.nextInBatch) {
            for (int i = 0; i < c.count(); i++) {
                tags.add((Tag) c.task(i));
            }
        }
        return tags;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
