// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;

import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Read sections at any thread count, without JMH: {@code threads} threads (platform or virtual)
 * each run sections (or, for the baseline, {@code VarHandle.fullFence()}) in a loop and publish
 * their own count of operations; the main thread reads the counts at the start and the end of
 * each window of fixed length and divides. Nothing makes the threads wait for each other, so a
 * thread the scheduler leaves out for a while only lowers the count: the figures stay stable
 * where JMH's iteration synchronisation starves under oversubscription.
 *
 * <p>Per window: ns per operation per core ({@code window x cores / operations}, the cores being
 * the CPUs or the threads, whichever are fewer). Per run: the
 * median window and the worst, and the longest a thread went without publishing progress (it
 * publishes every {@value #STRIDE} operations, reading the clock each time: the longest stall a
 * thread saw, scheduler time slices included).
 *
 * <p>Virtual threads cannot be preempted: each runs {@value #VIRTUAL_BATCH} operations and then
 * yields, so that all of them take turns on the carriers.
 *
 * <p>One JVM per run ({@link ThreadScaleRuns} starts them), printing {@code key=value} lines. By
 * hand: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * io.srcu4j.bench.ThreadScaleBenchmark srcu platform 512 5 1000}.
 */
public final class ThreadScaleBenchmark {

    /** The operations timed: a read section of the default domain, or the fence. */
    static final String SRCU = "srcu";
    static final String FENCE = "fence";
    static final String PLATFORM = "platform";
    static final String VIRTUAL = "virtual";

    /** Operations between two publications of a thread's count (and clock reads). */
    static final int STRIDE = 1024;
    /** Operations a virtual thread runs before it yields. */
    static final int VIRTUAL_BATCH = 16 * STRIDE;
    /** The most windows the warm-up waits for the JIT to fall quiet. */
    static final int MAX_SETTLE_WINDOWS = 20;

    /** The flags a run needs: neither operation inlined into the loop (see {@link #fenceOp()}). */
    static final List<String> JVM_ARGS = List.of("-XX:CompileCommand=quiet",
            "-XX:CompileCommand=dontinline,io.srcu4j.bench.ThreadScaleBenchmark::srcuOp",
            "-XX:CompileCommand=dontinline,io.srcu4j.bench.ThreadScaleBenchmark::fenceOp");

    private static final VarHandle OPS;
    private static final VarHandle STOP;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OPS = lookup.findVarHandle(Progress.class, "ops", long.class);
            STOP = lookup.findStaticVarHandle(ThreadScaleBenchmark.class, "stop", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through STOP
    private static volatile boolean stop;

    private ThreadScaleBenchmark() {
    }

    /** One thread's published progress, padded so that threads never share its line. */
    static final class Progress {
        long p00, p01, p02, p03, p04, p05, p06, p07;
        /** Operations so far; written by its thread only (opaque), read by the main thread. */
        @SuppressWarnings("unused") // through OPS
        long ops;
        /** The longest time between two publications, in ns; read after the thread ended. */
        long maxGapNanos;
        long p10, p11, p12, p13, p14, p15, p16, p17;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: ThreadScaleBenchmark srcu|fence platform|virtual <threads> <windows> <window ms>");
            System.exit(2);
        }
        String op = args[0];
        boolean virtual = args[1].equals(VIRTUAL);
        int threads = Integer.parseInt(args[2]);
        int windows = Integer.parseInt(args[3]);
        long windowMs = Long.parseLong(args[4]);
        run(op, virtual, threads, windows, windowMs, System.out);
    }

    static void run(String op, boolean virtual, int threads, int windows, long windowMs, PrintStream out)
            throws InterruptedException {
        STOP.setVolatile(false);
        int cpus = Runtime.getRuntime().availableProcessors();
        // Per core: the cores the threads can keep busy.
        int cores = Math.min(cpus, threads);
        if (!java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().containsAll(JVM_ARGS)) {
            out.println("warning=run without " + String.join(" ", JVM_ARGS) + ": the fence row is not comparable");
        }
        Srcu srcu = op.equals(SRCU) ? Srcu.create() : null;
        if (srcu != null) {
            out.println("described=" + srcu.describe());
        }
        Progress[] progress = new Progress[threads];
        List<Thread> started = new ArrayList<>(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        // Threads wait for all to have started: spinning ones would starve the main thread's starts.
        CountDownLatch go = new CountDownLatch(1);
        Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
        long startedAt = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Progress p = new Progress();
            progress[i] = p;
            started.add(builder.start(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                loop(srcu, p, virtual);
            }));
        }
        ready.await();
        go.countDown();
        out.printf(Locale.ROOT, "start_seconds=%.3f%n", (System.nanoTime() - startedAt) / 1e9);
        // Warm-up: every thread has run, and the JIT has compiled the loop.
        Thread.sleep(Math.max(500, windowMs));
        int settle = settleCompilation(windowMs);
        out.println("warmup_windows=" + settle);
        double[] nsPerOpPerCore = new double[windows];
        for (int w = 0; w < windows; w++) {
            long before = sum(progress);
            long t0 = System.nanoTime();
            Thread.sleep(windowMs);
            long after = sum(progress);
            long elapsed = System.nanoTime() - t0;
            nsPerOpPerCore[w] = after > before ? (double) elapsed * cores / (after - before) : Double.POSITIVE_INFINITY;
        }
        STOP.setVolatile(true);
        for (Thread t : started) {
            t.join();
        }
        long maxGap = 0;
        long minOps = Long.MAX_VALUE;
        for (Progress p : progress) {
            maxGap = Math.max(maxGap, p.maxGapNanos);
            minOps = Math.min(minOps, (long) OPS.getOpaque(p));
        }
        if (srcu != null) {
            srcu.close();
        }
        double[] sorted = nsPerOpPerCore.clone();
        Arrays.sort(sorted);
        out.println("op=" + op);
        out.println("kind=" + (virtual ? VIRTUAL : PLATFORM));
        out.println("threads=" + threads);
        out.println("cpus=" + cpus);
        out.println("cores=" + cores);
        out.println("windows=" + windows);
        out.println("window_ms=" + windowMs);
        out.printf(Locale.ROOT, "windows_ns=%s%n", String.join(" ", Arrays.stream(nsPerOpPerCore)
                .mapToObj(v -> String.format(Locale.ROOT, "%.3f", v)).toList()));
        out.printf(Locale.ROOT, "median_ns=%.3f%n", sorted[sorted.length / 2]);
        out.printf(Locale.ROOT, "worst_ns=%.3f%n", sorted[sorted.length - 1]);
        out.printf(Locale.ROOT, "max_gap_ms=%.3f%n", maxGap / 1e6);
        out.println("min_thread_ops=" + minOps);
    }

    /**
     * Waits, a window at a time, until the JIT compiled nothing over a whole window, at most
     * {@value #MAX_SETTLE_WINDOWS} windows; returns how many it took. With hundreds of threads
     * spinning on 2 CPUs, the compiler threads get a small share of them, and the loop's compiled
     * code may come seconds after the first warm-up: windows before that timed the interpreter
     * (one round of 64 threads measured 526 ns per operation where its sibling measured 8.3).
     */
    private static int settleCompilation(long windowMs) throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return 0;
        }
        int windows = 0;
        long before = jit.getTotalCompilationTime();
        while (windows < MAX_SETTLE_WINDOWS) {
            Thread.sleep(windowMs);
            windows++;
            long after = jit.getTotalCompilationTime();
            if (after == before) {
                break;
            }
            before = after;
        }
        return windows;
    }

    /**
     * One empty read section. Not inlined ({@link #JVM_ARGS}), as {@link #fenceOp()}: both rows
     * pay one call per operation.
     */
    static void srcuOp(Srcu srcu) {
        try (ReadGuard g = srcu.read()) {
            // An empty section: what is timed is entering and leaving it.
        }
    }

    /**
     * The StoreLoad fence a classic reader needs once per section: the measuring stick. Inlined
     * into the loop, the JIT would merge neighbouring fences into one.
     */
    static void fenceOp() {
        VarHandle.fullFence();
    }

    private static long sum(Progress[] progress) {
        long total = 0;
        for (Progress p : progress) {
            total += (long) OPS.getOpaque(p);
        }
        return total;
    }

    private static void loop(Srcu srcu, Progress p, boolean virtual) {
        long ops = 0;
        long last = System.nanoTime();
        long maxGap = 0;
        int sinceYield = 0;
        while (!(boolean) STOP.getOpaque()) {
            if (srcu != null) {
                for (int i = 0; i < STRIDE; i++) {
                    srcuOp(srcu);
                }
            } else {
                for (int i = 0; i < STRIDE; i++) {
                    fenceOp();
                }
            }
            ops += STRIDE;
            // Opaque: the main thread reads a recent count; it orders nothing.
            OPS.setOpaque(p, ops);
            long now = System.nanoTime();
            maxGap = Math.max(maxGap, now - last);
            last = now;
            if (virtual && (sinceYield += STRIDE) >= VIRTUAL_BATCH) {
                sinceYield = 0;
                Thread.yield();
                last = System.nanoTime();
            }
        }
        p.maxGapNanos = maxGap;
    }
}
