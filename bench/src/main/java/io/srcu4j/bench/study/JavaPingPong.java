// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Core-to-core latency from Java threads pinned through srcu4j's API: the same ping-pong as the C
 * probe (native/study/c2c.c), half the round trip, on a word alone on its cache lines.
 *  - CAS: each side waits for its turn with compareAndSet (2k to 2k+1 on a, then 2k+1 to 2k+2 on b);
 *  - store/load: a stores 2k+1 and spins until it reads 2k+2, b the other way round.
 * The loads and stores are opaque: the word carries the only data that moves, so nothing needs
 * ordering; opaque keeps each load in the spin (a plain one could be hoisted out of it).
 */
final class JavaPingPong {

    /** The word's index: 16 longs (128 bytes, x86's line pair) on each side keep it alone. */
    private static final int SLOT = 16;
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
    /** Round trips of the warm-up: enough for C2 to compile both sides' loops. */
    private static final long WARM_UP = 20_000;

    enum Method {
        CAS("cas", "CAS ping-pong"),
        STORE_LOAD("store_load", "store/load ping-pong");

        final String key;
        final String label;

        Method(String key, String label) {
            this.key = key;
            this.label = label;
        }
    }

    private JavaPingPong() {
    }

    /** Up to this many pairs, a repetition runs the whole repMillis; beyond, a quarter (c2c.c too). */
    static final int FEW_PAIRS = 16;

    /** One pair of {@code pairs}: a measures, b answers. */
    static Row measure(int a, int b, Method m, StudyMode mode, int pairs) throws Exception {
        double repNs = mode.repMillis * 1e6 * (pairs <= FEW_PAIRS ? 1 : 0.25);
        long[] line = new long[2 * SLOT + 1];
        LoadMeter.Reading r0 = LoadMeter.now();
        Pinned.Outcome<List<Double>> out = Pinned.run("study-c2c-" + a, a, () -> {
            try (Pinned.Partner partner = Pinned.Partner.start("study-c2c-" + b, b,
                    running -> respond(line, m, running))) {
                if (!partner.placed()) {
                    return null;
                }
                long[] turn = {0};
                double est = play(line, m, turn, WARM_UP);
                long n = Loops.iterations(2 * est, repNs, 1000, 2_000_000);
                List<Double> reps = new ArrayList<>();
                for (int r = 0; r < mode.reps; r++) {
                    reps.add(play(line, m, turn, n));
                }
                return reps;
            }
        });
        String key = m.key + "/" + a + "/" + b;
        if (out.value() == null) {
            return Row.missing("c2c", key, "Java", m.label, "ns", "the partner thread could not be pinned");
        }
        return new Row("c2c", key, "Java", m.label, "ns", out.value(), LoadMeter.othersPct(r0, LoadMeter.now()),
                out.placed(), Map.of("a", Integer.toString(a), "b", Integer.toString(b)), "");
    }

    /** n round trips from turn[0] on; ns per one-way transfer. */
    private static double play(long[] line, Method m, long[] turn, long n) {
        long k = turn[0];
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++, k++) {
            long mine = 2 * k;
            if (m == Method.CAS) {
                while (!WORD.compareAndSet(line, SLOT, mine, mine + 1)) {
                    // spin until b has answered the previous turn
                }
            } else {
                WORD.setOpaque(line, SLOT, mine + 1);
                while ((long) WORD.getOpaque(line, SLOT) != mine + 2) {
                    // spin until b answers
                }
            }
        }
        double ns = (System.nanoTime() - t0) / (double) n / 2;
        turn[0] = k;
        return ns;
    }

    /** b's side: answers each turn until the measuring side has stopped playing. */
    private static void respond(long[] line, Method m, BooleanSupplier running) {
        for (long k = 0;; k++) {
            long want = 2 * k + 1;
            if (m == Method.CAS) {
                while (!WORD.compareAndSet(line, SLOT, want, want + 1)) {
                    if (!running.getAsBoolean()) {
                        return;
                    }
                }
            } else {
                while ((long) WORD.getOpaque(line, SLOT) != want) {
                    if (!running.getAsBoolean()) {
                        return;
                    }
                }
                WORD.setOpaque(line, SLOT, want + 1);
            }
        }
    }
}
