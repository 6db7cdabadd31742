// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.bindings.srcu4j_h;

/**
 * Run in a JVM of its own by {@link HomeSlotReleaseTest}: one thread claims its home slot in
 * each of many short-lived domains in turn, then reports the heap in use after a full
 * collection, measured once a tenth of the domains are done and again at the end.
 * Exits 0 when the end figure is at most {@code args[1]} bytes above the first, 1 when it is
 * more, 2 when a section was not counted on the home slot (the churn would prove nothing); an
 * OutOfMemoryError ends it too.
 *
 * <p>usage: {@code HomeSlotChurn DOMAINS MAX_GROWTH_BYTES}
 */
final class HomeSlotChurn {

    private HomeSlotChurn() {
    }

    public static void main(String[] args) {
        int domains = Integer.parseInt(args[0]);
        long maxGrowth = Long.parseLong(args[1]);
        long early = 0;
        for (int i = 1; i <= domains; i++) {
            FfmDomain domain = FfmDomain.create(srcu4j_h.S4J_FLAVOR_CLASSIC(), true);
            long section = domain.readLock();
            if (((DirectReadSide) domain.readSide()).homeSlotOf(section) < 0) {
                System.out.println("domain " + i + ": the section was not counted on the home slot");
                System.exit(2);
            }
            domain.readUnlock(section);
            domain.close();
            domain.releaser().run();
            if (i == domains / 10) {
                early = heapInUse();
            }
        }
        long end = heapInUse();
        System.out.printf("heap in use after %d domains: %d bytes; after %d: %d bytes (growth %d, allowed %d)%n",
                domains / 10, early, domains, end, end - early, maxGrowth);
        System.exit(end - early > maxGrowth ? 1 : 0);
    }

    private static long heapInUse() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
