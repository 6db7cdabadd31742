// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.callbacks;

import io.srcu4j.internal.CallbackFailures;
import io.srcu4j.internal.WorkerThreads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker threads that run every domain's callbacks and polled grace periods: at most one per
 * CPU, started as the work needs them (the first when a domain first has work), named
 * {@code srcu4j-worker-<n>}, daemons. A domain with work is handed to the pool once ({@link
 * DomainCallbacks} keeps it from being handed twice); a worker keeps the domains it took and
 * serves them in turn: while one waits for readers, the others' callbacks run. When every domain
 * it holds waits for readers, the worker sleeps with the pace of a normal grace period (1 us,
 * doubling to 1 ms), and a new domain wakes it.
 *
 * <p>Synchronization: the ready queue is a {@link ConcurrentLinkedQueue}, whose offer
 * happens-before the poll that takes the element, so a worker sees what the caller did before it
 * scheduled the domain. Parking follows [W]/[P] of {@code native/src/callbacks.c}: a worker's
 * volatile write {@code parked = true} comes before its volatile re-read of the ready queue, and a
 * submitter's offer (a volatile write) before its volatile read of {@code parked}; either the
 * worker sees the domain or the submitter sees it parked and unparks it.
 */
final class CallbackPool {

    /**
     * Domains one worker holds at most before it leaves the rest to the others: enough that
     * domains whose grace periods readers hold up (each costs a non-blocking step per round)
     * do not keep the others waiting in the ready queue.
     */
    private static final int HOLD_LIMIT = 1024;
    private static final long FIRST_SLEEP_NS = 1_000;
    private static final long LONGEST_SLEEP_NS = 1_000_000;

    private static final VarHandle PARKED;

    static {
        try {
            PARKED = MethodHandles.lookup().findVarHandle(Worker.class, "parked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The pool every domain uses. */
    private static final class Shared {
        static final CallbackPool POOL = new CallbackPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    static CallbackPool shared() {
        return Shared.POOL;
    }

    /** One worker thread and what only it touches. */
    private final class Worker {
        final Thread thread;
        final ArrayList<DomainCallbacks> held = new ArrayList<>();
        volatile boolean parked;
        /** Set by {@link #beforeWaitingForThePool()} inside a callback; read by the loop after it. */
        boolean handedOff;
        /** The domain being stepped (whose callbacks may be running). */
        DomainCallbacks current;

        Worker() {
            thread = Thread.ofPlatform().daemon(true).name(WorkerThreads.nextName(WorkerThreads.WORKER)).unstarted(this::run);
        }

        private void run() {
            CURRENT.set(this);
            long sleep = FIRST_SLEEP_NS;
            for (;;) {
                boolean progress = takeReady();
                for (int i = 0; i < held.size(); ) {
                    DomainCallbacks d = held.get(i);
                    current = d;
                    int r = stepSafely(d);
                    current = null;
                    if (handedOff) {
                        // A callback of d waited for the pool and gave the other domains away.
                        handedOff = false;
                        held.clear();
                        if (r != DomainCallbacks.RELEASED) {
                            held.add(d);
                        }
                        progress = true;
                        break;
                    }
                    if (r == DomainCallbacks.RELEASED) {
                        held.set(i, held.get(held.size() - 1));
                        held.remove(held.size() - 1);
                    } else {
                        i++;
                    }
                    progress |= r != DomainCallbacks.WAITING;
                }
                if (held.size() >= HOLD_LIMIT && !ready.isEmpty()) {
                    // Full, with domains waiting to be taken: rotate, so that domains whose
                    // readers never leave cannot keep the others out for good.
                    ready.offer(held.remove(0));
                }
                // Domains left waiting in the ready queue (every worker busy or full): one more
                // worker, within the bound.
                growIfBehind();
                if (progress) {
                    sleep = FIRST_SLEEP_NS;
                    continue;
                }
                parked = true;
                // [P] the volatile write above before the volatile read of the ready queue.
                // (volatile: SC, no litmus)
                if (ready.isEmpty()) {
                    if (held.isEmpty()) {
                        LockSupport.park(this);
                    } else {
                        // Every held domain waits for readers: check again after a while.
                        LockSupport.parkNanos(this, sleep);
                        sleep = Math.min(sleep * 2, LONGEST_SLEEP_NS);
                    }
                }
                parked = false;
                // A callback may leave an interrupt behind only inside runOne, which clears it;
                // an interrupt of the worker itself must not make every park return at once.
                Thread.interrupted();
            }
        }

        /**
         * One step of {@code d}. Callbacks' exceptions never reach here (each goes to its
         * domain's handler); anything else (an error of the path) is reported and the domain
         * tried again later, so one broken domain cannot end the worker the others rely on.
         */
        private int stepSafely(DomainCallbacks d) {
            try {
                return d.step();
            } catch (Throwable failure) {
                CallbackFailures.report(d.getUncaughtExceptionHandler(), failure);
                return DomainCallbacks.WAITING;
            }
        }

        /** Takes domains from the ready queue, up to the hold limit; whether it took any. */
        private boolean takeReady() {
            boolean took = false;
            while (held.size() < HOLD_LIMIT) {
                DomainCallbacks d = ready.poll();
                if (d == null) {
                    break;
                }
                held.add(d);
                took = true;
            }
            return took;
        }
    }

    /** The worker the calling thread is, if it is one. */
    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

    private final int maxWorkers;
    private final ConcurrentLinkedQueue<DomainCallbacks> ready = new ConcurrentLinkedQueue<>();
    /** Workers started so far; copy-on-write, only grows, written under {@code this}. */
    private volatile Worker[] workers = new Worker[0];

    CallbackPool(int maxWorkers) {
        this.maxWorkers = maxWorkers;
    }

    /**
     * Hands a domain that has work to the pool. Never blocks and takes no lock except to start
     * the very first worker (once per JVM); later workers are started by workers.
     */
    void submit(DomainCallbacks domain) {
        ready.offer(domain);
        Worker[] all = workers;
        if (all.length == 0) {
            startWorker(0);
            return;
        }
        // [W] the offer (a volatile write) before these volatile reads of parked.
        // (volatile: SC, no litmus)
        for (Worker w : all) {
            if (w.parked && PARKED.compareAndSet(w, true, false)) {
                LockSupport.unpark(w.thread);
                return;
            }
        }
    }

    /** Called by a worker each round: one more worker if domains wait and none is idle. */
    private void growIfBehind() {
        Worker[] all = workers;
        if (all.length >= maxWorkers || ready.isEmpty()) {
            return;
        }
        for (Worker w : all) {
            if (w.parked) {
                return;
            }
        }
        startWorker(all.length);
    }

    /** Starts the first worker, once; from a domain's creation, so that submit() need not. */
    void ensureStarted() {
        if (workers.length == 0) {
            startWorker(0, maxWorkers);
        }
    }

    private void startWorker(int seenCount) {
        startWorker(seenCount, maxWorkers);
    }

    /** Starts a worker unless another caller already brought the pool past {@code seenCount}. */
    private synchronized void startWorker(int seenCount, int bound) {
        Worker[] all = workers;
        if (all.length != seenCount || all.length >= bound) {
            return;
        }
        Worker w = new Worker();
        Worker[] more = java.util.Arrays.copyOf(all, all.length + 1);
        more[all.length] = w;
        workers = more;
        w.thread.start();
    }

    /**
     * Called by a thread about to wait for the pool to run some domain's callbacks (barrier() or
     * close()). On a worker, that is a callback waiting: the domains this worker holds could
     * never be served while it waits, so it hands every one but the domain whose callback is
     * running back to the ready queue and wakes or starts another worker for them (past the
     * per-CPU bound if it must, up to twice it), as a fork/join pool compensates a blocked
     * worker. Elsewhere it does nothing.
     */
    void beforeWaitingForThePool() {
        Worker self = CURRENT.get();
        if (self == null || self.handedOff) {
            return;
        }
        for (DomainCallbacks d : self.held) {
            if (d != self.current) {
                ready.offer(d);
            }
        }
        self.handedOff = true;
        // [W] the offers before these volatile reads of parked, as in submit().
        // (volatile: SC, no litmus)
        for (Worker w : workers) {
            if (w != self && w.parked && PARKED.compareAndSet(w, true, false)) {
                LockSupport.unpark(w.thread);
                return;
            }
        }
        startWorker(workers.length, 2 * maxWorkers);
    }

    /** The number of worker threads started (for tests and diagnostics). */
    int workerCount() {
        return workers.length;
    }
}
