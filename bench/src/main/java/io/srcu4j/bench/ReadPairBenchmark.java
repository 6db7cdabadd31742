// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.Srcu;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of entering and leaving one read-side critical section with nothing inside it: the
 * price a reader pays for protection, on every srcu4j path, against what Java code uses for the
 * same job today and against the primitives that bound it from below.
 *
 * <p>The state is {@link Scope#Benchmark}: every benchmark thread reads through the same domain
 * or lock, as readers of one shared structure do. With one thread that measures the uncontended
 * path; with more it shows whether shared state bounces between cores (a
 * {@code ReentrantReadWriteLock} read hold count, a {@code StampedLock} state word), while SRCU
 * readers only touch the counters of the CPU they run on.
 *
 * <p>Thread counts and thread kinds are not fixed here: {@link RunReport} runs this class at
 * several thread counts, on platform threads and on virtual threads (JMH's
 * {@code -Djmh.executor=VIRTUAL} in the fork). By hand:
 * {@code java -jar benchmarks.jar ReadPairBenchmark -t 2 -p impl=NATIVE_DIRECT,FULL_FENCE}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class ReadPairBenchmark {

    /** What protects the (empty) read section. */
    public enum Impl {
        /** {@code srcu.read()} and closing the guard on the native-direct path. */
        NATIVE_DIRECT(BenchPaths.NATIVE_DIRECT),
        /** The same on the pure-Java path. */
        JAVA(BenchPaths.JAVA),
        /** The same on the path with one critical downcall per lock and unlock. */
        NATIVE_DOWNCALL(BenchPaths.NATIVE_DOWNCALL),
        /** The same on the JNA path (one JNA call per lock and unlock). */
        JNA(BenchPaths.JNA),
        /** {@code VarHandle.fullFence()}: the Java memory model's floor for a fenced reader. */
        FULL_FENCE(null),
        /** {@code LongAdder.increment()} then {@code decrement()}: a hand-rolled striped reader count. */
        LONG_ADDER(null),
        /** Two critical downcalls to libc's {@code abs}: what crossing into C costs by itself. */
        EMPTY_DOWNCALL(null),
        /** {@code ReentrantReadWriteLock.readLock()}: lock, unlock. */
        RWLOCK(null),
        /** {@code StampedLock.readLock()}, {@code unlockRead(stamp)}. */
        STAMPED(null);

        /** The {@code srcu4j.path} value for an srcu4j row; null for a baseline. */
        final String path;

        Impl(String path) {
            this.path = path;
        }

        /** True for the rows that run an srcu4j domain. */
        public boolean isSrcu() {
            return path != null;
        }
    }

    @Param
    public Impl impl;

    /*
     * A baseline row runs a reader object, one per trial instead of a switch on impl in the
     * benchmark method: each parameter value runs in its own fork, so the call below only ever
     * sees one receiver class and the JIT inlines it behind a single class check.
     */
    private Reader reader;
    /*
     * An srcu4j row's domain sits in a field of its own, as in code that uses one: behind a
     * reader object it would be one more dependent load before the counter update (about a
     * third of the pair's cost here), which no user pays.
     */
    private Srcu srcu;

    @Setup(Level.Trial)
    public void setUp() {
        if (impl.isSrcu()) {
            srcu = BenchPaths.create(impl.path);
            return;
        }
        reader = switch (impl) {
            case NATIVE_DIRECT, JAVA, NATIVE_DOWNCALL, JNA -> throw new AssertionError(impl);
            case FULL_FENCE -> new FenceReader();
            case LONG_ADDER -> new LongAdderReader();
            case EMPTY_DOWNCALL -> new DowncallReader();
            case RWLOCK -> new RwLockReader(new ReentrantReadWriteLock().readLock());
            case STAMPED -> new StampedReader(new StampedLock());
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (srcu != null) {
            srcu.close();
        }
    }

    /**
     * One lock/unlock pair; the locks' own side effects keep the JIT from removing it. The
     * baseline's test comes first, so a baseline row runs just what it ran behind a reader
     * object alone; an srcu4j row pays the test (a predicted branch on a load its own loads do
     * not wait for).
     */
    @Benchmark
    public void readPair() {
        Reader baseline = reader;
        if (baseline != null) {
            baseline.readPair();
            return;
        }
        try (var guard = srcu.read()) {
            // Empty read section: only the enter/leave cost is measured.
        }
    }

    private abstract static sealed class Reader
            permits RwLockReader, StampedReader, FenceReader, LongAdderReader, DowncallReader {
        abstract void readPair();
    }

    private static final class RwLockReader extends Reader {
        private final Lock readLock;

        RwLockReader(Lock readLock) {
            this.readLock = readLock;
        }

        @Override
        void readPair() {
            readLock.lock();
            readLock.unlock();
        }
    }

    private static final class FenceReader extends Reader {
        @Override
        void readPair() {
            // The StoreLoad fence a classic SRCU reader needs once per pair; it orders nothing
            // here and pairs with nothing: it is the measuring stick.
            VarHandle.fullFence();
        }
    }

    private static final class LongAdderReader extends Reader {
        private final LongAdder readers = new LongAdder();

        @Override
        void readPair() {
            readers.increment();
            readers.decrement();
        }
    }

    private static final class DowncallReader extends Reader {
        private static final MethodHandle ABS = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().findOrThrow("abs"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                Linker.Option.critical(false));
        private int sink = 1;

        @Override
        void readPair() {
            try {
                // Two calls, as a downcall read side makes one to lock and one to unlock; the
                // result feeds the next call so neither can be dropped.
                sink = (int) ABS.invokeExact((int) ABS.invokeExact(-sink));
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }
    }

    private static final class StampedReader extends Reader {
        private final StampedLock lock;

        StampedReader(StampedLock lock) {
            this.lock = lock;
        }

        @Override
        void readPair() {
            long stamp = lock.readLock();
            lock.unlockRead(stamp);
        }
    }
}
