// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Run by {@link JfrEventContract} in a JVM that records nothing, on the path its argument names:
 * waits for grace periods (one held up by a reader past a 50 ms stall threshold) and runs
 * callbacks, so that every place that could make a JFR event runs; prints the stall warnings
 * counted. Making the first event of a class sets up JFR's machinery, at a cost of hundreds of
 * milliseconds, so the test checks, from the JVM's class-loading log, that no srcu4j event class
 * was loaded.
 */
final class JfrIdleProbe {

    private JfrIdleProbe() {
    }

    public static void main(String[] args) throws Exception {
        PathKind path = PathKind.valueOf(args[0]);
        try (Srcu srcu = Srcu.builder().stallTimeout(Duration.ofMillis(50)).path(path).build()) {
            CountDownLatch entered = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().start(() -> {
                try (ReadGuard g = srcu.read()) {
                    entered.countDown();
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            entered.await();
            srcu.synchronize();
            reader.join();
            srcu.synchronizeExpedited();
            for (int i = 0; i < 3; i++) {
                srcu.callSrcu(() -> { });
            }
            srcu.barrier();
            System.out.println("STALL WARNINGS " + srcu.stats().stallWarnings());
        }
    }
}
