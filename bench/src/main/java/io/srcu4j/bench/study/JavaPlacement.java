// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * SRCU placement from Java, as placement.c does it in C: a reader thread pinned to CPU r runs
 * empty {@code read()} sections back to back on a domain of the default path while an updater
 * pinned to CPU u runs {@code synchronize()} (then {@code synchronizeExpedited()}) back to back.
 * Grace-period latency is timed per call by the updater (a repetition is the median of its
 * calls); the read pair is the reader's CPU time per section, with and without the updater.
 * Classic domains only: fast readers are not on Java's default path.
 */
final class JavaPlacement {

    private static final int CHUNK = 4096;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The reader's progress, written by it alone after each chunk, sampled by the updater. */
    private static final class ReaderProgress {
        /** volatile: single-writer counters the updater samples; nothing else is handed over. */
        volatile long pairs;
        volatile long cpuNs;
    }

    private record Sample(long pairs, long cpuNs) {
        double nsPerPair(Sample later) {
            return later.pairs > pairs ? (later.cpuNs - cpuNs) / (double) (later.pairs - pairs) : Double.NaN;
        }
    }

    private JavaPlacement() {
    }

    /** The rows for reader r and updater u: read pair alone, then grace periods and read pair per kind. */
    static List<Row> measure(int r, int u, String distance, StudyMode mode) throws Exception {
        ReaderProgress progress = new ReaderProgress();
        List<Double> alone = new ArrayList<>();
        List<List<Double>> gp = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> read = List.of(new ArrayList<>(), new ArrayList<>());
        long phaseNs = (long) (mode.repMillis * 2e6);
        LoadMeter.Reading r0 = LoadMeter.now();
        Pinned.Outcome<Boolean> out;
        try (Srcu srcu = Srcu.builder().name("study-placement").build()) {
            out = Pinned.run("study-updater-" + u, u, () -> {
                try (Pinned.Partner reader = Pinned.Partner.start("study-reader-" + r, r,
                        running -> readLoop(srcu, progress, running))) {
                    if (!reader.placed()) {
                        return false;
                    }
                    double[] calls = new double[4000];
                    for (int rep = -1; rep < mode.reps; rep++) {
                        Sample s0 = sample(progress);
                        Thread.sleep(phaseNs / 2_000_000);
                        if (rep >= 0) {
                            alone.add(s0.nsPerPair(sample(progress)));
                        }
                        for (int k = 0; k < 2; k++) {
                            s0 = sample(progress);
                            long start = System.nanoTime();
                            int n = 0;
                            while (n < calls.length && (n < 20 || System.nanoTime() - start < phaseNs)) {
                                long t0 = System.nanoTime();
                                if (k == 0) {
                                    srcu.synchronize();
                                } else {
                                    srcu.synchronizeExpedited();
                                }
                                calls[n++] = System.nanoTime() - t0;
                            }
                            if (rep >= 0) {
                                read.get(k).add(s0.nsPerPair(sample(progress)));
                                gp.get(k).add(Spread.quantile(Arrays.stream(calls, 0, n).sorted().toArray(), 0.5));
                            }
                        }
                    }
                    return true;
                }
            });
        }
        double others = LoadMeter.othersPct(r0, LoadMeter.now());
        String suffix = "/" + r + "/" + u;
        Map<String, String> fields = Map.of("reader", Integer.toString(r), "updater", Integer.toString(u),
                "distance", distance, "flavor", "classic");
        if (!out.value()) {
            return List.of(Row.missing("placement", "gp/classic/synchronize" + suffix, "Java", "synchronize", "ns",
                    "the reader thread could not be pinned"));
        }
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("placement", "read/classic/alone" + suffix, "Java", "read pair, no updater", "ns", alone,
                others, out.placed(), fields, ""));
        String[] kinds = {"synchronize", "expedited"};
        for (int k = 0; k < 2; k++) {
            rows.add(new Row("placement", "gp/classic/" + kinds[k] + suffix, "Java", kinds[k], "ns", gp.get(k), others,
                    out.placed(), fields, ""));
            rows.add(new Row("placement", "read/classic/" + kinds[k] + suffix, "Java", "read pair, updater running",
                    "ns", read.get(k), others, out.placed(), fields, ""));
        }
        return rows;
    }

    private static Sample sample(ReaderProgress p) {
        // The reader may write between the two reads: a sample can then pair one chunk's count
        // with the next chunk's time, one chunk in the thousands a phase runs.
        long pairs = p.pairs;
        return new Sample(pairs, p.cpuNs);
    }

    private static void readLoop(Srcu srcu, ReaderProgress progress, BooleanSupplier running) {
        long pairs = 0;
        while (running.getAsBoolean()) {
            for (int i = 0; i < CHUNK; i++) {
                try (ReadGuard guard = srcu.read()) {
                    // an empty section: the pair's own cost is what is measured
                }
            }
            pairs += CHUNK;
            progress.cpuNs = THREADS.getCurrentThreadCpuTime();
            progress.pairs = pairs;
        }
    }
}
