// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A platform thread that runs one step over and over beside the measured threads, for the load a
 * benchmark needs around what it measures (an updater swapping a table, a reader keeping a domain
 * busy). It is started in a trial's setup and stopped in its teardown; a step that throws ends
 * the loop, and {@link #stop()} rethrows it, so a broken background never leaves numbers that
 * look fine.
 */
final class BackgroundLoop {

    /** How long {@link #stop()} waits for the current step to finish. */
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final String name;
    private final Thread thread;
    /** Cleared by stop(), polled between steps: a plain stop flag, it orders nothing else (the
     *  join in stop() is what makes the loop's effects visible to the stopping thread). */
    private volatile boolean running = true;
    /** What ended the loop early; written by the loop thread before it ends, read after the join. */
    private Throwable failure;

    private BackgroundLoop(String name, Runnable step) {
        this.name = name;
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> loop(step));
    }

    /** Starts a daemon platform thread named {@code name} that runs {@code step} until {@link #stop()}. */
    static BackgroundLoop start(String name, Runnable step) {
        Objects.requireNonNull(step, "step");
        BackgroundLoop loop = new BackgroundLoop(name, step);
        loop.thread.start();
        return loop;
    }

    private void loop(Runnable step) {
        try {
            while (running) {
                step.run();
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /**
     * Stops the loop after its current step and waits for the thread to end.
     *
     * @throws IllegalStateException when a step threw (it is the cause), or when the thread did not
     *                               end within 10 s (a step is stuck)
     */
    void stop() {
        running = false;
        try {
            if (!thread.join(Duration.ofSeconds(STOP_TIMEOUT_SECONDS))) {
                throw new IllegalStateException(name + " did not stop within " + STOP_TIMEOUT_SECONDS
                        + " s: its step is stuck");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + name, e);
        }
        // The join above happens-after the loop thread's last action, so failure is visible here.
        if (failure != null) {
            throw new IllegalStateException(name + " failed: " + failure, failure);
        }
    }

    /** Sleeps about {@code micros} µs (for a loop step that paces itself); returns early when interrupted. */
    static void pause(long micros) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
    }
}
