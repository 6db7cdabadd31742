// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.Srcu4j;
import io.srcu4j.bindings.srcu4j_h;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native code hands work to Java through the lockless path: a C signal handler (the test-only
 * library native/tests/signal_handoff.c) calls s4j_defer with a head armed in Java, whose func is
 * the Java upcall stub; the Java task then runs on the deferral thread.
 */
class SignalHandoffTest {

    private static final String LIB_PROPERTY = "srcu4j.test.signalHandoffLib";
    private static MethodHandle deferFromSignal;

    @BeforeAll
    static void loadTestLibrary() {
        Srcu4j.ensureAvailable();
        String path = System.getProperty(LIB_PROPERTY);
        assertNotNull(path, "system property " + LIB_PROPERTY + " is not set (java/pom.xml sets it)");
        assertTrue(Files.isRegularFile(Path.of(path)), path + " is missing: build it with make -C native testlib");
        System.load(path);
        MemorySegment fn = SymbolLookup.loaderLookup().findOrThrow("s4j_test_defer_from_signal");
        deferFromSignal = Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    }

    @Test
    void aSignalHandlerDefersAJavaTask() throws Throwable {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        MemorySegment[] armed = FfmDeferral.armForNative(() -> {
            ranOn.set(Thread.currentThread());
            ran.countDown();
        });
        int rc = (int) deferFromSignal.invokeExact(armed[0], armed[1], srcu4j_h.s4j_defer$address());
        assertEquals(0, rc, "s4j_defer in the signal handler returned " + rc);
        assertTrue(ran.await(30, TimeUnit.SECONDS), "the Java task deferred from the signal handler never ran");
        assertTrue(ranOn.get() != Thread.currentThread(), "the task ran on the signalled thread, not the deferral thread");
    }
}
