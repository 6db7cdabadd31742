// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * Callbacks of every domain run on one small shared pool: an idle domain costs no thread, many
 * domains with callbacks pending share at most twice as many workers as CPUs, the workers say
 * what they are, and a callback of one domain may wait for another domain's callbacks.
 */
abstract class SharedWorkersContract extends DomainTestSupport {

    private static final int DOMAINS = 10_000;

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("srcu4j-worker-"))
                .count();
    }

    @Test
    void tenThousandDomainsWithCallbacksPendingShareAFewWorkers() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        List<Srcu> domains = new ArrayList<>(DOMAINS);
        AtomicInteger ran = new AtomicInteger();
        // One reader holds every domain's grace period open, so all their callbacks stay pending.
        List<ReadToken> held = new ArrayList<>(DOMAINS);
        try {
            for (int i = 0; i < DOMAINS; i++) {
                Srcu d = newDomain();
                domains.add(d);
                held.add(d.lock());
                d.callSrcu(ran::incrementAndGet);
            }
            Thread.sleep(200);
            long threads = workerThreads();
            assertTrue(threads <= 2L * cpus, threads + " worker threads for " + DOMAINS + " domains on " + cpus + " CPUs");
            assertEquals(0, ran.get(), "a callback ran while a reader of before was inside");
        } finally {
            for (int i = 0; i < held.size(); i++) {
                domains.get(i).unlock(held.get(i));
            }
            for (Srcu d : domains) {
                d.close();
            }
        }
        assertEquals(domains.size(), ran.get(), "close() dropped callbacks");
        assertTrue(workerThreads() <= 2L * cpus);
    }

    @Test
    void callbacksRunOnNamedWorkers() throws Exception {
        CompletableFuture<String> name = new CompletableFuture<>();
        srcu.callSrcu(() -> name.complete(Thread.currentThread().getName()));
        assertTrue(name.get(30, TimeUnit.SECONDS).startsWith("srcu4j-worker-"), name.get());
    }

    @Test
    void aCallbackMayWaitForAnotherDomainsCallbacks() throws Exception {
        try (Srcu other = newDomain()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            // Keep the pool's workers holding domains that wait for a reader.
            List<Srcu> stuck = new ArrayList<>();
            List<ReadToken> tokens = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Srcu d = newDomain();
                stuck.add(d);
                tokens.add(d.lock());
                d.callSrcu(() -> { });
            }
            try {
                AtomicInteger inner = new AtomicInteger();
                srcu.callSrcu(() -> {
                    try {
                        other.callSrcu(inner::incrementAndGet);
                        other.barrier();
                        assertEquals(1, inner.get());
                        try (Srcu temporary = newDomain()) {
                            temporary.callSrcu(inner::incrementAndGet);
                        }
                        assertEquals(2, inner.get());
                        done.complete(null);
                    } catch (Throwable t) {
                        done.completeExceptionally(t);
                    }
                });
                done.get(30, TimeUnit.SECONDS);
            } finally {
                for (int i = 0; i < stuck.size(); i++) {
                    stuck.get(i).unlock(tokens.get(i));
                    stuck.get(i).close();
                }
            }
        }
    }

    @Test
    void callbacksOfOneDomainStillRunInOrderOneAtATime() throws Exception {
        int count = 10_000;
        List<Integer> order = new ArrayList<>(count);
        AtomicInteger running = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch queued = new CountDownLatch(1);
        Thread[] producers = new Thread[1];
        producers[0] = start("producer", () -> {
            for (int i = 0; i < count; i++) {
                int n = i;
                srcu.callSrcu(() -> {
                    if (running.incrementAndGet() != 1) {
                        overlapped.set(true);
                    }
                    order.add(n);   // plain: one at a time; barrier()'s [K] orders it before the check
                    running.decrementAndGet();
                });
            }
            queued.countDown();
        });
        assertTrue(queued.await(30, TimeUnit.SECONDS));
        srcu.barrier();
        producers[0].join();
        assertTrue(!overlapped.get(), "two callbacks of one domain ran at once");
        assertEquals(count, order.size());
        for (int i = 0; i < count; i++) {
            assertEquals(i, order.get(i));
        }
    }
}
