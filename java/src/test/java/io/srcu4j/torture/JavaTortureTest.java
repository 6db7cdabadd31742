// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.torture;

import io.srcu4j.ReadGuard;
import io.srcu4j.ReadToken;
import io.srcu4j.ReaderFlavor;
import io.srcu4j.Srcu;
import io.srcu4j.cpu.CpuTopology;
import io.srcu4j.cpu.Cpus;
import io.srcu4j.internal.Srcu4jProperties;
import io.srcu4j.internal.path.PathFactory;
import io.srcu4j.internal.path.PathKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Torture in the shape of the C one (native/tests/torture.c), through the public API: readers on
 * platform and virtual threads (four per CPU) dereference an object that updaters keep replacing
 * and retiring, by synchronize, by a callSrcu callback and by a polled grace period. A retired
 * object is poisoned; a reader that sees poison inside its section is a violation. Platform
 * readers flip their own CPU affinity now and then; virtual readers park inside sections (and
 * resume on another carrier); some sections are handed to another thread and ended there.
 *
 * <p>Every path available here runs with every reader flavor. The whole run lasts
 * {@code srcu4j.torture.seconds} (default 6), shared among the configurations: a short run in
 * {@code make test}, a long one in {@code make torture}.
 */
class JavaTortureTest {

    private static final long LIVE = 1;
    private static final long POISON = 0xdead_beefL;

    /** What readers dereference; {@code state} turns POISON once the object is retired. */
    private static final class Obj {
        volatile long state = LIVE;
    }

    static Stream<Arguments> configurations() {
        List<Arguments> configs = new ArrayList<>();
        for (PathKind path : PathKind.values()) {
            if (PathFactory.unavailableReason(path) == null) {
                for (ReaderFlavor flavor : ReaderFlavor.values()) {
                    configs.add(Arguments.of(path.propertyName(), flavor));
                }
            }
        }
        return configs.stream();
    }

    private static long millisPerConfiguration() {
        long seconds = Long.getLong("srcu4j.torture.seconds", 6);
        return Math.max(200, TimeUnit.SECONDS.toMillis(seconds) / Math.max(1, configurations().count()));
    }

    @AfterEach
    void clearPath() {
        System.clearProperty(Srcu4jProperties.PATH);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configurations")
    void noReaderSeesARetiredObject(String path, ReaderFlavor flavor) throws Exception {
        System.setProperty(Srcu4jProperties.PATH, path);
        long millis = millisPerConfiguration();
        try (Srcu srcu = Srcu.create(flavor)) {
            Torture t = new Torture(srcu);
            t.run(millis);
            System.out.printf("torture %s %s %d ms: reads=%d handed=%d gps=%d(sync %d, poll %d) cbs=%d/%d violations=%d%n",
                    path, flavor, millis, t.reads.get(), t.handed.get(), t.syncs.get() + t.polls.get(), t.syncs.get(),
                    t.polls.get(), t.callbacksRun.get(), t.callbacksQueued.get(), t.violations.get());
            t.failures.forEach(Throwable::printStackTrace);
            assertTrue(t.failures.isEmpty(), "a torture thread failed: " + t.failures.peek());
            assertEquals(0, t.violations.get(), "readers saw retired objects");
            assertEquals(t.callbacksQueued.get(), t.callbacksRun.get(), "callbacks queued != callbacks run");
            assertTrue(t.reads.get() > 0 && t.syncs.get() > 0 && t.polls.get() > 0 && t.callbacksRun.get() > 0,
                    "some part of the torture never ran");
        }
    }

    private static final class Torture {
        final Srcu srcu;
        volatile Obj current = new Obj();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong reads = new AtomicLong(), handed = new AtomicLong(), violations = new AtomicLong();
        final AtomicLong syncs = new AtomicLong(), polls = new AtomicLong();
        final AtomicLong callbacksQueued = new AtomicLong(), callbacksRun = new AtomicLong();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<ReadToken> handOff = new ConcurrentLinkedQueue<>();

        Torture(Srcu srcu) {
            this.srcu = srcu;
        }

        void run(long millis) throws InterruptedException {
            int cpus = CpuTopology.current().online().size();
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < 4 * Math.max(1, cpus); i++) {
                boolean virtual = i % 2 == 1;
                Thread.Builder kind = virtual ? Thread.ofVirtual() : Thread.ofPlatform();
                readers.add(kind.name("torture-reader-" + i).start(guarded(() -> reader(virtual))));
            }
            List<Thread> updaters = List.of(
                    Thread.ofPlatform().name("torture-sync").start(guarded(this::syncUpdater)),
                    Thread.ofPlatform().name("torture-call").start(guarded(this::callUpdater)),
                    Thread.ofVirtual().name("torture-poll").start(guarded(this::pollUpdater)));
            Thread.sleep(millis);
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            // Sections handed off but not taken yet: a grace period in progress waits for them.
            ReadToken left;
            while ((left = handOff.poll()) != null) {
                srcu.unlock(left);
            }
            for (Thread t : updaters) {
                t.join();
            }
            srcu.barrier();
        }

        private Runnable guarded(ThrowingRunnable body) {
            return () -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failures.add(t);
                    stop.set(true);
                }
            };
        }

        private void check(Obj o) {
            if (o.state != LIVE) {
                violations.incrementAndGet();
            }
        }

        private void reader(boolean virtual) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int cpus = CpuTopology.current().online().size();
            long n = 0;
            while (!stop.get()) {
                n++;
                if (!virtual && cpus > 1 && n % 4096 == 0) {
                    // Forced migration: a platform reader moves itself to another CPU.
                    Cpus.pin(random.nextInt(cpus));
                }
                if (n % 64 == 0) {
                    // A section begun here and ended by whichever reader takes it next.
                    ReadToken token = srcu.lock();
                    check(current);
                    handOff.add(token);
                    handed.incrementAndGet();
                }
                ReadToken other = n % 64 == 32 ? handOff.poll() : null;
                if (other != null) {
                    srcu.unlock(other);
                }
                try (ReadGuard g = srcu.read()) {
                    Obj o = current;
                    check(o);
                    if (virtual && n % 128 == 0) {
                        LockSupport.parkNanos(10_000);   // unmount inside the section
                    } else if (n % 16 == 0) {
                        Thread.onSpinWait();
                    }
                    check(o);
                }
                reads.incrementAndGet();
            }
            if (!virtual && cpus > 1) {
                Cpus.unpin();
            }
        }

        private Obj replace() {
            Obj old = current;
            current = new Obj();
            return old;
        }

        private void syncUpdater() {
            boolean expedited = false;
            while (!stop.get()) {
                Obj old = replace();
                if (expedited) {
                    srcu.synchronizeExpedited();
                } else {
                    srcu.synchronize();
                }
                expedited = !expedited;
                old.state = POISON;
                syncs.incrementAndGet();
            }
        }

        private void callUpdater() throws InterruptedException {
            long n = 0;
            while (!stop.get()) {
                Obj old = replace();
                callbacksQueued.incrementAndGet();
                srcu.callSrcu(() -> {
                    old.state = POISON;
                    callbacksRun.incrementAndGet();
                });
                if (++n % 256 == 0) {
                    Thread.sleep(1);   // let the worker keep up
                }
            }
        }

        private void pollUpdater() {
            while (!stop.get()) {
                Obj old = replace();
                long cookie = srcu.startPoll();
                while (!srcu.poll(cookie)) {
                    if (stop.get()) {
                        srcu.awaitGracePeriod(cookie);
                        break;
                    }
                    LockSupport.parkNanos(20_000);
                }
                old.state = POISON;
                polls.incrementAndGet();
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
