// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Run by {@link StallWarningContract} in a JVM with {@code -Dsrcu4j.debug.sections=true}, on the
 * path its argument names: a reader thread ({@value #STUCK_READER}) stays inside a section while
 * {@code synchronize()} waits for it past a 300 ms threshold, and another ({@value #LATE_READER})
 * begins one after the wait began. Both leave at the first stall warning. Prints
 * {@code WARNINGS <n>} (the warnings naming the domain) and the first between {@code BEGIN} and
 * {@code END} lines.
 */
final class StallProbe {

    static final String DOMAIN = "stall-probe";
    static final String STUCK_READER = "stuck-reader";
    static final String LATE_READER = "late-reader";

    private StallProbe() {
    }

    public static void main(String[] args) throws Exception {
        PathKind path = List.of(PathKind.values()).stream().filter(k -> k.propertyName().equals(args[0])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no path " + args[0]));
        Logger logger = Logger.getLogger("io.srcu4j");
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch warned = new CountDownLatch(1);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == Level.WARNING && r.getMessage().contains("\"" + DOMAIN + "\"")) {
                    warnings.add(r.getMessage());
                    warned.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        try (Srcu srcu = Srcu.builder().name(DOMAIN).stallTimeout(Duration.ofMillis(300)).path(path).build()) {
            CountDownLatch entered = new CountDownLatch(1);
            Thread stuck = Thread.ofPlatform().name(STUCK_READER)
                    .start(() -> holdSectionUntilReleased(srcu, entered, warned));
            entered.await();
            Thread waiter = Thread.ofPlatform().name("waiter").start(srcu::synchronize);
            // The late reader must begin after the wait did: once the waiter parks between its
            // steps, its wait has begun (on a loaded machine the thread may start late).
            while (waiter.getState() != Thread.State.TIMED_WAITING && waiter.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
            Thread.sleep(50);
            CountDownLatch lateEntered = new CountDownLatch(1);
            Thread late = Thread.ofPlatform().name(LATE_READER)
                    .start(() -> holdSectionUntilReleased(srcu, lateEntered, warned));
            lateEntered.await();
            if (!warned.await(20, TimeUnit.SECONDS)) {
                System.out.println("no warning within 20 s");
            }
            stuck.join();
            late.join();
            waiter.join();
        }
        System.out.println("WARNINGS " + warnings.size());
        if (!warnings.isEmpty()) {
            System.out.println("BEGIN");
            System.out.println(warnings.getFirst());
            System.out.println("END");
        }
    }

    /** The frame the warning must show: the section begins here and stays open until the warning. */
    private static void holdSectionUntilReleased(Srcu srcu, CountDownLatch entered, CountDownLatch release) {
        try (ReadGuard g = srcu.read()) {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
