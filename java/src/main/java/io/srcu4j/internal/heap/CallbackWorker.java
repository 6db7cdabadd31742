package io.srcu4j.internal.heap;

import io.srcu4j.internal.CallbackFailures;
import io.srcu4j.internal.Errno;
import io.srcu4j.internal.WorkerThreads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that runs a heap domain's callbacks: it takes every queued callback as one batch,
 * waits for one grace period, and runs the batch in queue order; it also runs the grace periods
 * that polled cookies ask for. {@code barrier} and {@code close} queue a marker and wait for it.
 *
 * <p>Synchronization (the letters of {@code native/src/callbacks.c}):
 * <ul>
 *   <li>[W] a producer's volatile write of new work (the queue's CAS, {@code gpRequested},
 *       {@code stop}) before its volatile read of {@code parked};</li>
 *   <li>[P] the worker's volatile write {@code parked = true} before its volatile reads of the
 *       queue, {@code stop} and {@code gpRequested}. [W]/[P] are the store-buffering pattern,
 *       which volatile accesses forbid: either the worker sees the work or the producer sees
 *       {@code parked} and unparks it.</li>
 *   <li>[K] a marker's {@link CountDownLatch}: the worker's {@code countDown()} happens-before
 *       the waiter's {@code await()} returns, so the callbacks before it are seen to have run.</li>
 *   <li>{@code callers} counts producers between their closed check and their push, so close can
 *       wait for them before its last marker: a call either returns {@code -ESHUTDOWN} or its
 *       callback runs. Every access is a volatile read-modify-write or read.</li>
 * </ul>
 * No producer takes a lock, so a callback may queue callbacks, and a thread holding any lock may
 * call {@code callSrcu}.
 */
final class CallbackWorker {

    private static final int CLOSED = 1;
    private static final int CALLER = 2;

    private static final VarHandle CALLERS;
    private static final VarHandle PARKED;
    private static final VarHandle GP_REQUESTED;
    private static final VarHandle RUNS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CALLERS = lookup.findVarHandle(CallbackWorker.class, "callers", int.class);
            PARKED = lookup.findVarHandle(CallbackWorker.class, "parked", boolean.class);
            GP_REQUESTED = lookup.findVarHandle(CallbackWorker.class, "gpRequested", long.class);
            RUNS = lookup.findVarHandle(CallbackWorker.class, "runs", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Runs the callbacks queued before it; barrier() and close() wait for it. */
    private static final class Marker implements Runnable {
        private final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void run() {
            done.countDown();   // [K]
        }

        boolean isDone() {
            // [K] as await(): getCount() is a volatile read of the latch's state.
            return done.getCount() == 0;
        }

        void await() {
            boolean interrupted = false;
            for (;;) {
                try {
                    done.await();   // [K]
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final CallbackQueue queue = new CallbackQueue();
    private final GracePeriods gracePeriods;
    private final Thread thread;

    /** CLOSED bit, plus CALLER for each producer between its check and its push. */
    private volatile int callers;
    private volatile boolean parked;
    private volatile boolean stop;
    /** The marker close queues last; set before stop, read after closeStart(). */
    private volatile Marker lastMarker;
    /** The newest cookie startPoll() asked for; 0 when none ever was. */
    private volatile long gpRequested;
    private volatile Thread.UncaughtExceptionHandler handler;
    /** Callbacks started so far; written by the worker alone with a release store ([S]). */
    private long runs;

    private CallbackWorker(GracePeriods gracePeriods) {
        this.gracePeriods = gracePeriods;
        this.thread = Thread.ofPlatform().daemon(true).name(WorkerThreads.nextName(WorkerThreads.WORKER))
                .unstarted(this::run);
    }

    /** A worker for {@code gracePeriods}, already running. */
    static CallbackWorker start(GracePeriods gracePeriods) {
        CallbackWorker worker = new CallbackWorker(gracePeriods);
        worker.thread.start();
        return worker;
    }

    /** Queues {@code task}; 0, or {@code -ESHUTDOWN} once close has begun. Never blocks. */
    int call(Runnable task) {
        if (!enterCaller()) {
            return -Errno.ESHUTDOWN;
        }
        queue.push(task);
        wakeIfParked();
        leaveCaller();
        return 0;
    }

    /** Makes sure a grace period reaching {@code cookie} runs. Never blocks. */
    void requestGracePeriod(long cookie) {
        long seen = gpRequested;
        // Raise gpRequested to cookie; retries only when another request raced in between.
        while (!GracePeriods.reached(seen, cookie) && !GP_REQUESTED.weakCompareAndSet(this, seen, cookie)) {
            seen = gpRequested;
        }
        wakeIfParked();
    }

    /** Waits for every callback queued before; {@code -EDEADLK} from one of them. */
    int barrier() {
        if (onWorkerThread()) {
            return -Errno.EDEADLK;
        }
        if (!enterCaller()) {
            // Close drains everything queued before it; wait for it to finish. The worker's
            // termination happens-before join() returns.
            joinUninterruptibly();
            return 0;
        }
        Marker marker = new Marker();
        queue.push(marker);
        wakeIfParked();
        leaveCaller();
        marker.await();
        return 0;
    }

    /** Whether close has begun (a volatile read). */
    boolean closing() {
        return (callers & CLOSED) != 0;
    }

    /**
     * Refuses new callbacks, runs every queued one after a grace period and stops the thread.
     * Returns 0, or {@code -EALREADY} when close had begun.
     */
    int close() {
        int rc = closeStart();
        if (rc == 0) {
            lastMarker.await();
            joinUninterruptibly();
        }
        return rc;
    }

    /**
     * The first half of {@link #close()}: refuses new callbacks and queues the drain, without
     * waiting for it. Returns 0, or {@code -EALREADY} when close had begun.
     */
    int closeStart() {
        // Volatile RMW: callers that count in after it see the bit and refuse.
        int state = (int) CALLERS.getAndBitwiseOr(this, CLOSED);
        if ((state & CLOSED) != 0) {
            return -Errno.EALREADY;
        }
        // Producers stay between their check and their push for a few instructions only; once
        // they have left (volatile read of their decrement), their pushes precede the marker.
        while (callers != CLOSED) {
            Thread.yield();
        }
        Marker last = new Marker();
        lastMarker = last;
        queue.push(last);
        // The volatile write of stop after the push: a worker that reads it sees the marker
        // queued, so it exits only once the marker has run (see run()).
        stop = true;
        wakeIfParked();
        return 0;
    }

    /** After {@link #closeStart()}: whether the drain has finished and the thread has ended. */
    boolean closeFinished() {
        // Thread termination happens-before isAlive() returns false: the callbacks' effects
        // are seen, as after join().
        Marker last = lastMarker;
        return last != null && last.isDone() && !thread.isAlive();
    }

    boolean onWorkerThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * How many callbacks have started to run: a racy count, for statistics. [S] acquire: pairs with the
     * release in {@link #runOne}; the queue's [Q]/[R] put each counted callback's queueing, and
     * its count as queued, before it.
     */
    long callbacksRun() {
        return (long) RUNS.getAcquire(this);
    }

    void setUncaughtExceptionHandler(Thread.UncaughtExceptionHandler h) {
        handler = h;
    }

    Thread.UncaughtExceptionHandler getUncaughtExceptionHandler() {
        return handler;
    }

    private boolean enterCaller() {
        int state = (int) CALLERS.getAndAdd(this, CALLER);
        if ((state & CLOSED) != 0) {
            CALLERS.getAndAdd(this, -CALLER);
            return false;
        }
        return true;
    }

    private void leaveCaller() {
        CALLERS.getAndAdd(this, -CALLER);
    }

    /** Unparks the worker if it announced it parks. The caller has written its work since. */
    private void wakeIfParked() {
        // [W] this volatile read comes after the caller's volatile write of the work.
        // Only the caller that moves the flag off true pays for the unpark.
        if (parked && PARKED.compareAndSet(this, true, false)) {
            LockSupport.unpark(thread);
        }
    }

    private boolean gracePeriodWanted() {
        long requested = gpRequested;
        return requested != 0 && !GracePeriods.reached(gracePeriods.current(), requested);
    }

    private void park() {
        parked = true;
        // [P] the volatile write above precedes these volatile reads.
        if (queue.isEmpty() && !stop && !gracePeriodWanted()) {
            // Returns on unpark, or spuriously: the loop in run() checks again.
            LockSupport.park(this);
        }
        parked = false;
    }

    private void run() {
        for (;;) {
            CallbackQueue.Node node = queue.takeAll();
            if (node == null) {
                if (gracePeriodWanted()) {
                    gracePeriods.runUntil(gracePeriods.snapshot(), false);
                } else if (stop && queue.isEmpty()) {
                    // stop is written after close's marker was pushed; having read it, the
                    // worker sees that push, so it never leaves the marker behind.
                    return;
                } else {
                    park();
                }
                continue;
            }
            // Every callback of the batch was queued before this grace period began.
            gracePeriods.runUntil(gracePeriods.snapshot(), false);
            for (; node != null; node = node.next) {
                runOne(node.task);
            }
        }
    }

    /** Runs one callback; what it throws goes to the handler, and the worker goes on. */
    private void runOne(Runnable task) {
        if (!(task instanceof Marker)) {
            // [S] release: the callback's hand-over ([R]) before its count; pairs with the
            // acquire in callbacksRun(). Counted as it starts, so whoever the callback tells it
            // ran (a barrier's latch) finds it counted. This worker's own markers are no
            // callSrcu's and are not counted.
            RUNS.setRelease(this, runs + 1);
        }
        try {
            task.run();
        } catch (Throwable failure) {
            CallbackFailures.report(handler, failure);
        } finally {
            // An interrupt a callback left behind must not reach the next one, nor make every
            // park of the worker return at once.
            Thread.interrupted();
        }
    }

    private void joinUninterruptibly() {
        boolean interrupted = false;
        for (;;) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
