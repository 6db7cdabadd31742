// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srcu4j.internal.ffm.FfmDomain;
import io.srcu4j.internal.heap.HeapDomain;
import io.srcu4j.internal.jna.JnaDomain;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The first step of an expedited wait on every path ({@link DomainPath#startAdvanceExpedited()}):
 * on a domain no reader is in it ends the grace period in one scan, without the flip (readers
 * keep their counter set), where a normal step flips; with a reader inside it flips and leaves
 * the grace period running until the reader is gone. After a look that found a reader in the set
 * in use, the next 16 do not look.
 */
class StartAdvanceExpeditedTest {

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of("java", (Supplier<DomainPath>) () -> HeapDomain.create(0)),
                Arguments.of("native-direct", (Supplier<DomainPath>) () -> FfmDomain.create(0, true)),
                Arguments.of("native-downcall", (Supplier<DomainPath>) () -> FfmDomain.create(0, false)),
                Arguments.of("jna", (Supplier<DomainPath>) () -> JnaDomain.create(0)));
    }

    /** The counter set a section entered now counts in. */
    private static long index(DomainPath d) {
        long section = d.readLock();
        d.readUnlock(section);
        return section & 1;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void anIdleDomainsGracePeriodEndsInOneScanWithoutAFlip(String path, Supplier<DomainPath> create) {
        DomainPath d = create.get();
        try {
            long before = index(d);
            long started = d.startAdvanceExpedited();
            assertEquals(1, started & 1, "the expedited step ended the grace period");
            assertTrue(d.pollState(started & ~1L), "poll_state agrees");
            assertEquals(before, index(d), "readers keep their set");
            assertEquals(1, d.startAdvance() & 1, "a normal step ends it too");
            assertEquals(before ^ 1, index(d), "but flips");

            long held = d.readLock();
            started = d.startAdvanceExpedited();
            assertEquals(0, started & 1, "a reader inside holds the expedited grace period");
            assertEquals(before, index(d), "which flipped to drain the reader's set");
            d.readUnlock(held);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!d.advance(started)) {
                assertTrue(System.nanoTime() < deadline, "the grace period never ended");
                Thread.onSpinWait();
            }
        } finally {
            assertEquals(0, d.close());
            d.releaser().run();
        }
    }

    /**
     * A look at the set in use that found a reader there: the next 16 expedited grace periods do
     * not look (they flip though the domain is idle by then), and the one after looks again and
     * ends in one scan.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void afterALookThatFoundAReaderInUseTheNextSixteenDoNotLook(String path, Supplier<DomainPath> create) {
        DomainPath d = create.get();
        try {
            long held = d.readLock();
            long started = d.startAdvanceExpedited();
            assertEquals(0, started & 1, "a reader inside holds the expedited grace period");
            d.readUnlock(held);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!d.advance(started)) {
                assertTrue(System.nanoTime() < deadline, "the grace period never ended");
                Thread.onSpinWait();
            }
            for (int i = 0; i < 16; i++) {
                long at = index(d);
                assertEquals(1, d.startAdvanceExpedited() & 1, "an idle domain's expedited grace period ends at once");
                assertEquals(at ^ 1, index(d), "grace period " + (i + 1) + " after the look does not look: it flips");
            }
            long at = index(d);
            assertEquals(1, d.startAdvanceExpedited() & 1);
            assertEquals(at, index(d), "the 17th looks again and ends in one scan");
        } finally {
            assertEquals(0, d.close());
            d.releaser().run();
        }
    }
}
