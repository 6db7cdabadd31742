// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cookies: getState(), startPoll(), poll(), awaitGracePeriod(), and synchronizeExpedited(); every path. */
abstract class PolledGracePeriodContract extends DomainTestSupport {

    private static final long HOLD_MS = 200;

    /** Starts a reader that stays inside for HOLD_MS; returns once it is inside. */
    private AtomicBoolean readerInsideForAWhile() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean left = new AtomicBoolean();
        start("reader", () -> {
            try (ReadGuard g = srcu.read()) {
                entered.countDown();
                Thread.sleep(HOLD_MS);
                left.set(true);
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        return left;
    }

    @Test
    void getStateAloneStartsNoGracePeriod() throws Exception {
        long cookie = srcu.getState();
        Thread.sleep(50);
        assertFalse(srcu.poll(cookie), "a cookie from getState() ended with nobody running a grace period");
        srcu.synchronize();
        assertTrue(srcu.poll(cookie), "a later synchronize() did not end the cookie's grace period");
    }

    @Test
    void startPollWaitsForAnEarlierReaderAndThenEnds() throws Exception {
        AtomicBoolean left = readerInsideForAWhile();
        long cookie = srcu.startPoll();
        assertFalse(srcu.poll(cookie), "poll() reported the end while a reader that began before was inside");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (!srcu.poll(cookie)) {
                Thread.sleep(1);
            }
        });
        assertTrue(left.get(), "poll() returned true before the earlier reader left");
    }

    @Test
    void awaitGracePeriodWaitsForAnEarlierReader() throws Exception {
        AtomicBoolean left = readerInsideForAWhile();
        long cookie = srcu.getState();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> srcu.awaitGracePeriod(cookie));
        assertTrue(left.get(), "awaitGracePeriod() returned before the earlier reader left");
        assertTrue(srcu.poll(cookie));
    }

    @Test
    void synchronizeExpeditedWaitsForAnEarlierReader() throws Exception {
        AtomicBoolean left = readerInsideForAWhile();
        srcu.synchronizeExpedited();
        assertTrue(left.get(), "synchronizeExpedited() returned before the earlier reader left");
    }

    @Test
    void cookiesNotHandedOutAreRefused() {
        long cookie = srcu.getState();
        assertThrows(IllegalArgumentException.class, () -> srcu.poll(cookie + 1));
        assertThrows(IllegalArgumentException.class, () -> srcu.awaitGracePeriod(cookie + 1));
        // Far ahead of anything the domain handed out: waiting would never end.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> srcu.awaitGracePeriod(cookie + 1_000_000));
        assertTrue(e.getMessage().contains("not handed out"), e.getMessage());
    }

    @Test
    void pollWorksAfterCloseAndAwaitRefusesAnUnendedCookie() {
        srcu.synchronize();
        long ended = srcu.getState();
        srcu.synchronize();
        long pending = srcu.getState();
        srcu.close();
        assertTrue(srcu.poll(ended));
        srcu.awaitGracePeriod(ended);
        assertThrows(IllegalStateException.class, () -> srcu.getState());
        if (!srcu.poll(pending)) {
            assertThrows(IllegalStateException.class, () -> srcu.awaitGracePeriod(pending));
        }
    }
}
