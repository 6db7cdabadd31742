// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.cpu.Cpus;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Srcu4j.capabilities() and Cpus. */
class PlatformApiTest {

    @BeforeEach
    void requireNative() {
        Srcu4j.ensureAvailable();   // the build ships the library: not loading it is a failure
    }

    @Test
    void availabilityIsConsistent() {
        assertTrue(Srcu4j.isAvailable());
        assertNull(Srcu4j.unavailabilityCause());
        Srcu4j.ensureAvailable();
    }

    @Test
    void capabilitiesAreSane() {
        Capabilities caps = Srcu4j.capabilities();
        assertTrue(caps.possibleCpus() >= 1, caps.toString());
        assertTrue(caps.onlineCpus() >= 1 && caps.onlineCpus() <= caps.possibleCpus(), caps.toString());
        assertNotNull(caps.rseqMode());
        assertTrue(caps.onlineCpus() <= Math.max(caps.possibleCpus(), Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void capabilitiesRecordRejectsNonsense() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Capabilities(4, 9, RseqMode.GLIBC, true));
        assertTrue(e.getMessage().contains("9") && e.getMessage().contains("1..4"), e.getMessage());
    }

    @Test
    void pinningOutsideTheRangeNamesTheValueAndTheRange() {
        int possible = Srcu4j.capabilities().possibleCpus();
        for (int bad : new int[] {-1, possible, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cpus.pin(bad));
            assertTrue(e.getMessage().contains("cpu " + bad), e.getMessage());
            assertTrue(e.getMessage().contains("0.." + (possible - 1)), e.getMessage());
        }
    }

    @Test
    void pinToTheCurrentCpuKeepsTheThreadThere() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                int cpu = Cpus.current();
                Cpus.pin(cpu);
                for (int i = 0; i < 1_000; i++) {
                    Thread.yield();
                    assertEquals(cpu, Cpus.current());
                }
                Cpus.unpin();
                int now = Cpus.current();
                assertTrue(now >= 0 && now < Srcu4j.capabilities().possibleCpus());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void virtualThreadsCannotPin() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                Cpus.pin(0);
            } catch (Throwable e) {
                thrown.set(e);
            }
        }).join();
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(e.getMessage().contains("virtual"), e.getMessage());
    }

    @Test
    void srcu4jExceptionNamesTheErrno() {
        Srcu4jException e = new Srcu4jException("s4j_srcu_create", 12, "creating a domain");
        assertEquals("ENOMEM", e.errnoName());
        assertEquals(12, e.errno());
        assertEquals("s4j_srcu_create", e.function());
        assertTrue(e.getMessage().contains("s4j_srcu_create failed: ENOMEM (12)"), e.getMessage());
    }
}
