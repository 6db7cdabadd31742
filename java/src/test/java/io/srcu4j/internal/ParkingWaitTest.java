// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pace of {@link ParkingWait}: what an expedited wait sleeps and with which timer slack, and
 * what a normal one leaves alone. The checks count sleeps through the watch, which runs after
 * each one in the waiting thread, and read the slack there.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParkingWaitTest {

    /** A wait that ends after {@code sleeps} sleeps, and what the thread's slack was after each. */
    private static List<Long> slackAfterEachSleep(ParkingWait.Pace pace, int sleeps) {
        List<Long> seen = new ArrayList<>();
        ParkingWait.awaitUninterruptibly(() -> seen.size() >= sleeps, pace, waited -> seen.add(TimerSlack.get()));
        return seen;
    }

    @Test
    void expeditedSleepsAreASixteenthOfTheWaitWithinTheirBounds() {
        assertEquals(ParkingWait.EXPEDITED_SLEEP_MIN_NS, ParkingWait.expeditedSleep(5_000, true),
                "the first sleep: the floor, which outlasts the scheduler's catch-up with a preempted reader");
        assertEquals(1_000, ParkingWait.expeditedSleep(5_000, false), "without a lowered slack: 1 us, the slack adds the rest");
        assertEquals(50_000, ParkingWait.expeditedSleep(800_000, true), "a sixteenth of the wait");
        assertEquals(1_000_000, ParkingWait.expeditedSleep(1_000_000_000, true), "at most 1 ms");
    }

    @Test
    void anExpeditedWaitLowersThePlatformThreadsTimerSlackAndGivesItBack() throws InterruptedException {
        long before = TimerSlack.get();
        assumeTrue(before > 0, "no timer slack to read here (no prctl, or no native access)");
        AtomicReference<List<Long>> seen = new AtomicReference<>();
        AtomicReference<Long> after = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            seen.set(slackAfterEachSleep(ParkingWait.Pace.EXPEDITED, 5));
            after.set(TimerSlack.get());
        });
        t.join();
        assertEquals(List.of(1_000L, 1_000L, 1_000L, 1_000L, 1_000L), seen.get(), "1 us while it sleeps");
        assertEquals(before, after.get(), "the thread's own slack once it returned");
    }

    @Test
    void aNormalWaitLeavesTheSlackAlone() {
        long before = TimerSlack.get();
        assumeTrue(before > 0, "no timer slack to read here (no prctl, or no native access)");
        List<Long> seen = slackAfterEachSleep(ParkingWait.Pace.NORMAL, 3);
        assertTrue(seen.stream().allMatch(s -> s == before), "the thread's own slack throughout: " + seen);
    }

    @Test
    void aVirtualThreadsExpeditedWaitChangesNoSlack() throws InterruptedException {
        AtomicReference<Long> set = new AtomicReference<>();
        AtomicReference<List<Long>> seen = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            set.set(TimerSlack.set(1_000));
            seen.set(slackAfterEachSleep(ParkingWait.Pace.EXPEDITED, 3));
        });
        t.join();
        assertEquals(-1L, set.get(), "a virtual thread's park is ended by the JDK's timer thread: nothing to lower");
        assertEquals(3, seen.get().size(), "and the wait still goes on to its end");
    }

    @Test
    void anInterruptedExpeditedWaitStillGivesTheSlackBack() throws InterruptedException {
        long before = TimerSlack.get();
        assumeTrue(before > 0, "no timer slack to read here (no prctl, or no native access)");
        AtomicReference<Boolean> threw = new AtomicReference<>(false);
        AtomicReference<Long> after = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                ParkingWait.await(() -> false, ParkingWait.Pace.EXPEDITED, ParkingWait.FOREVER, waited -> {
                    if (waited > 1_000_000) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (InterruptedException e) {
                threw.set(true);
            }
            after.set(TimerSlack.get());
        });
        t.join();
        assertTrue(threw.get(), "the interrupt ended the wait");
        assertEquals(before, after.get(), "with the thread's own slack back");
        assertFalse(t.isInterrupted());
    }
}
