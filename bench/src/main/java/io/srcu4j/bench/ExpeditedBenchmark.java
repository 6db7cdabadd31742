// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.Cpus;
import io.srcu4j.ReadGuard;
import io.srcu4j.ReaderFlavor;
import io.srcu4j.Srcu;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code synchronize()} against {@code synchronizeExpedited()} with 0, 1 and 2 busy readers per
 * CPU, measured as {@code native/bench/bench_expedited.c} measures the C calls, so that the two
 * sit in one table: a busy reader is a platform thread pinned to a CPU that runs short read
 * sections back to back ({@value #SECTION_TOKENS} {@code Blackhole.consumeCPU} tokens inside); the
 * measuring thread is pinned to CPU 0, beside the readers there. The two calls alternate batch by
 * batch (a batch: calls of one kind until {@value #BATCH_NS} ns have passed), for the case's
 * length after a tenth of it as warm-up (and, before the first case, 1 s of both calls for the
 * JIT), in {@value #PARTS} consecutive parts; a part's ratio is
 * expedited / normal of its mean times per call, and the case's ratio the median of the parts',
 * so that a part in which the machine's other load stalled a call moves one part, not the figure.
 *
 * <p>Not JMH: JMH times one method per fork, and the two calls must meet the same readers at the
 * same moments. One JVM per path and flavor ({@link ExpeditedRuns} starts them), printing
 * {@code key=value} lines. By hand: {@code java --enable-native-access=ALL-UNNAMED -cp
 * benchmarks.jar io.srcu4j.bench.ExpeditedBenchmark native-direct CLASSIC 2000}.
 */
public final class ExpeditedBenchmark {

    static final int MAX_PER_CPU = 2;
    static final int PARTS = 20;
    static final long BATCH_NS = 20_000;
    static final long SECTION_TOKENS = 20;
    static final long JIT_WARMUP_NS = 1_000_000_000;

    private ExpeditedBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: ExpeditedBenchmark <path> CLASSIC|FAST <case ms>");
            System.exit(2);
        }
        ReaderFlavor flavor;
        long caseMs;
        try {
            flavor = ReaderFlavor.valueOf(args[1]);
            caseMs = Long.parseLong(args[2]);
        } catch (IllegalArgumentException e) {
            System.err.println("ExpeditedBenchmark: expected a flavor (CLASSIC, FAST) and a length in ms, got "
                    + args[1] + " " + args[2]);
            System.exit(2);
            return;
        }
        run(args[0], flavor, caseMs * 1_000_000, System.out);
    }

    /** One reader: sections back to back on its CPU until told to stop. */
    private static final class BusyReader implements Runnable {
        private final Srcu srcu;
        private final int cpu;
        private volatile boolean stop;
        private volatile boolean placed;

        BusyReader(Srcu srcu, int cpu) {
            this.srcu = srcu;
            this.cpu = cpu;
        }

        @Override
        public void run() {
            placed = pin(cpu);
            while (!stop) {
                try (ReadGuard guard = srcu.read()) {
                    Blackhole.consumeCPU(SECTION_TOKENS);
                }
            }
        }
    }

    /** Time and calls of each kind: [0] synchronize, [1] expedited. */
    private static final class Tally {
        final long[] nanos = new long[2];
        final long[] calls = new long[2];

        double mean(int kind) {
            return calls[kind] == 0 ? Double.NaN : (double) nanos[kind] / calls[kind];
        }

        void add(Tally other) {
            for (int k = 0; k < 2; k++) {
                nanos[k] += other.nanos[k];
                calls[k] += other.calls[k];
            }
        }
    }

    static void run(String path, ReaderFlavor flavor, long caseNanos, PrintStream out) throws InterruptedException {
        int cpus = Runtime.getRuntime().availableProcessors();
        Srcu srcu = BenchPaths.create(path, flavor);
        out.println("described=" + srcu.describe());
        out.println("flavor=" + srcu.flavor());
        out.println("cpus=" + cpus);
        boolean placed = pin(0);
        // The JIT compiles both calls' paths before the first case measures them.
        alternate(srcu, System.nanoTime() + JIT_WARMUP_NS, new Tally());
        for (int per = 0; per <= MAX_PER_CPU; per++) {
            List<BusyReader> readers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < per * cpus; i++) {
                BusyReader reader = new BusyReader(srcu, i % cpus);
                readers.add(reader);
                threads.add(Thread.ofPlatform().daemon(true).name("busy-reader-" + i).start(reader));
            }
            double[] ratios = new double[PARTS];
            Tally all = new Tally();
            alternate(srcu, System.nanoTime() + caseNanos / 10, new Tally());
            for (int p = 0; p < PARTS; p++) {
                Tally part = new Tally();
                alternate(srcu, System.nanoTime() + caseNanos / PARTS, part);
                ratios[p] = part.mean(1) / part.mean(0);
                all.add(part);
            }
            for (BusyReader r : readers) {
                r.stop = true;
            }
            for (Thread t : threads) {
                t.join();
            }
            for (BusyReader r : readers) {
                placed &= r.placed;
            }
            Arrays.sort(ratios);
            String key = "busy" + per + "_";
            out.printf(Locale.ROOT, "%ssynchronize_ns=%.3f%n", key, all.mean(0));
            out.printf(Locale.ROOT, "%sexpedited_ns=%.3f%n", key, all.mean(1));
            out.printf(Locale.ROOT, "%scalls=%d%n", key, all.calls[0] + all.calls[1]);
            out.printf(Locale.ROOT, "%sratio=%.4f%n", key, (ratios[PARTS / 2 - 1] + ratios[PARTS / 2]) / 2);
            out.printf(Locale.ROOT, "%sparts_min=%.4g%n", key, ratios[0]);
            out.printf(Locale.ROOT, "%sparts_max=%.4g%n", key, ratios[PARTS - 1]);
        }
        out.println("pinned=" + placed);
        srcu.close();
    }

    /** Alternating batches until {@code until}; the kind that goes first alternates from pair to pair. */
    private static void alternate(Srcu srcu, long until, Tally tally) {
        for (int first = 0; System.nanoTime() < until; first ^= 1) {
            batch(srcu, first, tally);
            batch(srcu, first ^ 1, tally);
        }
    }

    private static void batch(Srcu srcu, int kind, Tally tally) {
        long start = System.nanoTime();
        long end = start + BATCH_NS;
        long calls = 0;
        long at;
        do {
            if (kind == 1) {
                srcu.synchronizeExpedited();
            } else {
                srcu.synchronize();
            }
            calls++;
        } while ((at = System.nanoTime()) < end);
        tally.nanos[kind] += at - start;
        tally.calls[kind] += calls;
    }

    /** Pins the calling thread to {@code cpu}; whether it runs there now. */
    private static boolean pin(int cpu) {
        try {
            Cpus.pin(cpu);
            return Cpus.current() == cpu;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
