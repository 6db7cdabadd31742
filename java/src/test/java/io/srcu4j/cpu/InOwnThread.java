// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs test code in a platform thread of its own and rethrows what it threw, so that pinning
 * done by the code cannot leak into the test runner's thread.
 */
final class InOwnThread {

    /** Test code that may throw anything, assertions included. */
    interface Body {
        void run() throws Exception;
    }

    private InOwnThread() {
    }

    static void run(Body body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
