// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.srcu4j.internal.path.DomainPath;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A stall warning is counted only once it is out: a thread that sees the count and then lets the
 * readers go must find them in the warning (the JFR contract test does exactly that, and under
 * emulation once found a warning that said no reader was open).
 */
class StallDetectorTest {

    @Test
    void theWarningIsCountedAfterItsReadersWere() {
        AtomicReference<StallDetector> detector = new AtomicReference<>();
        AtomicLong countedWhenReadersRead = new AtomicLong(-1);
        DomainPath path = (DomainPath) Proxy.newProxyInstance(DomainPath.class.getClassLoader(),
                new Class<?>[] {DomainPath.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("readersActive")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    countedWhenReadersRead.set(detector.get().warnings());
                    return 1L;
                });
        detector.set(new StallDetector("stall-order", path, 1_000_000, null));

        detector.get().stalled("synchronize()", System.nanoTime() - 2_000_000, 2_000_000);

        assertEquals(0, countedWhenReadersRead.get(), "the readers were counted before the warning was");
        assertEquals(1, detector.get().warnings());
    }
}
