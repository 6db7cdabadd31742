// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The base of every contract: a fresh domain per test on the path the subclass names, closed
 * afterwards, and helper threads whose failures fail the test. The build always ships libsrcu4j,
 * so a native path that does not load fails its tests instead of skipping them.
 */
@Timeout(60)   // a grace period that never ends fails its test instead of hanging the build
abstract class DomainTestSupport implements PathChoice {

    protected Srcu srcu;
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** A new classic domain on {@link PathChoice#path()}. */
    protected Srcu newDomain() {
        return newDomain(ReaderFlavor.CLASSIC);
    }

    /** A new domain on {@link #path()}. */
    protected Srcu newDomain(ReaderFlavor flavor) {
        return Srcu.create(flavor, path());
    }

    @BeforeEach
    void openDomain() {
        srcu = newDomain();
    }

    @AfterEach
    void closeDomain() {
        if (srcu != null) {
            srcu.close();
        }
        failures.forEach(Throwable::printStackTrace);
        assertTrue(failures.isEmpty(), "a helper thread failed: " + failures);
    }

    /** A reader thread inside a read section until {@link #release()}. */
    protected final class HeldReader {
        private final CountDownLatch release = new CountDownLatch(1);
        private final AtomicBoolean left = new AtomicBoolean();
        private final Thread thread;

        private HeldReader() throws InterruptedException {
            CountDownLatch entered = new CountDownLatch(1);
            thread = start("reader", () -> {
                try (ReadGuard g = srcu.read()) {
                    entered.countDown();
                    release.await();
                    left.set(true);
                }
            });
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the reader never entered");
        }

        /** Lets the reader leave its section, and waits until it has. */
        public void release() throws InterruptedException {
            release.countDown();
            thread.join();
        }

        /** Whether the reader has left (set just before its section ends). */
        public boolean left() {
            return left.get();
        }
    }

    /** Starts a reader and returns once it is inside its section. */
    protected HeldReader holdReader() throws InterruptedException {
        return new HeldReader();
    }

    /** Starts a platform thread that runs {@code body}; if it throws, the test fails. */
    protected Thread start(String name, ThrowingRunnable body) {
        return start(Thread.ofPlatform(), name, body);
    }

    /** Starts a thread of the given kind that runs {@code body}; if it throws, the test fails. */
    protected Thread start(Thread.Builder kind, String name, ThrowingRunnable body) {
        return kind.name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
    }

    @FunctionalInterface
    protected interface ThrowingRunnable {
        void run() throws Exception;
    }
}
