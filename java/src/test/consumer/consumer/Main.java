// SPDX-License-Identifier: Apache-2.0
package consumer;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;
import io.srcu4j.Srcu4j;
import io.srcu4j.cpu.CpuTopology;
import io.srcu4j.cpu.Cpus;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Uses srcu4j as an application on the module path would, through the exported packages only,
 * and prints what it saw as {@code key=value} lines. An exception ends it with a non-zero status.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("available=" + Srcu4j.isAvailable());
        Throwable cause = Srcu4j.unavailabilityCause();
        System.out.println("cause=" + (cause == null ? "" : cause.getMessage()));
        AtomicInteger callbacks = new AtomicInteger();
        try (Srcu srcu = Srcu.create()) {
            try (ReadGuard guard = srcu.read()) {
                System.out.println("inside=" + srcu.readersActive());
            }
            srcu.synchronize();
            srcu.callSrcu(callbacks::incrementAndGet);
            srcu.barrier();
            System.out.println("path=" + srcu.describe().split(" ", 2)[0]);
        }
        System.out.println("callbacks=" + callbacks.get());
        System.out.println("online=" + CpuTopology.current().online());
        try {
            int cpu = Cpus.current();
            Cpus.pin(cpu);
            System.out.println("pinned=" + (Cpus.current() == cpu));
            Cpus.unpin();
        } catch (UnsatisfiedLinkError e) {
            System.out.println("pinned=" + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
