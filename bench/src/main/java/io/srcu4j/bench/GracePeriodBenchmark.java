// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How long an updater waits for a grace period: {@code synchronize()} ({@code NORMAL}) and
 * {@code synchronizeExpedited()} ({@code EXPEDITED}), in µs per call, on a domain with no readers
 * ({@code IDLE}) or with one background thread entering and leaving short read sections back to
 * back ({@code BUSY}), so that nearly every grace period finds a reader inside.
 *
 * <p>One updater thread: grace periods of one domain are what is measured, not how callers of
 * {@code synchronize()} share them. {@link ExpeditedBenchmark} holds the two kinds against each
 * other with busy readers on every CPU, side by side with C. By hand:
 * {@code java -jar benchmarks.jar GracePeriodBenchmark -p readers=BUSY -p path=java}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Threads(1)
@State(Scope.Benchmark)
public class GracePeriodBenchmark {

    /** Work inside each background read section, in Blackhole.consumeCPU tokens (well under 1 µs). */
    private static final long SECTION_TOKENS = 20;

    /** Which wait. */
    public enum Kind {
        /** {@code synchronize()}: polls a few times, then sleeps with back-off. */
        NORMAL,
        /** {@code synchronizeExpedited()}: polls back to back for 5 us, then sleeps in short steps. */
        EXPEDITED
    }

    /** What the domain's readers do meanwhile. */
    public enum Readers {
        /** No reader. */
        IDLE,
        /** One platform thread in short read sections back to back. */
        BUSY
    }

    @Param
    public Kind kind;

    @Param
    public Readers readers;

    @Param({BenchPaths.NATIVE_DIRECT, BenchPaths.JAVA, BenchPaths.NATIVE_DOWNCALL, BenchPaths.JNA})
    public String path;

    private Srcu srcu;
    private BackgroundLoop reader;

    @Setup(Level.Trial)
    public void setUp() {
        srcu = BenchPaths.create(path);
        if (readers == Readers.BUSY) {
            reader = BackgroundLoop.start("grace-period-reader", this::readSection);
        }
    }

    private void readSection() {
        try (ReadGuard guard = srcu.read()) {
            Blackhole.consumeCPU(SECTION_TOKENS);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (reader != null) {
                reader.stop();
            }
        } finally {
            srcu.close();
        }
    }

    @Benchmark
    public void gracePeriod() {
        if (kind == Kind.NORMAL) {
            srcu.synchronize();
        } else {
            srcu.synchronizeExpedited();
        }
    }
}
