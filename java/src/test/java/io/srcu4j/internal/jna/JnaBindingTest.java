// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.jna;

import io.srcu4j.internal.Errno;
import io.srcu4j.internal.loader.NativeLibrary;
import io.srcu4j.internal.path.DomainPath;
import org.junit.jupiter.api.Test;

import java.lang.foreign.SymbolLookup;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jna path binds the library the loader loaded, and leaves no JVM thread behind a domain. */
class JnaBindingTest {

    @Test
    void jnaCallsTheVeryFunctionsTheFfmPathsCall() {
        assertNull(JnaAvailability.unavailableReason());
        assertEquals(NativeLibrary.loadedPath().toFile(), JnaLibrary.library().getFile());
        SymbolLookup ffm = SymbolLookup.loaderLookup();
        for (String symbol : List.of("s4j_srcu_create", "s4j_srcu_down_read", "s4j_call_srcu", "s4j_srcu_free")) {
            long viaFfm = ffm.find(symbol).orElseThrow().address();
            long viaJna = com.sun.jna.Pointer.nativeValue(JnaLibrary.library().getFunction(symbol));
            assertEquals(viaFfm, viaJna, symbol + ": JNA bound another copy of the library");
        }
    }

    @Test
    void aNullCallbackIsRefusedBeforeAnyNativeCall() {
        DomainPath domain = JnaDomain.create(0);
        try {
            assertThrows(NullPointerException.class, () -> domain.callSrcu(null));
            assertEquals(0, domain.barrier());
        } finally {
            assertEquals(0, domain.close());
            domain.releaser().run();
        }
    }

    @Test
    void theReleaserClosesAnUnclosedDomainRunningItsCallbacks() throws Exception {
        DomainPath domain = JnaDomain.create(0);
        CountDownLatch ran = new CountDownLatch(1);
        assertEquals(0, domain.callSrcu(ran::countDown));
        domain.releaser().run();
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the queued callback did not run");
    }

    @Test
    void aDomainsWorkerIsADaemonSoItNeverHoldsTheJvm() throws Exception {
        DomainPath domain = JnaDomain.create(0);
        try {
            Thread[] worker = new Thread[1];
            CountDownLatch ran = new CountDownLatch(1);
            assertEquals(0, domain.callSrcu(() -> {
                worker[0] = Thread.currentThread();
                ran.countDown();
            }));
            assertTrue(ran.await(10, TimeUnit.SECONDS), "the callback did not run");
            assertTrue(worker[0].isDaemon(), worker[0].toString());
            // Callbacks run on the shared pool's Java threads, not on a JNA-attached native one.
            assertTrue(worker[0].getName().startsWith("srcu4j-worker-"), worker[0].toString());
            assertFalse(domain.onWorkerThread());
        } finally {
            assertEquals(0, domain.close());
            domain.releaser().run();
        }
    }
}
