// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.Deferral;
import io.srcu4j.Srcu;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of handing work to another thread from Java: {@code Srcu.callSrcu} (after a grace
 * period) and {@code Deferral.defer} (no grace period), per task, including the time for the
 * worker to run it.
 *
 * <p>One invocation queues {@value #BATCH} no-op tasks and then waits until they ran (a barrier
 * for callSrcu; a marker task for defer, as tasks run in order), so the queue never grows
 * without bound and the figure is a throughput: ns per task, queueing and running. The state is
 * {@link Scope#Benchmark}: with {@code -t 2} both threads queue on one domain, or on the one
 * deferral queue. Run with {@code java -jar benchmarks.jar DeferralBenchmark -t 1} and
 * {@code -t 2}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class DeferralBenchmark {

    static final int BATCH = 1024;

    /** How the task is handed over. */
    public enum Impl {
        /** {@code srcu.callSrcu(task)}, then {@code srcu.barrier()}. */
        CALL_SRCU,
        /** {@code Deferral.defer(task)}, then a deferred marker awaited. */
        DEFER
    }

    @Param
    public Impl impl;

    private Srcu srcu;
    private static final Runnable NOOP = () -> { };

    @Setup(Level.Trial)
    public void setUp() {
        srcu = Srcu.create();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        srcu.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void handOver() throws InterruptedException {
        if (impl == Impl.CALL_SRCU) {
            CallSrcuBenchmark.queueBatch(srcu, BATCH);
        } else {
            for (int i = 0; i < BATCH; i++) {
                Deferral.defer(NOOP);
            }
            CountDownLatch marker = new CountDownLatch(1);
            Deferral.defer(marker::countDown);
            marker.await();
        }
    }
}
