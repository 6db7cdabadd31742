// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run in a JVM of its own by {@link CarrierFreeWaitsTest}, with the virtual-thread scheduler's
 * parallelism (carriers) set to P: for every path, flavor and waiting call, P virtual threads
 * make the call while what it waits for needs a virtual thread that is parked, and so needs a
 * carrier. A call that held its carrier while it waited would leave no carrier for it: the
 * scenario hangs, and the watchdog here prints {@code HUNG ...} and ends the JVM (a carrier held
 * forever cannot be taken back). Prints one {@code PASS ...} line per scenario otherwise.
 *
 * <p>The waits: {@code synchronize()}, {@code synchronizeExpedited()}, {@code awaitGracePeriod()},
 * their interruptible and timed forms, and {@code gracePeriodAsync().join()} wait for virtual
 * readers parked inside their sections; {@code barrier()}, {@code barrier(Duration)} and
 * {@code close()} wait for a queued callback that waits for a parked virtual thread.
 */
final class CarrierFreeWaitsProbe {

    /** How long the parked virtual threads sleep before they let go. */
    private static final long PARK_MS = 200;
    private static final long HANG_SECONDS = 20;
    /** The timed forms' bound: longer than the watchdog, so a hang shows as HUNG, not a timeout. */
    private static final java.time.Duration LONG = java.time.Duration.ofSeconds(60);

    enum Call {
        SYNCHRONIZE, SYNCHRONIZE_EXPEDITED, AWAIT_GRACE_PERIOD, BARRIER, CLOSE,
        SYNCHRONIZE_INTERRUPTIBLY, SYNCHRONIZE_TIMED, AWAIT_GRACE_PERIOD_TIMED, BARRIER_TIMED, GRACE_PERIOD_ASYNC
    }

    private CarrierFreeWaitsProbe() {
    }

    public static void main(String[] args) throws Exception {
        int parallelism = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", 0);
        if (parallelism < 1) {
            throw new IllegalStateException("run with -Djdk.virtualThreadScheduler.parallelism=N");
        }
        List<PathKind> paths = new ArrayList<>();
        for (String name : args) {
            for (PathKind kind : PathKind.values()) {
                if (kind.propertyName().equals(name)) {
                    paths.add(kind);
                }
            }
        }
        if (paths.size() != args.length) {
            throw new IllegalArgumentException("unknown path among " + List.of(args));
        }
        for (PathKind path : paths) {
            for (ReaderFlavor flavor : ReaderFlavor.values()) {
                for (Call call : Call.values()) {
                    String name = path.propertyName() + " " + flavor.name().toLowerCase() + " " + call + " P=" + parallelism;
                    long start = System.nanoTime();
                    Srcu srcu = Srcu.create(flavor, path);
                    Thread scenario = Thread.ofPlatform().name("scenario").start(() -> run(srcu, call, parallelism));
                    scenario.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
                    if (scenario.isAlive()) {
                        System.out.println("HUNG " + name + ": still waiting after " + HANG_SECONDS + " s, readersActive="
                                + srcu.readersActive());
                        System.out.flush();
                        Runtime.getRuntime().halt(3);
                    }
                    System.out.println("PASS " + name + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
                }
            }
        }
    }

    /** One scenario: returns once every waiter has returned. */
    private static void run(Srcu srcu, Call call, int waiters) {
        try {
            CountDownLatch parked = new CountDownLatch(waiters);
            List<Thread> threads = new ArrayList<>();
            if (call == Call.BARRIER || call == Call.CLOSE || call == Call.BARRIER_TIMED) {
                // The callback waits for a virtual thread that must be mounted again to let it go.
                CountDownLatch letGo = new CountDownLatch(1);
                srcu.callSrcu(() -> awaitQuietly(letGo));
                threads.add(Thread.ofVirtual().start(() -> {
                    parked.countDown();
                    sleepQuietly(PARK_MS);
                    letGo.countDown();
                }));
                for (int i = 1; i < waiters; i++) {
                    parked.countDown();
                }
            } else {
                // Readers inside sections, parked: their carriers are free until they wake.
                for (int i = 0; i < waiters; i++) {
                    boolean crossThread = (i & 1) == 1;
                    threads.add(Thread.ofVirtual().start(() -> {
                        if (crossThread) {
                            ReadToken token = srcu.lock();
                            parked.countDown();
                            sleepQuietly(PARK_MS);
                            srcu.unlock(token);
                        } else {
                            try (ReadGuard g = srcu.read()) {
                                parked.countDown();
                                sleepQuietly(PARK_MS);
                            }
                        }
                    }));
                }
            }
            parked.await();
            long cookie = srcu.getState();
            for (int i = 0; i < waiters; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        boolean ended = switch (call) {
                            case SYNCHRONIZE -> { srcu.synchronize(); yield true; }
                            case SYNCHRONIZE_EXPEDITED -> { srcu.synchronizeExpedited(); yield true; }
                            case AWAIT_GRACE_PERIOD -> { srcu.awaitGracePeriod(cookie); yield true; }
                            case BARRIER -> { srcu.barrier(); yield true; }
                            case CLOSE -> { srcu.close(); yield true; }
                            case SYNCHRONIZE_INTERRUPTIBLY -> { srcu.synchronizeInterruptibly(); yield true; }
                            case SYNCHRONIZE_TIMED -> srcu.synchronize(LONG);
                            case AWAIT_GRACE_PERIOD_TIMED -> srcu.awaitGracePeriod(cookie, LONG);
                            case BARRIER_TIMED -> srcu.barrier(LONG);
                            case GRACE_PERIOD_ASYNC -> { srcu.gracePeriodAsync().join(); yield true; }
                        };
                        if (!ended) {
                            throw new IllegalStateException(call + " timed out");
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            if (!srcu.isClosed()) {
                srcu.close();
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
