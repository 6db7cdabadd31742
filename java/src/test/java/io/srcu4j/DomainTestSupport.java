package io.srcu4j;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh domain per test, closed afterwards, and helper threads whose failures fail the test.
 * The build always ships libsrcu4j, so a library that does not load fails these tests instead of
 * skipping them.
 */
abstract class DomainTestSupport {

    protected Srcu srcu;
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void openDomain() {
        Srcu4j.ensureAvailable();
        srcu = Srcu.create();
    }

    @AfterEach
    void closeDomain() {
        if (srcu != null) {
            srcu.close();
        }
        failures.forEach(Throwable::printStackTrace);
        assertTrue(failures.isEmpty(), "a helper thread failed: " + failures);
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
