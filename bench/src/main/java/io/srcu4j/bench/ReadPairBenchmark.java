package io.srcu4j.bench;

import io.srcu4j.Srcu;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
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
 * price a reader pays for protection, against what Java code uses for the same job today.
 *
 * <p>The state is {@link Scope#Benchmark}: every benchmark thread reads through the same domain
 * or lock, as readers of one shared structure do. With one thread that measures the uncontended
 * path; with two it shows whether the lock's shared state bounces between cores (a
 * {@code ReentrantReadWriteLock} read hold count, a {@code StampedLock} state word), while SRCU
 * readers only touch the counters of the CPU they run on.
 *
 * <p>Thread counts are not fixed here: {@link RunReport} runs this class at 1 and 2 threads, and
 * {@code java -jar benchmarks.jar ReadPairBenchmark -t 2} does the same by hand. The annotations
 * give JMH's command line the same defaults as RunReport's normal run.
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
        /** {@code srcu.read()} and closing the guard, on the default path. */
        SRCU4J,
        /** The same, on the path with one critical downcall per lock and unlock. */
        SRCU4J_DOWNCALL,
        /** {@code VarHandle.fullFence()}: what one full fence costs here (a baseline). */
        FULL_FENCE,
        /** {@code ReentrantReadWriteLock.readLock()}: lock, unlock. */
        RWLOCK,
        /** {@code StampedLock.readLock()}, {@code unlockRead(stamp)}. */
        STAMPED
    }

    @Param
    public Impl impl;

    /**
     * The srcu4j path for {@link Impl#SRCU4J}, as the {@code srcu4j.path} property names it
     * ({@code native-downcall}, {@code java}, {@code jna}); {@code default} leaves the property alone, so the
     * path is the one {@code Srcu.create()} picks. The lock baselines ignore it. Compare paths
     * with {@code -p impl=SRCU4J -p path=native-downcall,java,jna}.
     */
    @Param("default")
    public String path;

    /*
     * One reader object per trial instead of a switch on impl in the benchmark method: each
     * parameter value runs in its own fork, so the call below only ever sees one receiver class
     * and the JIT inlines it behind a single class check, the same overhead for all three.
     */
    private Reader reader;

    @Setup(Level.Trial)
    public void setUp() {
        if (impl == Impl.SRCU4J && !path.equals("default")) {
            // Each parameter combination runs in its own fork: the property affects only it.
            System.setProperty("srcu4j.path", path);
        }
        reader = switch (impl) {
            case SRCU4J -> new SrcuReader(Srcu.create());
            case SRCU4J_DOWNCALL -> new SrcuReader(createOnPath("native-downcall"));
            case FULL_FENCE -> new FenceReader();
            case RWLOCK -> new RwLockReader(new ReentrantReadWriteLock().readLock());
            case STAMPED -> new StampedReader(new StampedLock());
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reader.close();
    }

    /** One lock/unlock pair; the locks' own side effects keep the JIT from removing it. */
    @Benchmark
    public void readPair() {
        reader.readPair();
    }

    private static Srcu createOnPath(String path) {
        String before = System.getProperty("srcu4j.path");
        System.setProperty("srcu4j.path", path);
        try {
            return Srcu.create();
        } finally {
            if (before == null) {
                System.clearProperty("srcu4j.path");
            } else {
                System.setProperty("srcu4j.path", before);
            }
        }
    }

    private abstract static sealed class Reader permits SrcuReader, RwLockReader, StampedReader, FenceReader {
        abstract void readPair();

        void close() {
        }
    }

    private static final class SrcuReader extends Reader {
        private final Srcu srcu;

        SrcuReader(Srcu srcu) {
            this.srcu = srcu;
        }

        @Override
        void readPair() {
            try (var guard = srcu.read()) {
                // Empty read section: only the enter/leave cost is measured.
            }
        }

        @Override
        void close() {
            srcu.close();
        }
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
            VarHandle.fullFence();
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
