// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.Srcu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * {@code Srcu.callSrcu} on a given path, three ways:
 * <ul>
 *   <li>{@link #call}: ns per {@code callSrcu} call as its caller sees it, while the pool's
 *       workers take the callbacks, share grace periods among them and run them at the same time;
 *       the callbacks left at the end of an iteration are awaited outside the timing (a barrier
 *       in {@link #drain}). The figure is the one libsrcu4j's own call_srcu row times (the
 *       enqueue of {@code native/bench/bench_defer.c}), and with 2 threads both call into one
 *       domain, as there. Beside the wall time, {@link CallCpu} counts what the calls cost in CPU
 *       time: the caller's own, and what srcu4j's workers and the collector used meanwhile;</li>
 *   <li>{@link #callOwnDomain}: the same with each thread calling a domain of its own, so that the
 *       callers share no domain, queue or stripe (the pool's workers they still share): at 2
 *       threads against {@link #call}'s 1, what two busy callers cost each other on this machine
 *       (cores, caches, the collector), the floor under {@link #call}'s 2-thread ratio. Each
 *       thread's share of the workers' CPU time is half of what they used while it waited for its
 *       own domain's callbacks;</li>
 *   <li>{@link #throughput}: ns per callback when callbacks come in batches of {@value #BATCH}
 *       followed by {@code barrier()}, so grace periods are shared by many callbacks and the
 *       figure is what queueing, waiting and running cost per callback;</li>
 *   <li>{@link #callbackLatency}: µs from one {@code callSrcu} until its callback has run, with
 *       nothing else queued: a whole grace period, plus the hand-over to the domain's worker.</li>
 * </ul>
 * By hand: {@code java -jar benchmarks.jar CallSrcuBenchmark -p path=java}.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Threads(1)
@State(Scope.Benchmark)
public class CallSrcuBenchmark {

    static final int BATCH = 1024;

    private static final Runnable NOOP = () -> { };

    /** Spins on the completion flag before the waiter starts yielding its CPU. */
    private static final int SPINS_BEFORE_YIELD = 1 << 10;

    @Param({BenchPaths.NATIVE_DIRECT, BenchPaths.JAVA, BenchPaths.NATIVE_DOWNCALL, BenchPaths.JNA})
    public String path;

    private Srcu srcu;

    /** Callbacks {@link #callbackLatency} queued; written and read by the benchmark thread only. */
    private long queued;
    /**
     * Callbacks of {@link #callbackLatency} that ran. Written only by the domain's worker (its
     * callbacks run one at a time, so the increment has one writer) and read by the benchmark
     * thread: the volatile store and load are the completion signal and order nothing else.
     */
    private volatile long ran;
    private final Runnable tick = () -> ran = ran + 1;

    @Setup(Level.Trial)
    public void setUp() {
        srcu = BenchPaths.create(path);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        srcu.close();
    }

    /**
     * Waits for the callbacks an iteration queued, so that a backlog the workers did not take
     * yet is never carried into the next iteration or held over the run.
     */
    @TearDown(Level.Iteration)
    public void drain() {
        srcu.barrier();
    }

    /*
     * The call rows' forks: the usual flags, and a heap of fixed size touched from the start.
     * Each call fills a slot of an array its caller allocated, and while the heap grows, the page
     * faults of fresh heap land on the callers' CPU time: measured by hand (one JVM, 1.5 s
     * rounds), 200 to 540 minor faults per million calls in the first rounds, 1.3 to 3.5 ns per
     * call of system time, and none once the heap stopped growing. Two threads on one domain let
     * larger batches wait for their grace period, the heap grows for longer, and which fork pays
     * for it varies from run to run. A service sizes its heap; the call's own cost is what is
     * timed.
     */
    static final String HEAP_MIN = "-Xms1g";
    static final String HEAP_MAX = "-Xmx1g";
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    /** One {@code callSrcu} of a no-op; the score is per call. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", HEAP_MIN, HEAP_MAX, PRE_TOUCH})
    public void call(CallCpu cpu) {
        srcu.callSrcu(NOOP);
        cpu.calls++;
    }

    /** {@link #call} on the calling thread's own domain ({@link CallCpu#own}); the score is per call. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", HEAP_MIN, HEAP_MAX, PRE_TOUCH})
    public void callOwnDomain(CallCpu cpu) {
        cpu.own.callSrcu(NOOP);
        cpu.calls++;
    }

    /**
     * CPU time behind {@link #call}, per benchmark thread and iteration (JMH sums the threads):
     * the thread's own CPU time and its calls, from the iteration's setup to its teardown (JMH's
     * warm-up and warm-down of the iteration included, in both), and its share (1 / threads) of
     * the CPU time srcu4j's workers and the collector used meanwhile and until the iteration's
     * callbacks had run ({@link TaskCpu}). Divided by the calls, they say what a call costs its
     * caller whatever else shares the CPUs, and what it costs the rest of the process.
     * {@link CallSrcuVsC} reads them.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CallCpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        public long calls;
        public long callerCpuNanos;
        public long workerCpuNanos;
        public long gcCpuNanos;
        private long callerAtStart;
        private TaskCpu othersAtStart;
        private int threads;
        /** The thread's own domain, on the benchmark's path: made for {@link #callOwnDomain} only. */
        private Srcu own;

        @Setup(Level.Trial)
        public void open(BenchmarkParams params, CallSrcuBenchmark benchmark) {
            if (params.getBenchmark().endsWith(".callOwnDomain")) {
                own = BenchPaths.create(benchmark.path);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            if (own != null) {
                own.close();
            }
        }

        @Setup(Level.Iteration)
        public void begin(BenchmarkParams params) {
            threads = params.getThreads();
            othersAtStart = TaskCpu.now();
            callerAtStart = THREADS.getCurrentThreadCpuTime();
        }

        /** Waits for the iteration's callbacks first, so that running them counts in the workers' time. */
        @TearDown(Level.Iteration)
        public void end(CallSrcuBenchmark benchmark) {
            callerCpuNanos = THREADS.getCurrentThreadCpuTime() - callerAtStart;
            (own != null ? own : benchmark.srcu).barrier();
            TaskCpu others = TaskCpu.now().since(othersAtStart);
            workerCpuNanos = others.workersNanos() / threads;
            gcCpuNanos = others.gcNanos() / threads;
        }
    }

    /** Queues {@value #BATCH} no-op callbacks, then waits until they ran; the score is per callback. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void throughput() {
        queueBatch(srcu, BATCH);
    }

    /** {@code srcu.callSrcu(task)} {@code count} times, then {@code srcu.barrier()}. */
    static void queueBatch(Srcu srcu, int count) {
        for (int i = 0; i < count; i++) {
            srcu.callSrcu(NOOP);
        }
        srcu.barrier();
    }

    /**
     * Queues one callback and waits until it has run. The waiter spins, then yields, rather than
     * parking: a wake-up would add the scheduler's latency to the figure.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void callbackLatency() {
        long target = ++queued;
        srcu.callSrcu(tick);
        int spins = 0;
        while (ran < target) {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
