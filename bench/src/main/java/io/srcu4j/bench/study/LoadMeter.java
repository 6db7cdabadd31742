// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time other processes take while a Java figure is measured, as the C probes tell it for
 * theirs: the machine's busy time ({@code /proc/stat}) minus this JVM's CPU time, in % of all
 * CPUs over the measurement.
 */
final class LoadMeter {

    /** One reading: seconds busy and in all on every CPU, and this process's CPU seconds. */
    record Reading(double busy, double total, double self) {
    }

    private static final Path STAT = Path.of("/proc/stat");
    /** USER_HZ: /proc/stat counts in these ticks on every Linux the study runs on. */
    private static final double TICK = 0.01;

    private LoadMeter() {
    }

    static Reading now() {
        double busy = 0;
        double total = 0;
        try {
            String first = Files.readAllLines(STAT).getFirst();
            Reading r = parse(first);
            busy = r.busy();
            total = r.total();
        } catch (IOException | RuntimeException e) {
            // No /proc/stat: the share is unknown and reads as 0.
        }
        double self = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            self = os.getProcessCpuTime() / 1e9;
        }
        return new Reading(busy, total, self);
    }

    /**
     * The busy and total seconds of {@code /proc/stat}'s first line ("cpu user nice system idle
     * iowait irq softirq steal ..."): idle and iowait are not busy; steal is (the hypervisor gave
     * the time to someone else).
     */
    static Reading parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (f.length < 9 || !f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        double busy = 0;
        double idle = 0;
        for (int i = 1; i <= 8; i++) {
            double v = Long.parseLong(f[i]) * TICK;
            if (i == 4 || i == 5) {
                idle += v;
            } else {
                busy += v;
            }
        }
        return new Reading(busy, busy + idle, 0);
    }

    /** Other processes' share of all CPUs between {@code a} and {@code b}, in %. */
    static double othersPct(Reading a, Reading b) {
        double total = b.total() - a.total();
        double others = (b.busy() - a.busy()) - (b.self() - a.self());
        if (total <= 0 || others <= 0) {
            return 0;
        }
        return Math.min(100, 100 * others / total);
    }
}
