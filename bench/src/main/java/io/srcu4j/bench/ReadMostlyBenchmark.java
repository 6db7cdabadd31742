// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The workload SRCU is for: lookups in an off-heap table ({@link TableVersion}, {@value
 * TableVersion#ENTRIES} longs in its own shared {@code Arena}) that an updater thread replaces
 * whole every {@code updateMicros} µs, freeing each old version once no reader can be in it. The
 * figure is ns per lookup, protection included, while the swaps go on.
 *
 * <p>What keeps readers out of freed memory ({@code impl}):
 * <ul>
 *   <li>{@code SRCU}: a read section of an srcu4j domain on {@code path}; the updater publishes,
 *       waits in {@code synchronize()}, then closes the old arena;</li>
 *   <li>{@code RWLOCK}: {@code ReentrantReadWriteLock}; the updater swaps under the write lock,
 *       then closes the old arena;</li>
 *   <li>{@code STAMPED}: {@code StampedLock.readLock()}; the same with its write lock;</li>
 *   <li>{@code ARENA_CLOSE}: nothing but the JDK's own check: the updater publishes and closes the
 *       old arena at once; a reader that finds its version closed catches the
 *       {@code IllegalStateException} and retries on the new one ({@code retries} counts them).</li>
 * </ul>
 * {@code path} matters to the {@code SRCU} rows only.
 *
 * <p>Every lookup checks that it read the version it loaded ({@link TableVersion#lookup}); a read
 * of another version, or of a closed one under {@code SRCU}, {@code RWLOCK} or {@code STAMPED},
 * counts in {@code tornReads}. Any torn read fails the trial in its teardown: the protection is
 * broken and the time means nothing.
 *
 * <p>By hand: {@code java -jar benchmarks.jar ReadMostlyBenchmark -t 2 -p impl=SRCU,RWLOCK -p path=java}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class ReadMostlyBenchmark {

    /** What protects a lookup from the updater's close (see the class comment). */
    public enum Impl {
        SRCU, RWLOCK, STAMPED, ARENA_CLOSE
    }

    @Param
    public Impl impl;

    /**
     * The srcu4j path of the {@code SRCU} rows ({@code -p path=java,native-downcall,jna} for the
     * others). One value by default: the other impls ignore it, and each value is a fork.
     */
    @Param(BenchPaths.NATIVE_DIRECT)
    public String path;

    /** µs between two swaps of the table. */
    @Param("2000")
    public long updateMicros;

    /**
     * Per reader thread: its key sequence and what went wrong in its lookups. JMH reports every
     * public field as a count per iteration; they are reset at each iteration's start.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters {
        /** Lookups that read another version than the one loaded, or a closed one where that must not happen. */
        public long tornReads;
        /** {@code ARENA_CLOSE} lookups that found their version closed and went again. */
        public long retries;
        private int seed;

        @Setup(Level.Iteration)
        public void reset() {
            tornReads = 0;
            retries = 0;
            if (seed == 0) {
                seed = ThreadLocalRandom.current().nextInt() | 1;
            }
        }

        /** The next key, from a linear congruential sequence (its top bits, which are the random ones). */
        int nextKey() {
            seed = seed * 1_664_525 + 1_013_904_223;
            return seed >>> (Integer.SIZE - Integer.numberOfTrailingZeros(TableVersion.ENTRIES));
        }
    }

    private Table table;
    private BackgroundLoop updater;
    /** The updater's count of versions made; touched by the updater thread only. */
    private long versions;

    @Setup(Level.Trial)
    public void setUp() {
        TableVersion first = TableVersion.create(versions++);
        table = switch (impl) {
            case SRCU -> new SrcuTable(first, BenchPaths.create(path));
            case RWLOCK -> new RwLockTable(first);
            case STAMPED -> new StampedTable(first);
            case ARENA_CLOSE -> new ArenaCloseTable(first);
        };
        // Thread start happens-before the updater's first step, so it sees table and versions.
        updater = BackgroundLoop.start("read-mostly-updater", this::swap);
    }

    /** One updater step: wait a period, then publish a new version and retire the old one. */
    private void swap() {
        BackgroundLoop.pause(updateMicros);
        table.replace(TableVersion.create(versions++));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            updater.stop();
        } finally {
            table.close();
        }
        long torn = table.tornReads.get();
        if (torn > 0) {
            throw new IllegalStateException(impl + (impl == Impl.SRCU ? " on " + path : "") + ": " + torn
                    + " lookup(s) read a retired or foreign table version: the protection is broken and the"
                    + " time means nothing");
        }
    }

    @Benchmark
    public long lookup(Counters counters) {
        return table.lookup(counters.nextKey(), counters);
    }

    /*
     * One table class per impl, chosen once per trial (as in ReadPairBenchmark): each fork runs a
     * single impl, so the call in lookup() sees one receiver class and the JIT inlines it.
     */
    private abstract static sealed class Table permits SrcuTable, RwLockTable, StampedTable, ArenaCloseTable {
        /**
         * The version readers find. The updater's volatile store of a new version pairs with the
         * readers' volatile load of it: the version's filling (in TableVersion.create) comes before
         * any lookup in it. Which loads of the old version may still be running when it is closed
         * is each subclass's protection.
         */
        volatile TableVersion current;
        /** Every reader's torn reads, for the teardown's verdict; written only when one happens. */
        final AtomicLong tornReads = new AtomicLong();

        Table(TableVersion first) {
            current = first;
        }

        /** The entry for {@code key}, read under this table's protection. */
        abstract long lookup(int key, Counters counters);

        /** Publishes {@code next} and closes the version it replaces, once no reader can be in it. */
        abstract void replace(TableVersion next);

        /** Frees the last version (and the protection's own resources); the updater has stopped. */
        void close() {
            current.close();
        }

        /** A lookup in {@code version} by a reader that holds it protected: a closed segment is torn too. */
        final long protectedLookup(TableVersion version, int key, Counters counters) {
            long value;
            try {
                value = version.lookup(key);
            } catch (IllegalStateException closed) {
                value = TableVersion.TORN;
            }
            return counted(value, counters);
        }

        final long counted(long value, Counters counters) {
            if (value == TableVersion.TORN) {
                counters.tornReads++;
                tornReads.incrementAndGet();
            }
            return value;
        }
    }

    private static final class SrcuTable extends Table {
        private final Srcu srcu;

        SrcuTable(TableVersion first, Srcu srcu) {
            super(first);
            this.srcu = srcu;
        }

        @Override
        long lookup(int key, Counters counters) {
            try (ReadGuard guard = srcu.read()) {
                return protectedLookup(current, key, counters);
            }
        }

        @Override
        void replace(TableVersion next) {
            TableVersion old = current;
            current = next;
            // Every read section that could have loaded old began before this call and has ended
            // when it returns (Srcu's grace-period guarantee).
            srcu.synchronize();
            old.close();
        }

        @Override
        void close() {
            super.close();
            srcu.close();
        }
    }

    private static final class RwLockTable extends Table {
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private final Lock readLock = lock.readLock();

        RwLockTable(TableVersion first) {
            super(first);
        }

        @Override
        long lookup(int key, Counters counters) {
            readLock.lock();
            try {
                return protectedLookup(current, key, counters);
            } finally {
                readLock.unlock();
            }
        }

        @Override
        void replace(TableVersion next) {
            TableVersion old;
            lock.writeLock().lock();
            try {
                old = current;
                current = next;
            } finally {
                lock.writeLock().unlock();
            }
            // Every reader that loaded old held the read lock, released before the write lock
            // above was granted; later readers load next. Closing outside the lock keeps the
            // arena's close handshake from holding readers up.
            old.close();
        }
    }

    private static final class StampedTable extends Table {
        private final StampedLock lock = new StampedLock();

        StampedTable(TableVersion first) {
            super(first);
        }

        @Override
        long lookup(int key, Counters counters) {
            long stamp = lock.readLock();
            try {
                return protectedLookup(current, key, counters);
            } finally {
                lock.unlockRead(stamp);
            }
        }

        @Override
        void replace(TableVersion next) {
            TableVersion old;
            long stamp = lock.writeLock();
            try {
                old = current;
                current = next;
            } finally {
                lock.unlockWrite(stamp);
            }
            // As for RwLockTable: no read-locked reader can still hold old.
            old.close();
        }
    }

    private static final class ArenaCloseTable extends Table {
        ArenaCloseTable(TableVersion first) {
            super(first);
        }

        @Override
        long lookup(int key, Counters counters) {
            // Retries only while the version loaded was closed under the reader. The updater
            // publishes a new version before closing the old one, so the next load finds a
            // version that is open or closed a whole update period later: the loop ends.
            while (true) {
                TableVersion version = current;
                try {
                    return counted(version.lookup(key), counters);
                } catch (IllegalStateException closed) {
                    counters.retries++;
                }
            }
        }

        @Override
        void replace(TableVersion next) {
            TableVersion old = current;
            current = next;
            // Readers may be inside old right now: the shared arena's close makes each of them
            // throw instead of reading freed memory.
            old.close();
        }
    }
}
