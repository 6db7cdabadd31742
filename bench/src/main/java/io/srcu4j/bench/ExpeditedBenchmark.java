// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.ReadGuard;
import io.srcu4j.ReaderFlavor;
import io.srcu4j.Srcu;
import io.srcu4j.bindings.srcu4j_h;
import io.srcu4j.cpu.Cpus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code synchronize()} against {@code synchronizeExpedited()} with 0, 1 and 2 busy readers per
 * CPU, measured as {@code native/bench/bench_expedited.c} measures the C calls, so that the two
 * sit in one table: a busy reader is a platform thread pinned to a CPU that runs short read
 * sections back to back ({@value #SECTION_TOKENS} {@code Blackhole.consumeCPU} tokens inside); the
 * measuring thread is pinned to CPU 0, beside the readers there. The two calls alternate batch by
 * batch (a batch: calls of one kind until {@value #BATCH_NS} ns have passed), for the case's
 * length after a tenth of it as warm-up (and, before the first case, 1 s of both calls for the
 * JIT). A figure is the mean time per call over the case with the longest
 * {@value #TRIM_PER_MILLE} per mille of each kind's batches left out (a neighbour's load on a
 * shared host stalls calls for tens or hundreds of milliseconds now and then, whichever kind is
 * running); the ratio is expedited / normal, printed with the same over each half of the case and
 * with nothing left out. Beside them, the membarrier calls ([X]) each kind made per call on the
 * paths that run libsrcu4j's grace periods (its {@code s4j_membarrier_count()}), what bounds the
 * fast domain's cases there.
 *
 * <p>Not JMH: JMH times one method per fork, and the two calls must meet the same readers at the
 * same moments. One JVM per path and flavor ({@link ExpeditedRuns} starts them), printing
 * {@code key=value} lines. By hand: {@code java --enable-native-access=ALL-UNNAMED -cp
 * benchmarks.jar io.srcu4j.bench.ExpeditedBenchmark native-direct CLASSIC 2000}.
 */
public final class ExpeditedBenchmark {

    static final int MAX_PER_CPU = 2;
    static final int TRIM_PER_MILLE = 1;
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

    /** The batches of one kind, in the order they ran: each one's time and calls. */
    private static final class Batches {
        private long[] nanos = new long[4096];
        private long[] calls = new long[4096];
        private int n;
        /** membarrier calls made during its batches. */
        private long barriers;

        void add(long batchNanos, long batchCalls) {
            if (n == nanos.length) {
                nanos = Arrays.copyOf(nanos, 2 * n);
                calls = Arrays.copyOf(calls, 2 * n);
            }
            nanos[n] = batchNanos;
            calls[n] = batchCalls;
            n++;
        }

        long calls() {
            long total = 0;
            for (int i = 0; i < n; i++) {
                total += calls[i];
            }
            return total;
        }

        /**
         * Mean ns per call of batches [from, to); with {@code trim}, the longest
         * {@value #TRIM_PER_MILLE} per mille of them (at least one) left out.
         */
        double mean(int from, int to, boolean trim) {
            int count = to - from;
            int drop = trim ? (int) ((count * (long) TRIM_PER_MILLE + 999) / 1000) : 0;
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) {
                order[i] = from + i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(nanos[b], nanos[a]));
            double ns = 0;
            double total = 0;
            for (int i = drop; i < count; i++) {
                ns += nanos[order[i]];
                total += calls[order[i]];
            }
            return total > 0 ? ns / total : Double.NaN;
        }
    }

    static void run(String path, ReaderFlavor flavor, long caseNanos, PrintStream out) throws InterruptedException {
        int cpus = Runtime.getRuntime().availableProcessors();
        Srcu srcu = BenchPaths.create(path, flavor);
        LongSupplier barriers = membarrierCount(path, out);
        out.println("described=" + srcu.describe());
        out.println("flavor=" + srcu.flavor());
        out.println("cpus=" + cpus);
        boolean placed = pin(0);
        // The JIT compiles both calls' paths before the first case measures them.
        alternate(srcu, barriers, System.nanoTime() + JIT_WARMUP_NS, new Batches[] {new Batches(), new Batches()});
        for (int per = 0; per <= MAX_PER_CPU; per++) {
            List<BusyReader> readers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < per * cpus; i++) {
                BusyReader reader = new BusyReader(srcu, i % cpus);
                readers.add(reader);
                threads.add(Thread.ofPlatform().daemon(true).name("busy-reader-" + i).start(reader));
            }
            alternate(srcu, barriers, System.nanoTime() + caseNanos / 10, new Batches[] {new Batches(), new Batches()});
            Batches[] k = {new Batches(), new Batches()};
            alternate(srcu, barriers, System.nanoTime() + caseNanos, k);
            for (BusyReader r : readers) {
                r.stop = true;
            }
            for (Thread t : threads) {
                t.join();
            }
            for (BusyReader r : readers) {
                placed &= r.placed;
            }
            // Both kinds ran the same number of batches, give or take the last pair's.
            int half = Math.min(k[0].n, k[1].n) / 2;
            double normal = k[0].mean(0, k[0].n, true);
            double expedited = k[1].mean(0, k[1].n, true);
            String key = "busy" + per + "_";
            out.printf(Locale.ROOT, "%ssynchronize_ns=%.3f%n", key, normal);
            out.printf(Locale.ROOT, "%sexpedited_ns=%.3f%n", key, expedited);
            out.printf(Locale.ROOT, "%scalls=%d%n", key, k[0].calls() + k[1].calls());
            out.printf(Locale.ROOT, "%sratio=%.4f%n", key, expedited / normal);
            out.printf(Locale.ROOT, "%sfirst_half=%.4f%n", key, k[1].mean(0, half, true) / k[0].mean(0, half, true));
            out.printf(Locale.ROOT, "%ssecond_half=%.4f%n", key,
                    k[1].mean(half, k[1].n, true) / k[0].mean(half, k[0].n, true));
            out.printf(Locale.ROOT, "%suntrimmed_ratio=%.4f%n", key,
                    k[1].mean(0, k[1].n, false) / k[0].mean(0, k[0].n, false));
            if (barriers != null) {
                out.printf(Locale.ROOT, "%ssynchronize_membarriers=%.4f%n", key, (double) k[0].barriers / k[0].calls());
                out.printf(Locale.ROOT, "%sexpedited_membarriers=%.4f%n", key, (double) k[1].barriers / k[1].calls());
            }
        }
        out.println("pinned=" + placed);
        srcu.close();
    }

    /** Alternating batches until {@code until}; the kind that goes first alternates from pair to pair. */
    private static void alternate(Srcu srcu, LongSupplier barriers, long until, Batches[] kinds) {
        for (int first = 0; System.nanoTime() < until; first ^= 1) {
            batch(srcu, barriers, first, kinds[first]);
            batch(srcu, barriers, first ^ 1, kinds[first ^ 1]);
        }
    }

    private static void batch(Srcu srcu, LongSupplier barriers, int kind, Batches batches) {
        long before = barriers != null ? barriers.getAsLong() : 0;
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
        if (barriers != null) {
            batches.barriers += barriers.getAsLong() - before;
        }
        batches.add(at - start, calls);
    }

    /**
     * libsrcu4j's count of its membarrier calls, on a path whose grace periods are libsrcu4j's
     * and whose library this JVM's class loader loaded (FFM); null elsewhere (the java path has no
     * [X], and JNA loads the library where the bindings' lookup does not see it).
     */
    private static LongSupplier membarrierCount(String path, PrintStream out) {
        if (!path.equals(BenchPaths.NATIVE_DIRECT) && !path.equals(BenchPaths.NATIVE_DOWNCALL)) {
            return null;
        }
        try {
            srcu4j_h.s4j_membarrier_count();
            return srcu4j_h::s4j_membarrier_count;
        } catch (RuntimeException | LinkageError e) {
            // A library older than the bindings, say: the run goes on without the counts.
            out.println("membarrier_count_missing=" + e);
            return null;
        }
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
