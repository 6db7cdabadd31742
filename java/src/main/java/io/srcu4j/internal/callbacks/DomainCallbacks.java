// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.callbacks;

import io.srcu4j.internal.CallbackFailures;
import io.srcu4j.internal.Errno;
import io.srcu4j.internal.ParkingWait;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;

/**
 * One domain's callbacks, on every path: a lock-free inbox that {@code callSrcu} pushes on, and
 * the scheduling state that hands the domain to the shared {@link CallbackPool} when it has work.
 * A worker of the pool takes every queued callback as one batch, takes a cookie, drives that grace
 * period with non-blocking steps while it serves other domains, and then runs the batch in queue
 * order. An idle domain costs no thread; a queued callback costs no native call and no upcall.
 *
 * <p>Synchronization (the letters of {@code native/src/callbacks.c}, with the same roles):
 * <ul>
 *   <li>[Q]/[R] the inbox's pushes and takes (see {@link CallbackQueue}): what a caller did
 *       before {@code callSrcu} happens-before its callback runs.</li>
 *   <li>The batch's cookie is taken after the take ([F] inside {@code getState}): the grace period
 *       it names begins after every {@code callSrcu} of the batch returned.</li>
 *   <li>[I] (the role it has in {@code native/src/callbacks.c}: an idle domain handed back) a
 *       caller's volatile read of {@code state} after its push, and the worker's volatile write
 *       of {@code IDLE} before it re-reads the queue. Store buffering, which volatile
 *       accesses forbid: either the worker sees the push and keeps serving, or the caller sees
 *       {@code IDLE} and schedules the domain again (the compare-and-set lets only one do it).</li>
 *   <li>Markers (a barrier's, close's) have a stack of their own, which the worker takes before
 *       the inbox, and run after the callbacks taken with them. A callback whose
 *       {@code callSrcu} returned before a marker was pushed is pushed before it; the take of
 *       the inbox, after the take that found the marker, finds that callback (volatile
 *       accesses: SC), so it runs before the marker, whichever queue it is on.</li>
 *   <li>[K] a marker's latch: its {@code countDown()} on the worker happens-before the waiter's
 *       {@code await()} returns, so the callbacks before it are seen to have run.</li>
 *   <li>Close marks every queue of the inbox and the markers' stack closed, then publishes its
 *       own marker (volatile); the worker reads that before a take, so the take that comes after
 *       it gets the last callbacks and markers, and close's marker goes last. A call either
 *       finds its queue closed and returns {@code -ESHUTDOWN}, or its push came first and its
 *       callback runs before close's marker.</li>
 * </ul>
 * Callers take no lock and never wait for another thread, so a callback may queue callbacks and a
 * thread holding any lock may call {@code callSrcu}.
 */
public final class DomainCallbacks {

    /** Not in the pool: the next caller that finds work schedules it. */
    static final int IDLE = 0;
    /** In the pool's ready queue, or served by a worker. */
    static final int SCHEDULED = 1;

    /** How long a worker leaves a busy domain's queue to fill after a batch. */
    private static final long BATCH_PAUSE_NS = 20_000;
    /** A batch at least this large says callbacks are streaming in. */
    private static final int BUSY_BATCH = 16;

    /** {@code WorkerFields.waitBegan} when the worker waits for no grace period. */
    private static final long NOT_WAITING = Long.MIN_VALUE;

    /** What {@link #step} tells the worker. */
    static final int PROGRESS = 0;
    static final int WAITING = 1;
    static final int RELEASED = 2;

    private static final VarHandle CLOSING;
    private static final VarHandle STATE;
    private static final VarHandle GP_REQUESTED;
    private static final VarHandle RUNS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSING = lookup.findVarHandle(DomainCallbacks.class, "closing", boolean.class);
            STATE = lookup.findVarHandle(DomainCallbacks.class, "state", int.class);
            GP_REQUESTED = lookup.findVarHandle(DomainCallbacks.class, "gpRequested", long.class);
            RUNS = lookup.findVarHandle(WorkerFields.class, "runs", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Told when the worker has waited a stall threshold for one of the domain's grace periods
     * (its callbacks', close's, or one {@code startPoll} asked for), and again each threshold
     * after; on the worker's thread, so it must not block for long.
     */
    public interface StallWatch {
        void stalled(String operation, long beganNanos, long waitedNanos);
    }

    /** Opens once the worker has run everything queued before it. */
    private static final class Marker implements Runnable {
        private final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void run() {
            done.countDown();   // [K] (j.u.c.: happens-before, no litmus)
        }

        boolean isDone() {
            // [K] as await(): getCount() is a volatile read of the latch's state.
            // (j.u.c.: happens-before, no litmus)
            return done.getCount() == 0;
        }
    }

    private final GracePeriodSteps gracePeriods;
    private final CallbackPool pool;
    private final CallbackInbox inbox = new CallbackInbox();
    /** Barrier markers, each run after the callbacks queued before it. */
    private final CallbackQueue markers = new CallbackQueue();

    /** Set by the first closeStart. */
    private volatile boolean closing;
    /** IDLE or SCHEDULED; see [I]. */
    private volatile int state;
    /** The newest cookie startPoll() asked for; 0 when none ever was. */
    private volatile long gpRequested;
    /** The marker close queued last; null until close starts. */
    private volatile Marker lastMarker;
    private volatile Thread.UncaughtExceptionHandler handler;
    /** Null: nobody watches. */
    private volatile StallWatch stallWatch;
    private volatile long stallThresholdNanos;

    /** What the worker serving the domain writes, on lines of its own (see WorkerSide). */
    private final WorkerSide w = new WorkerSide();

    /** Callbacks of a domain whose grace periods {@code gracePeriods} drives, on the shared pool. */
    public DomainCallbacks(GracePeriodSteps gracePeriods) {
        this(gracePeriods, CallbackPool.shared());
    }

    DomainCallbacks(GracePeriodSteps gracePeriods, CallbackPool pool) {
        this.gracePeriods = gracePeriods;
        this.pool = pool;
        pool.ensureStarted();
    }

    /**
     * To call before waiting for callbacks to run (barrier, close): when the calling thread is a
     * worker of the pool (a callback of some domain is waiting), the pool gives its other domains
     * to another worker first, so that the wait cannot wait for itself.
     */
    public void beforeWaitingForCallbacks() {
        pool.beforeWaitingForThePool();
    }

    /** Queues {@code task}; 0, or {@code -ESHUTDOWN} once close has begun. Never blocks. */
    public int call(Runnable task) {
        if (!inbox.push(task)) {   // [Q] (volatile: SC, no litmus)
            return -Errno.ESHUTDOWN;
        }
        scheduleIfIdle();
        return 0;
    }

    /**
     * Queues {@code marker} to run once every callback queued before this call has run (it runs
     * on the worker, like a callback, but after no grace period of its own and uncounted); 0, or
     * {@code -ESHUTDOWN} once close has begun. Never blocks.
     */
    public int queueMarker(Runnable marker) {
        // [Q] (volatile: SC, no litmus)
        if (markers.push(marker) != CallbackQueue.PUSHED) {
            return -Errno.ESHUTDOWN;
        }
        scheduleIfIdle();
        return 0;
    }

    /** Callbacks queued so far (a racy count, for statistics; see {@link #callbacksRun()}). */
    public long callbacksQueued() {
        return inbox.pushed();
    }

    /** Makes sure a grace period reaching {@code cookie} runs. Never blocks. */
    public void requestGracePeriod(long cookie) {
        long seen = gpRequested;
        // Raise gpRequested to cookie; retries only when another request raced in between.
        while (!reached(seen, cookie) && !GP_REQUESTED.weakCompareAndSet(this, seen, cookie)) {
            seen = gpRequested;
        }
        scheduleIfIdle();
    }

    /** Whether close has begun (a volatile read). */
    public boolean closing() {
        return closing;
    }

    /**
     * Refuses new callbacks and queues the drain of those already queued, without waiting for it.
     * Returns 0, or {@code -EALREADY} when close had begun.
     */
    public int closeStart() {
        // Volatile CAS: only the first close goes on. (one word, no litmus)
        if (!CLOSING.compareAndSet(this, false, true)) {
            return -Errno.EALREADY;
        }
        inbox.close();
        markers.close();
        // Volatile write after every queue was closed: the worker's take after it reads this
        // gets the last callbacks. (volatile: SC, no litmus)
        lastMarker = new Marker();
        scheduleIfIdle();
        return 0;
    }

    /**
     * A native path's close_start result, and when it is 0 (the C domain refuses new callbacks
     * now), the Java callbacks' door and drain too. Neither waits.
     */
    public int closeStartAfterNative(int nativeResult) {
        if (nativeResult == 0) {
            closeStart();
        }
        return nativeResult;
    }

    /**
     * A native path's close_poll, asked only once the Java callbacks have drained (and the pool let
     * the domain go): 0 before that, then what {@code nativePoll} says.
     */
    public int closePollAfterJava(java.util.function.IntSupplier nativePoll) {
        return closeFinished() ? nativePoll.getAsInt() : 0;
    }

    /**
     * After {@link #closeStart()}: whether every callback queued before it has run and no worker
     * serves the domain any more (so its grace periods are no longer driven, and the path may
     * free what they use).
     */
    public boolean closeFinished() {
        Marker last = lastMarker;
        // [K] isDone(), then the volatile read of state: the worker writes IDLE after the marker
        // ran and never schedules a closed domain whose marker ran again (see hasWork()).
        // (j.u.c.: happens-before, no litmus)
        return last != null && last.isDone() && state == IDLE;
    }

    /** Closes and waits, parking, until {@link #closeFinished()}; for releasers. */
    public int closeAndWait() {
        int rc = closeStart();
        if (rc == 0 || rc == -Errno.EALREADY) {
            ParkingWait.awaitUninterruptibly(this::closeFinished, ParkingWait.Pace.NORMAL, ParkingWait.Watch.NONE);
        }
        return rc;
    }

    /**
     * Blocks until every callback queued before has run; {@code -EDEADLK} from one of them. For
     * tests and the paths' blocking {@code barrier()}; {@code io.srcu4j.Srcu} parks instead.
     */
    public int barrierAndWait() {
        if (onWorkerThread()) {
            return -Errno.EDEADLK;
        }
        beforeWaitingForCallbacks();
        Marker marker = new Marker();
        if (queueMarker(marker) == -Errno.ESHUTDOWN) {
            // Close drains everything queued before it.
            ParkingWait.awaitUninterruptibly(this::closeFinished, ParkingWait.Pace.NORMAL, ParkingWait.Watch.NONE);
            return 0;
        }
        ParkingWait.awaitUninterruptibly(marker::isDone, ParkingWait.Pace.NORMAL, ParkingWait.Watch.NONE);
        return 0;
    }

    /**
     * How many callbacks have started to run: a racy count, for statistics. [M] acquire: pairs
     * with the release in runOne; each counted callback's queueing, and its count as queued,
     * happen-before this returns, so a queued count read afterwards is never below it.
     * (litmus: M.mp)
     */
    public long callbacksRun() {
        return (long) RUNS.getAcquire(w);
    }

    /** Whether the calling thread is running one of this domain's callbacks. */
    public boolean onWorkerThread() {
        return w.runningOn == Thread.currentThread();
    }

    /** Has {@code watch} told of the worker's waits past {@code thresholdNanos} (positive). */
    public void watchStalls(StallWatch watch, long thresholdNanos) {
        stallThresholdNanos = thresholdNanos;
        stallWatch = watch;
    }

    public void setUncaughtExceptionHandler(Thread.UncaughtExceptionHandler h) {
        handler = h;
    }

    public Thread.UncaughtExceptionHandler getUncaughtExceptionHandler() {
        return handler;
    }

    /**
     * The worker's turn with this domain: takes a batch (and its cookie) when it has none, drives
     * the batch's grace period one step, and runs the batch once it has ended. Only the worker
     * that holds the domain calls it.
     *
     * @return PROGRESS (something ran or a grace period ended), WAITING (readers hold the grace
     *         period) or RELEASED (nothing left: the domain went back to IDLE)
     */
    int step() {
        if (w.batch.isEmpty() && w.markerBatch.isEmpty()) {
            if (pausing()) {
                return WAITING;
            }
            // Volatile read before the takes: once close's marker is set every queue is closed,
            // so the takes get the last callbacks and markers, and it goes after them.
            // (volatile: SC, no litmus)
            Marker last = lastMarker;
            // The markers first, then the callbacks: see the class comment.
            markers.takeInto(w.markerBatch);   // [R] (volatile: SC, no litmus)
            inbox.takeInto(w.batch);   // [R] (volatile: SC, no litmus)
            if (last != null && !w.markerQueued) {
                w.markerQueued = true;
                w.markerBatch.append(last);
            }
            if (w.batch.isEmpty() && w.markerBatch.isEmpty()) {
                long requested = gpRequested;
                if (gpWanted(requested)) {
                    if (!gracePeriods.advance(requested)) {
                        return waiting("startPoll()");
                    }
                    w.waitBegan = NOT_WAITING;
                    w.gpServed = requested;
                    return PROGRESS;
                }
                return release();
            }
            // After the take: the grace period begins after every call of the batch ([F]).
            w.batchCookie = gracePeriods.getState();
            w.waitBegan = NOT_WAITING;
        }
        if (!gracePeriods.advance(w.batchCookie)) {
            return waiting(w.markerQueued ? "close()" : "callbacks queued by callSrcu()");
        }
        w.waitBegan = NOT_WAITING;
        if (reached(w.batchCookie, w.gpServed)) {
            w.gpServed = w.batchCookie;
        }
        runBatch(w.batch.takeAll(), w.markerBatch.takeAll());
        w.batchEnded = System.nanoTime();
        return PROGRESS;
    }

    /**
     * A grace period the worker drives is held up: notes when the wait began, and tells the
     * stall watch once per threshold waited. WAITING.
     */
    private int waiting(String operation) {
        StallWatch watch = stallWatch;
        if (watch == null) {
            return WAITING;
        }
        long now = System.nanoTime();
        if (w.waitBegan == NOT_WAITING) {
            w.waitBegan = now;
            w.nextStallCheck = stallThresholdNanos;
            return WAITING;
        }
        long waited = now - w.waitBegan;
        if (waited >= w.nextStallCheck) {
            long threshold = stallThresholdNanos;
            // The next check one threshold later (skipping any a long step jumped over).
            w.nextStallCheck = (waited / threshold + 1) * threshold;
            watch.stalled(operation, w.waitBegan, waited);
        }
        return WAITING;
    }

    /**
     * Under a steady stream of callbacks the worker would take a handful per batch and pull the
     * queue's line away from the callers each time; a short pause after a batch lets the next
     * one build up (as the C library's worker does). Only when the previous batch was a large one
     * that ended just now and more is already queued: never after an idle spell, nor for a
     * caller that waits for each callback before it queues the next.
     */
    private boolean pausing() {
        return w.batchSize >= BUSY_BATCH && inbox.hasTasks() && System.nanoTime() - w.batchEnded < BATCH_PAUSE_NS;
    }

    /** Runs the callbacks, then the markers taken with them. */
    private void runBatch(CallbackQueue.Chunk callbacks, CallbackQueue.Chunk markersAfter) {
        w.runningOn = Thread.currentThread();
        int size = 0;
        try {
            for (CallbackQueue.Chunk c = callbacks; c != null; c = c.nextInBatch) {
                for (int i = 0, n = c.count(); i < n; i++) {
                    Runnable task = c.task(i);   // after [R] (volatile: SC, no litmus)
                    countRun();
                    runOne(task);
                    size++;
                }
            }
            for (CallbackQueue.Chunk c = markersAfter; c != null; c = c.nextInBatch) {
                for (int i = 0, n = c.count(); i < n; i++) {
                    runOne(c.task(i));   // after [R] (volatile: SC, no litmus)
                }
            }
        } finally {
            w.runningOn = null;
            w.batchSize = size;
        }
    }

    /** Counts a callback about to run. */
    private void countRun() {
        // [M] release: the callback's hand-over ([R]) before its count; pairs with the acquire
        // in callbacksRun(). Counted as it starts, so whoever the callback tells it ran (a
        // barrier's latch) finds it counted. (litmus: M.mp)
        RUNS.setRelease(w, w.runs + 1);
    }

    /** Runs one callback or marker; what it throws goes to the handler, and the worker goes on. */
    private void runOne(Runnable task) {
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

    /** Gives the domain back unless work arrived meanwhile; RELEASED or PROGRESS (kept). */
    private int release() {
        // [I] the volatile write of IDLE before re-reading the queue and the requests.
        // (volatile: SC, no litmus)
        state = IDLE;
        if (hasWork() && STATE.compareAndSet(this, IDLE, SCHEDULED)) {
            return PROGRESS;
        }
        return RELEASED;
    }

    /** Whether a worker has something to do here: callbacks queued, or a grace period asked for. */
    private boolean hasWork() {
        return inbox.hasTasks() || markers.hasTasks() || gpWanted(gpRequested)
                || (lastMarker != null && !w.markerQueued);
    }

    /** A requested grace period not yet ended; none once close has drained (nobody may poll then). */
    private boolean gpWanted(long requested) {
        if (requested == 0 || reached(w.gpServed, requested)) {
            return false;
        }
        Marker last = lastMarker;
        return last == null || !last.isDone();
    }

    /** Schedules the domain on the pool if no worker holds it. */
    private void scheduleIfIdle() {
        // [I] this volatile read comes after the caller's volatile write of its work.
        // (volatile: SC, no litmus)
        if (state == IDLE && STATE.compareAndSet(this, IDLE, SCHEDULED)) {
            pool.submit(this);
        }
    }

    /** Whether sequence value {@code seq} has reached {@code cookie}, across wrap-around. */
    private static boolean reached(long seq, long cookie) {
        return seq - cookie >= 0;
    }
}

/**
 * The fields the worker serving a domain writes as it runs callbacks, on cache lines of their own
 * so that callers of {@code callSrcu}, who read the domain's state and write its queue, do not
 * lose their lines to every callback the worker runs. One worker at a time serves a domain
 * (SCHEDULED is exclusive); the next one gets the domain through the volatile state and the
 * pool's queue, which order these plain fields.
 */
abstract class WorkerFields extends LinePadding {
    /** The callbacks taken and not yet run, and the markers to run after them; empty between
     *  batches. */
    final CallbackQueue.Batch batch = new CallbackQueue.Batch();
    final CallbackQueue.Batch markerBatch = new CallbackQueue.Batch();
    /** Whether close's marker was put in a batch. */
    boolean markerQueued;
    /** When the worker began to wait for the grace period it drives (NOT_WAITING: it does not),
     *  and at what wait it next tells the stall watch. */
    long waitBegan = Long.MIN_VALUE;
    long nextStallCheck;
    long batchCookie;
    /** The newest cookie a worker saw ended; requests up to it are served. */
    long gpServed;
    /** Callbacks started so far; written with a release ([M]). */
    long runs;
    /** When the last batch ended (System.nanoTime), and how many callbacks it ran: for the
     *  pause before the next one. */
    long batchEnded;
    int batchSize;
    /** The thread running this domain's callbacks now, or null. */
    volatile Thread runningOn;
}

/**
 * {@link WorkerFields} as allocated. No padding after them: a domain's objects are allocated in
 * one go (the domain, its queue, this), so what follows is no domain's hot field, and each
 * padded object costs every create()+close() its bytes of garbage.
 */
final class WorkerSide extends WorkerFields {
}
