// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import io.srcu4j.internal.path.DomainPath;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Times one pending callback of a domain at a time, so that {@code callSrcu} pays a read and no
 * clock read. (The count of queued callbacks comes with the queue's nodes: see
 * {@code DomainPath.callbacksQueued}.)
 *
 * <p>Sampling: when no sampled callback is pending, the next {@code callSrcu} reads the clock
 * and queues its callback inside a small wrapper ({@link Sampled}); when the wrapper runs, it
 * ends the sample, so the next {@code callSrcu} takes a new one. So about one callback per grace
 * period is timed while callbacks flow, and a callback stuck behind a stalled grace period keeps
 * its sample, whose age grows. The age of the pending sample is what
 * {@code SrcuStats.oldestPendingCallbackAge} reports: callbacks queued before it (after the
 * previous sample ran) may be older by up to the time between those two samples.
 *
 * <p>Batches ({@code srcu4j.CallbackBatch}): the native worker's own batches are invisible from
 * Java, so a batch is what ran since the previous sample ran, ending with this sample: its count
 * comes from the path's count of callbacks run, and its latency is the sample's, from
 * {@code callSrcu} to the start of its run.
 */
final class CallbackSampler {

    private static final VarHandle SAMPLE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SAMPLE = lookup.findVarHandle(CallbackSampler.class, "sample", Sampled.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String domain;
    private final DomainPath path;
    /** The pending sampled callback, or null. */
    @SuppressWarnings("unused") // through SAMPLE
    private volatile Sampled sample;
    /** The path's count of callbacks run when the previous sample ran; read and written only by
     *  samples as they run, one at a time and each after the one before (queue order). */
    private long runAtLastSample;

    /** A callback being timed: runs its callback after ending the sample. */
    private final class Sampled implements Runnable {
        private final Runnable callback;
        private final long queuedNanos;

        Sampled(Runnable callback, long queuedNanos) {
            this.callback = callback;
            this.queuedNanos = queuedNanos;
        }

        @Override
        public void run() {
            ran(this);
            callback.run();
        }
    }

    CallbackSampler(String domain, DomainPath path) {
        this.domain = domain;
        this.path = path;
    }

    /**
     * For a callback about to be queued, returns what to queue: {@code callback}, or it
     * wrapped as the new sample. Never blocks.
     */
    Runnable queueing(Runnable callback) {
        if ((Sampled) SAMPLE.getOpaque(this) != null) {
            return callback;
        }
        Sampled s = new Sampled(callback, System.nanoTime());
        // Only elects the sampled call; the wrapper's fields are final, so whoever reads it
        // sees them set. Orders nothing else.
        return SAMPLE.compareAndSet(this, null, s) ? s : callback;
    }

    /** {@code task}, from {@link #queueing}, was not queued after all. */
    void notQueued(Runnable task) {
        if (task instanceof Sampled s) {
            SAMPLE.compareAndSet(this, s, null);
        }
    }

    /** How long the pending sample has waited; 0 when none is pending. */
    long sampledAgeNanos(long now) {
        Sampled s = (Sampled) SAMPLE.getVolatile(this);
        return s == null ? 0 : Math.max(0, now - s.queuedNanos);
    }

    /** The sample {@code s} starts to run, on the thread that runs callbacks. */
    private void ran(Sampled s) {
        long now = System.nanoTime();
        // The path counts a callback as it starts: this one is counted.
        long run = path.callbacksRun();
        long count = run - runAtLastSample;
        runAtLastSample = run;
        // The next callSrcu takes a new sample. Orders nothing: a caller that misses this store
        // only samples a little later.
        SAMPLE.compareAndSet(this, s, null);
        if (!JfrGate.open()) {
            return;
        }
        CallbackBatchEvent event = new CallbackBatchEvent();
        if (event.shouldCommit()) {
            event.domain = domain;
            event.count = count;
            event.latency = now - s.queuedNanos;
            event.commit();
        }
    }
}
