// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Links the bindings against the real library: every function of srcu4j_h resolves, srcu4j_h
 * declares exactly the s4j_ functions the library exports, and a few calls go through.
 */
class BindingsSymbolTest {

    private static final String ADDRESS_SUFFIX = "$address";
    private static final int EINVAL = 22;
    private static final int EBUSY = 16;
    private static final int EALREADY = 114;

    private static Path library;

    @BeforeAll
    static void loadLibrary() {
        library = NativeFacts.requiredFile(NativeFacts.LIBRARY_PROPERTY, "native library libsrcu4j.so");
        // srcu4j_h looks symbols up with SymbolLookup.loaderLookup(): load into this class loader.
        System.load(library.toAbsolutePath().toString());
    }

    /** The public static no-argument {@code f$address()} methods of srcu4j_h, one per C function. */
    private static List<Method> addressMethods() {
        List<Method> methods = Stream.of(srcu4j_h.class.getDeclaredMethods())
                .filter(m -> m.getName().endsWith(ADDRESS_SUFFIX))
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getParameterCount() == 0 && m.getReturnType() == MemorySegment.class)
                .toList();
        assertFalse(methods.isEmpty(), "srcu4j_h declares no $address() methods");
        return methods;
    }

    private static String functionName(Method addressMethod) {
        String n = addressMethod.getName();
        return n.substring(0, n.length() - ADDRESS_SUFFIX.length());
    }

    @Test
    void everyFunctionResolves() {
        List<String> unresolved = new ArrayList<>();
        for (Method m : addressMethods()) {
            try {
                MemorySegment address = (MemorySegment) m.invoke(null);
                if (address == null || address.address() == 0L) {
                    unresolved.add(functionName(m) + ": NULL");
                }
            } catch (InvocationTargetException e) {
                unresolved.add(functionName(m) + ": " + e.getCause());
            } catch (IllegalAccessException e) {
                unresolved.add(functionName(m) + ": " + e);
            }
        }
        assertTrue(unresolved.isEmpty(), "functions that do not resolve in " + library + ": " + unresolved);
    }

    @Test
    void bindingsDeclareExactlyTheExportedFunctions() {
        Set<String> java = addressMethods().stream()
                .map(BindingsSymbolTest::functionName)
                .collect(Collectors.toCollection(TreeSet::new));
        // Every function wrapper has its address method and vice versa.
        for (String f : java) {
            assertTrue(Stream.of(srcu4j_h.class.getDeclaredMethods())
                    .anyMatch(m -> m.getName().equals(f) && Modifier.isStatic(m.getModifiers())),
                    "srcu4j_h has " + f + "$address() but no " + f + "(...) wrapper");
        }
        Set<String> exported = exportedFunctions(library);
        Set<String> missingInJava = new TreeSet<>(exported);
        missingInJava.removeAll(java);
        Set<String> missingInLibrary = new TreeSet<>(java);
        missingInLibrary.removeAll(exported);
        assertTrue(missingInJava.isEmpty() && missingInLibrary.isEmpty(),
                "exported by " + library.getFileName() + " but absent from srcu4j_h: " + missingInJava
                        + "; in srcu4j_h but not exported: " + missingInLibrary
                        + " (regenerate the bindings with make bindings)");
    }

    /** Defined, global s4j_ functions of the library, read with nm. */
    static Set<String> exportedFunctions(Path lib) {
        List<String> lines = NativeFacts.run(
                List.of("nm", "-D", "--defined-only", lib.toString()),
                "nm (GNU binutils) is needed to list the library's exported functions; install binutils.");
        Set<String> functions = new TreeSet<>();
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length < 3) {
                continue;
            }
            String type = parts[1];
            String name = parts[2];
            int at = name.indexOf('@');
            if (at > 0) {
                name = name.substring(0, at);
            }
            if (name.startsWith("s4j_") && (type.equals("T") || type.equals("W") || type.equals("i"))) {
                functions.add(name);
            }
        }
        assertFalse(functions.isEmpty(), "nm lists no s4j_ functions in " + lib + ": " + lines);
        return functions;
    }

    @Test
    void capabilitiesGetFillsTheStruct() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment caps = s4j_capabilities.allocate(arena);
            caps.fill((byte) 0xff);
            assertEquals(0, srcu4j_h.s4j_capabilities_get(caps));
            int possible = s4j_capabilities.possible_cpus(caps);
            int online = s4j_capabilities.online_cpus(caps);
            assertTrue(possible >= 1, "possible_cpus = " + possible);
            assertTrue(online >= 1 && online <= possible, "online_cpus = " + online + " of " + possible);
            int mode = s4j_capabilities.rseq_mode(caps);
            assertTrue(mode == srcu4j_h.S4J_RSEQ_UNAVAILABLE() || mode == srcu4j_h.S4J_RSEQ_GLIBC()
                    || mode == srcu4j_h.S4J_RSEQ_OWN(), "rseq_mode = " + mode);
            int membarrier = s4j_capabilities.membarrier(caps);
            assertTrue(membarrier == 0 || membarrier == 1, "membarrier = " + membarrier);
        }
        assertEquals(-EINVAL, srcu4j_h.s4j_capabilities_get(MemorySegment.NULL));
    }

    @Test
    void enumGettersReturnTheProbeValues() {
        Map<String, Long> constants = NativeFacts.constantFacts(NativeFacts.probeFacts());
        assertFalse(constants.isEmpty(), "the probe printed no enum constants");
        for (Map.Entry<String, Long> e : constants.entrySet()) {
            Method getter;
            try {
                getter = srcu4j_h.class.getMethod(e.getKey());
            } catch (NoSuchMethodException ex) {
                fail("srcu4j_h has no getter for " + e.getKey());
                return;
            }
            try {
                long value = ((Number) getter.invoke(null)).longValue();
                assertEquals(e.getValue().longValue(), value, e.getKey());
            } catch (ReflectiveOperationException ex) {
                fail("calling srcu4j_h." + e.getKey() + "() failed", ex);
            }
        }
    }

    @Test
    void callbackTypedefRoundTrips() {
        AtomicLong seen = new AtomicLong();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stub = s4j_srcu_callback_fn.allocate(head -> seen.set(head.address()), arena);
            MemorySegment head = s4j_srcu_head.allocate(arena);
            s4j_srcu_callback_fn.invoke(stub, head);
            assertEquals(head.address(), seen.get());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void callSrcuRunsTheCallbackOnTheWorker() throws InterruptedException {
        AtomicLong seen = new AtomicLong();
        CountDownLatch ran = new CountDownLatch(1);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment out = arena.allocate(srcu4j_h.C_POINTER);
            MemorySegment ssp = createClassic(out);
            assertNotEquals(0L, ssp.address());

            int idx = srcu4j_h.s4j_srcu_read_lock(ssp);
            assertEquals(1L, srcu4j_h.s4j_srcu_readers_active(ssp));
            srcu4j_h.s4j_srcu_read_unlock(ssp, idx);
            assertEquals(0L, srcu4j_h.s4j_srcu_readers_active(ssp));
            assertEquals(0, srcu4j_h.s4j_srcu_synchronize(ssp));

            MemorySegment func = s4j_srcu_callback_fn.allocate(h -> {
                seen.set(h.address());
                ran.countDown();
            }, arena);
            MemorySegment head = s4j_srcu_head.allocate(arena);
            assertEquals(0, srcu4j_h.s4j_call_srcu(ssp, head, func));
            assertEquals(0, srcu4j_h.s4j_srcu_barrier(ssp));
            assertTrue(ran.await(30, TimeUnit.SECONDS), "callback did not run");
            assertEquals(head.address(), seen.get());

            assertEquals(0, srcu4j_h.s4j_srcu_close(ssp));
            assertEquals(0, srcu4j_h.s4j_srcu_free(ssp));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deferRunsTheUpcallOnTheDeferralWorker() throws InterruptedException {
        AtomicLong seen = new AtomicLong();
        CountDownLatch ran = new CountDownLatch(1);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment func = s4j_srcu_callback_fn.allocate(h -> {
                seen.set(h.address());
                ran.countDown();
            }, arena);
            MemorySegment head = s4j_srcu_head.allocate(arena);
            MemorySegment stats = s4j_wake_stats.allocate(arena);
            assertEquals(0, srcu4j_h.s4j_wake_stats_get(stats));
            long parks = s4j_wake_stats.defer_parks(stats);
            assertTrue(parks >= 0 && s4j_wake_stats.defer_wakeups(stats) >= 0);

            assertEquals(0, srcu4j_h.s4j_defer(head, func));
            assertTrue(ran.await(30, TimeUnit.SECONDS), "deferred upcall did not run");
            assertEquals(head.address(), seen.get());
            assertEquals(-EINVAL, srcu4j_h.s4j_defer(MemorySegment.NULL, func));
            assertEquals(-EINVAL, srcu4j_h.s4j_defer(head, MemorySegment.NULL));
            assertEquals(-EINVAL, srcu4j_h.s4j_wake_stats_get(MemorySegment.NULL));
        }
    }

    /** A flavor's own read_lock/read_unlock pair, as bound in srcu4j_h. */
    private record ReaderPair(int flavor, ToIntFunction<MemorySegment> lock, ObjIntConsumer<MemorySegment> unlock) {
    }

    private static List<ReaderPair> readerPairs() {
        return List.of(
                new ReaderPair(srcu4j_h.S4J_FLAVOR_CLASSIC(), srcu4j_h::s4j_srcu_read_lock,
                        srcu4j_h::s4j_srcu_read_unlock),
                new ReaderPair(srcu4j_h.S4J_FLAVOR_FAST(), srcu4j_h::s4j_srcu_read_lock_fast,
                        srcu4j_h::s4j_srcu_read_unlock_fast),
                new ReaderPair(srcu4j_h.S4J_FLAVOR_SIGNAL_SAFE(), srcu4j_h::s4j_srcu_read_lock_signal_safe,
                        srcu4j_h::s4j_srcu_read_unlock_signal_safe));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyFlavorGoesThroughItsOwnBindings() {
        List<ReaderPair> pairs = readerPairs();
        for (ReaderPair asked : pairs) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(srcu4j_h.C_POINTER);
                int created = srcu4j_h.s4j_srcu_create(asked.flavor(), out);
                int expected = asked.flavor();
                if (created == srcu4j_h.S4J_CREATED_AS_CLASSIC()) {
                    assertEquals(srcu4j_h.S4J_FLAVOR_FAST(), asked.flavor(), "only a fast domain falls back");
                    expected = srcu4j_h.S4J_FLAVOR_CLASSIC();
                } else {
                    assertEquals(srcu4j_h.S4J_CREATED(), created, "s4j_srcu_create(" + asked.flavor() + ")");
                }
                MemorySegment ssp = out.get(srcu4j_h.C_POINTER, 0);
                assertEquals(expected, srcu4j_h.s4j_srcu_flavor(ssp));

                for (ReaderPair pair : pairs) {
                    int idx = pair.lock().applyAsInt(ssp);
                    if (pair.flavor() == expected) {
                        assertTrue(idx == 0 || idx == 1, "idx = " + idx);
                        assertEquals(1L, srcu4j_h.s4j_srcu_readers_active(ssp));
                    } else {
                        assertEquals(-EINVAL, idx, "flavor " + pair.flavor() + " lock on a " + expected + " domain");
                    }
                    pair.unlock().accept(ssp, idx); // a negative index does nothing
                    assertEquals(0L, srcu4j_h.s4j_srcu_readers_active(ssp));
                }

                int idx = srcu4j_h.s4j_srcu_down_read(ssp);
                assertTrue(idx >= 0, "down_read idx = " + idx);
                assertEquals(1L, srcu4j_h.s4j_srcu_readers_active(ssp));
                srcu4j_h.s4j_srcu_up_read(ssp, idx);
                assertEquals(0L, srcu4j_h.s4j_srcu_readers_active(ssp));

                assertEquals(0, srcu4j_h.s4j_srcu_synchronize_expedited(ssp));
                assertEquals(0, srcu4j_h.s4j_srcu_close(ssp));
                assertEquals(0, srcu4j_h.s4j_srcu_free(ssp));
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void polledGracePeriodCookiesRoundTrip() throws InterruptedException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(srcu4j_h.C_POINTER);
            MemorySegment ssp = createClassic(out);

            // A grace period that starts after the cookie cannot end while an older reader is inside.
            int idx = srcu4j_h.s4j_srcu_down_read(ssp);
            long polled = srcu4j_h.s4j_srcu_start_poll(ssp);
            assertEquals(0, srcu4j_h.s4j_srcu_poll_state(ssp, polled));
            srcu4j_h.s4j_srcu_up_read(ssp, idx);
            // start_poll has the worker run that grace period: no synchronize needed.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (srcu4j_h.s4j_srcu_poll_state(ssp, polled) == 0) {
                assertTrue(System.nanoTime() < deadline, "the grace period of start_poll never ended");
                Thread.sleep(1);
            }
            assertEquals(1, srcu4j_h.s4j_srcu_poll_state(ssp, polled));

            long state = srcu4j_h.s4j_srcu_get_state(ssp);
            assertEquals(0, srcu4j_h.s4j_srcu_synchronize(ssp));
            assertEquals(1, srcu4j_h.s4j_srcu_poll_state(ssp, state));

            assertEquals(0, srcu4j_h.s4j_srcu_close(ssp));
            assertEquals(0, srcu4j_h.s4j_srcu_free(ssp));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void advanceDrivesAGracePeriodWithoutBlocking() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(srcu4j_h.C_POINTER);
            MemorySegment ssp = createClassic(out);

            // With an older reader inside, advance returns 0 however often it is called.
            int idx = srcu4j_h.s4j_srcu_down_read(ssp);
            long cookie = srcu4j_h.s4j_srcu_get_state(ssp);
            for (int i = 0; i < 100; i++) {
                assertEquals(0, srcu4j_h.s4j_srcu_advance(ssp, cookie));
            }
            assertEquals(0, srcu4j_h.s4j_srcu_poll_state(ssp, cookie));
            srcu4j_h.s4j_srcu_up_read(ssp, idx);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (srcu4j_h.s4j_srcu_advance(ssp, cookie) == 0) {
                assertTrue(System.nanoTime() < deadline, "advance never ended the grace period");
                Thread.onSpinWait();
            }
            assertEquals(1, srcu4j_h.s4j_srcu_poll_state(ssp, cookie));

            // start_advance: the cookie and a first step in one call; bit 0 says it ended.
            long started = srcu4j_h.s4j_srcu_start_advance(ssp);
            assertEquals(1, started & 1, "with no reader one step ends the grace period");
            assertEquals(1, srcu4j_h.s4j_srcu_poll_state(ssp, started & ~1L));
            idx = srcu4j_h.s4j_srcu_down_read(ssp);
            started = srcu4j_h.s4j_srcu_start_advance(ssp);
            assertEquals(0, started & 1, "a reader of before holds it");
            assertEquals(0, srcu4j_h.s4j_srcu_advance(ssp, started));
            srcu4j_h.s4j_srcu_up_read(ssp, idx);
            while (srcu4j_h.s4j_srcu_advance(ssp, started) == 0) {
                assertTrue(System.nanoTime() < deadline, "advance never ended the grace period");
                Thread.onSpinWait();
            }
            // The expedited form: with no reader its one step ends the grace period, without a flip.
            idx = srcu4j_h.s4j_srcu_down_read(ssp);
            srcu4j_h.s4j_srcu_up_read(ssp, idx);
            started = srcu4j_h.s4j_srcu_start_advance_expedited(ssp);
            assertEquals(1, started & 1, "the expedited step ends an idle domain's grace period");
            assertEquals(1, srcu4j_h.s4j_srcu_poll_state(ssp, started & ~1L));
            int again = srcu4j_h.s4j_srcu_down_read(ssp);
            srcu4j_h.s4j_srcu_up_read(ssp, again);
            assertEquals(idx & 1, again & 1, "and leaves the readers' index as it was");
            assertEquals(0, srcu4j_h.s4j_srcu_close(ssp));
            assertEquals(0, srcu4j_h.s4j_srcu_free(ssp));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closeInTwoSteps() throws InterruptedException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(srcu4j_h.C_POINTER);
            MemorySegment ssp = createClassic(out);

            assertEquals(-EINVAL, srcu4j_h.s4j_srcu_close_poll(ssp));
            int idx = srcu4j_h.s4j_srcu_read_lock(ssp);
            assertEquals(-EBUSY, srcu4j_h.s4j_srcu_close_start(ssp));
            srcu4j_h.s4j_srcu_read_unlock(ssp, idx);
            assertEquals(0, srcu4j_h.s4j_srcu_close_start(ssp));
            assertEquals(-EALREADY, srcu4j_h.s4j_srcu_close_start(ssp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (srcu4j_h.s4j_srcu_close_poll(ssp) == 0) {
                assertTrue(System.nanoTime() < deadline, "close_poll never reported the drain finished");
                Thread.sleep(1);
            }
            assertEquals(1, srcu4j_h.s4j_srcu_close_poll(ssp));
            assertEquals(0, srcu4j_h.s4j_srcu_free(ssp));
        }
    }

    /** A new classic domain, created through {@code out} (a pointer-sized scratch segment). */
    private static MemorySegment createClassic(MemorySegment out) {
        assertEquals(srcu4j_h.S4J_CREATED(), srcu4j_h.s4j_srcu_create(srcu4j_h.S4J_FLAVOR_CLASSIC(), out));
        return out.get(srcu4j_h.C_POINTER, 0);
    }

    @Test
    void externalReaderCountersAreSummedByTheDomain() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(srcu4j_h.C_POINTER);
            MemorySegment ssp = createClassic(out);
            MemorySegment word = srcu4j_h.s4j_srcu_idx_word(ssp).reinterpret(Long.BYTES);
            int idx = (int) (word.get(ValueLayout.JAVA_LONG, 0) & 1);

            assertEquals(0, srcu4j_h.s4j_srcu_counters_claim(ssp, out));
            MemorySegment set = out.get(srcu4j_h.C_POINTER, 0).reinterpret(s4j_srcu_counters.sizeof());
            long lockAt = s4j_srcu_counters.lock_count$offset() + idx * Long.BYTES;
            long unlockAt = s4j_srcu_counters.unlock_count$offset() + idx * Long.BYTES;
            set.set(ValueLayout.JAVA_LONG, lockAt, set.get(ValueLayout.JAVA_LONG, lockAt) + 1);
            assertEquals(1L, srcu4j_h.s4j_srcu_readers_active(ssp), "a lock on claimed counters is counted");
            set.set(ValueLayout.JAVA_LONG, unlockAt, set.get(ValueLayout.JAVA_LONG, unlockAt) + 1);
            assertEquals(0L, srcu4j_h.s4j_srcu_readers_active(ssp));

            assertEquals(0, srcu4j_h.s4j_srcu_counters_release(ssp, set));
            assertEquals(-EINVAL, srcu4j_h.s4j_srcu_counters_release(ssp, set), "a second release");
            assertEquals(0, srcu4j_h.s4j_srcu_close(ssp));
            assertEquals(0, srcu4j_h.s4j_srcu_free(ssp));
        }
    }

    @Test
    void counterBlocksAreStridedAndSummed() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(srcu4j_h.C_POINTER);
            MemorySegment ssp = createClassic(out);
            long stride = srcu4j_h.s4j_srcu_counters_stride();
            assertTrue(stride >= s4j_srcu_counters.sizeof() && stride % 64 == 0, "stride " + stride);
            int count = 3;
            assertEquals(0, srcu4j_h.s4j_srcu_counters_claim_block(ssp, count, out));
            MemorySegment block = out.get(srcu4j_h.C_POINTER, 0).reinterpret(count * stride);
            int idx = (int) (srcu4j_h.s4j_srcu_idx_word(ssp).reinterpret(Long.BYTES).get(ValueLayout.JAVA_LONG, 0) & 1);
            long lockAt = (count - 1) * stride + s4j_srcu_counters.lock_count$offset() + idx * Long.BYTES;
            block.set(ValueLayout.JAVA_LONG, lockAt, 1L);
            assertEquals(0L, srcu4j_h.s4j_srcu_readers_active(ssp), "a set not marked used is not summed");
            assertEquals(0, srcu4j_h.s4j_srcu_counters_use(ssp, block.asSlice((count - 1) * stride)));
            assertEquals(1L, srcu4j_h.s4j_srcu_readers_active(ssp), "a lock on the block's last set is counted");
            block.set(ValueLayout.JAVA_LONG, lockAt, 0L);
            assertEquals(-EINVAL, srcu4j_h.s4j_srcu_counters_claim_block(ssp, 0, out), "a block of no sets");
            assertEquals(-EINVAL, srcu4j_h.s4j_srcu_counters_release(ssp, block), "a block's set is kept");
            assertEquals(0, srcu4j_h.s4j_srcu_close(ssp));
            assertEquals(0, srcu4j_h.s4j_srcu_free(ssp));
        }
    }

    @Test
    void affinityWordsRoundTripThroughPinning() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A thread of its own: pinning must not leak into the test runner's thread.
        Thread t = Thread.ofPlatform().start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment caps = s4j_capabilities.allocate(arena);
                assertEquals(0, srcu4j_h.s4j_capabilities_get(caps));
                int words = (s4j_capabilities.possible_cpus(caps) + 63) / 64;
                MemorySegment before = arena.allocate(srcu4j_h.C_LONG, words);
                int count = srcu4j_h.s4j_current_thread_affinity(before, words);
                assertTrue(count >= 1, "s4j_current_thread_affinity returned " + count);
                int bits = 0;
                for (int w = 0; w < words; w++) {
                    bits += Long.bitCount(before.getAtIndex(srcu4j_h.C_LONG, w));
                }
                assertEquals(count, bits, "the count returned is the number of bits set");
                assertEquals(-EINVAL, srcu4j_h.s4j_current_thread_affinity(MemorySegment.NULL, words));

                int first = firstSetBit(before, words);
                MemorySegment one = arena.allocate(srcu4j_h.C_LONG, words);
                one.setAtIndex(srcu4j_h.C_LONG, first / 64, 1L << (first % 64));
                assertEquals(0, srcu4j_h.s4j_pin_current_thread_to_set(one, words));
                MemorySegment now = arena.allocate(srcu4j_h.C_LONG, words);
                assertEquals(1, srcu4j_h.s4j_current_thread_affinity(now, words));
                assertEquals(-1L, now.mismatch(one), "affinity after pinning to cpu " + first);
                assertEquals(-EINVAL, srcu4j_h.s4j_pin_current_thread_to_set(
                        arena.allocate(srcu4j_h.C_LONG, words), words));
                assertEquals(0, srcu4j_h.s4j_pin_current_thread_to_set(before, words));
                assertEquals(count, srcu4j_h.s4j_current_thread_affinity(now, words));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    private static int firstSetBit(MemorySegment words, int count) {
        for (int w = 0; w < count; w++) {
            long word = words.getAtIndex(srcu4j_h.C_LONG, w);
            if (word != 0) {
                return w * 64 + Long.numberOfTrailingZeros(word);
            }
        }
        throw new AssertionError("no CPU set in the affinity");
    }
}
