// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import io.srcu4j.cpu.Cpus;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Java threads placed the way the C probes place theirs: a platform thread pinned to one CPU
 * through srcu4j's own {@link Cpus#pin(int)}, which then checks with {@link Cpus#current()} that it
 * runs there, before and after its work.
 */
final class Pinned {

    /** What a pinned body returned, and whether its thread was on its CPU at both checks. */
    record Outcome<T>(T value, boolean placed) {
    }

    private Pinned() {
    }

    /** Runs {@code body} on a new platform thread pinned to {@code cpu} and waits for it. */
    static <T> Outcome<T> run(String name, int cpu, Callable<T> body) throws Exception {
        Object[] result = new Object[1];
        boolean[] placed = new boolean[1];
        Exception[] failure = new Exception[1];
        Thread t = Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                Cpus.pin(cpu);
                boolean before = Cpus.current() == cpu;
                result[0] = body.call();
                placed[0] = before && Cpus.current() == cpu;
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        t.start();
        // join: what the thread wrote to the arrays happens-before the reads below.
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return new Outcome<>(value, placed[0]);
    }

    /**
     * A partner thread pinned to a CPU, running a body until {@link #close()}. The body loops
     * while the supplier it is given answers true.
     */
    static final class Partner implements AutoCloseable {

        private final Thread thread;
        private final CountDownLatch pinned = new CountDownLatch(1);
        /** Polled by the body; volatile only so the loop sees the change: the join orders the rest. */
        private volatile boolean running = true;
        private volatile boolean placed;
        private volatile Throwable failure;

        private Partner(String name, int cpu, Consumer<BooleanSupplier> body) {
            thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
                try {
                    Cpus.pin(cpu);
                    placed = Cpus.current() == cpu;
                } catch (RuntimeException e) {
                    failure = e;
                    pinned.countDown();
                    return;
                }
                pinned.countDown();
                try {
                    body.accept(() -> running);
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
            });
        }

        /** Starts the partner and returns once it is pinned (or failed to be). */
        static Partner start(String name, int cpu, Consumer<BooleanSupplier> body) throws InterruptedException {
            Partner p = new Partner(name, cpu, body);
            p.thread.start();
            p.pinned.await();
            return p;
        }

        /** Whether it was pinned and found on its CPU. */
        boolean placed() {
            return placed && failure == null;
        }

        /** Stops the body and waits for it; rethrows what it threw. */
        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }
}
