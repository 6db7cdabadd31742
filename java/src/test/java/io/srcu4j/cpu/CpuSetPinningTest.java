// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import io.srcu4j.Srcu4j;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cpus.pin(CpuSet) and Cpus.allowed(). */
class CpuSetPinningTest {

    @BeforeEach
    void requireNative() {
        Srcu4j.ensureAvailable();
    }

    @Test
    void pinningToASetNarrowsTheAffinityToIt() throws InterruptedException {
        InOwnThread.run(() -> {
            CpuSet before = Cpus.allowed();
            CpuSet one = CpuSet.of(before.last());
            Cpus.pin(one);
            assertEquals(one, Cpus.allowed());
            for (int i = 0; i < 100; i++) {
                Thread.yield();
                assertEquals(one.first(), Cpus.current());
            }
            Cpus.pin(before);
            assertEquals(before, Cpus.allowed());
            // A set partly outside the allowed CPUs keeps the usable part.
            CpuSet possible = CpuSet.range(0, Srcu4j.capabilities().possibleCpus() - 1);
            Cpus.pin(possible);
            assertEquals(before, Cpus.allowed().and(before));
        });
    }

    @Test
    void badSetsAreRefusedWithTheReason() throws InterruptedException {
        InOwnThread.run(() -> {
            int possible = Srcu4j.capabilities().possibleCpus();
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Cpus.pin(CpuSet.empty()));
            assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
            IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                    () -> Cpus.pin(CpuSet.of(0, possible)));
            assertTrue(beyond.getMessage().contains("0," + possible) && beyond.getMessage().contains("0.." + (possible - 1)),
                    beyond.getMessage());
            // Outside the cpuset or offline: the kernel has nothing to run the thread on. (Outside
            // this thread's affinity alone is not enough: pinning may widen it within the cpuset.)
            CpuTopology machine = CpuTopology.current();
            CpuSet usable = machine.cpuset().map(machine.online()::and).orElse(machine.online());
            CpuSet notAllowed = CpuSet.range(0, possible - 1).andNot(usable);
            if (!notAllowed.isEmpty()) {
                IllegalArgumentException unusable = assertThrows(IllegalArgumentException.class, () -> Cpus.pin(notAllowed));
                assertTrue(unusable.getMessage().contains("online and allowed"), unusable.getMessage());
            }
        });
    }

    @Test
    void virtualThreadsCannotPinToASet() throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                Cpus.pin(CpuSet.of(0));
            } catch (Throwable e) {
                thrown.set(e);
            }
        }).join();
        assertInstanceOf(IllegalStateException.class, thrown.get());
    }
}
