// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The base of the observability contracts: domains built with {@link Srcu#builder()} on the
 * contract's path, closed after the test (the default {@link #srcu} too).
 */
abstract class ObservedDomainSupport extends DomainTestSupport {

    private final List<Srcu> built = new ArrayList<>();

    /** {@code builder}'s domain on {@link #path()}, closed after the test. */
    protected Srcu build(SrcuBuilder builder) {
        Srcu domain = builder.path(path()).build();
        built.add(domain);
        return domain;
    }

    /** A name no other test uses: {@code what} and the path. */
    protected String uniqueName(String what) {
        return what + "-" + path().propertyName();
    }

    @AfterEach
    void closeBuilt() {
        for (Srcu domain : built) {
            domain.close();
        }
    }

    /** A reader of {@code domain} held inside its section by another thread until {@link #release()}. */
    protected final class HeldDomainReader {
        private final CountDownLatch release = new CountDownLatch(1);
        private final Thread thread;

        private HeldDomainReader(Srcu domain, String threadName) throws InterruptedException {
            CountDownLatch entered = new CountDownLatch(1);
            thread = start(threadName, () -> {
                try (ReadGuard g = domain.read()) {
                    entered.countDown();
                    release.await();
                }
            });
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the reader never entered");
        }

        /** Lets the reader leave its section, and waits until it has. */
        public void release() throws InterruptedException {
            release.countDown();
            thread.join();
        }
    }

    /** Starts a reader of {@code domain} and returns once it is inside its section. */
    protected HeldDomainReader holdReaderOf(Srcu domain) throws InterruptedException {
        return new HeldDomainReader(domain, "held-reader");
    }

    /** Waits up to ten seconds for {@code condition}; fails with {@code what} when it stays false. */
    protected static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        awaitTrue(condition, TimeUnit.SECONDS.toNanos(10), 5, what);
    }

    /**
     * Waits up to {@code budgetNanos} for {@code condition}, testing it every {@code pauseMillis};
     * fails with {@code what} when it stays false.
     */
    protected static void awaitTrue(BooleanSupplier condition, long budgetNanos, long pauseMillis, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + budgetNanos;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, what);
            Thread.sleep(pauseMillis);
        }
    }
}
