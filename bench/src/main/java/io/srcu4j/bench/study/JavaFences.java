// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Java rows of the fences-and-atomics study: ns per operation of the JDK's fences and atomic
 * accesses on a word alone on its cache lines, alone on CPU a ("uncontended"), then while a
 * partner on CPU b runs the same row on the same word ("shared"), as fences.c does in C. Every
 * fence and atomic here is what is measured: none orders anything the study relies on.
 */
final class JavaFences {

    private static final int SLOT = 16;
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * The rows; each loop is a method of its own, so the JIT compiles each by itself. A fence row
     * increments the word (an opaque load, an add, a plain store) and then fences, as fences.c
     * does: the next iteration's load keeps C2 from merging fences that only stores separate
     * (it may drop a fullFence whose neighbour already orders the same accesses).
     */
    enum Op {
        INCREMENT("inc", "increment: load, add, store (reference)") {
            @Override
            void loop(long[] line, long iters) {
                for (long i = 0; i < iters; i++) {
                    line[SLOT] = (long) WORD.getOpaque(line, SLOT) + 1;
                }
            }
        },
        FULL_FENCE("inc_full_fence", "increment + VarHandle.fullFence()") {
            @Override
            void loop(long[] line, long iters) {
                for (long i = 0; i < iters; i++) {
                    line[SLOT] = (long) WORD.getOpaque(line, SLOT) + 1;
                    VarHandle.fullFence();
                }
            }
        },
        ACQUIRE_FENCE("inc_acquire_fence", "increment + VarHandle.acquireFence()") {
            @Override
            void loop(long[] line, long iters) {
                for (long i = 0; i < iters; i++) {
                    line[SLOT] = (long) WORD.getOpaque(line, SLOT) + 1;
                    VarHandle.acquireFence();
                }
            }
        },
        RELEASE_FENCE("inc_release_fence", "increment + VarHandle.releaseFence()") {
            @Override
            void loop(long[] line, long iters) {
                for (long i = 0; i < iters; i++) {
                    line[SLOT] = (long) WORD.getOpaque(line, SLOT) + 1;
                    VarHandle.releaseFence();
                }
            }
        },
        GET_AND_ADD("get_and_add", "VarHandle.getAndAdd") {
            @Override
            void loop(long[] line, long iters) {
                for (long i = 0; i < iters; i++) {
                    WORD.getAndAdd(line, SLOT, 1L);
                }
            }
        },
        SET_RELEASE("set_release", "increment stored by VarHandle.setRelease") {
            @Override
            void loop(long[] line, long iters) {
                for (long i = 0; i < iters; i++) {
                    WORD.setRelease(line, SLOT, (long) WORD.getOpaque(line, SLOT) + 1);
                }
            }
        };

        final String key;
        final String label;

        Op(String key, String label) {
            this.key = key;
            this.label = label;
        }

        abstract void loop(long[] line, long iters);
    }

    private JavaFences() {
    }

    /** Every row, uncontended on a, then shared with b (b < 0: no second CPU, shared rows missing). */
    static List<Row> measure(int a, int b, StudyMode mode, Progress progress) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Op op : Op.values()) {
            for (boolean shared : new boolean[] {false, true}) {
                String m = shared ? "shared" : "uncontended";
                String key = op.key + "/" + m;
                if (shared && b < 0) {
                    rows.add(Row.missing("fences", key, "Java", op.label, "ns", "one CPU allowed: no second core"));
                    continue;
                }
                progress.line("fences (Java): " + op.label + ", " + m);
                rows.add(one(op, a, shared ? b : -1, key, mode));
            }
        }
        return rows;
    }

    private static Row one(Op op, int a, int b, String key, StudyMode mode) throws Exception {
        long[] line = new long[2 * SLOT + 1];
        LoadMeter.Reading r0 = LoadMeter.now();
        Pinned.Outcome<List<Double>> out = Pinned.run("study-fences-" + a, a, () -> {
            if (b < 0) {
                return Loops.nsPerIteration(n -> op.loop(line, n), mode.reps, mode.repMillis);
            }
            try (Pinned.Partner partner = Pinned.Partner.start("study-fences-" + b, b, running -> {
                while (running.getAsBoolean()) {
                    op.loop(line, 4096);
                }
            })) {
                return partner.placed() ? Loops.nsPerIteration(n -> op.loop(line, n), mode.reps, mode.repMillis) : null;
            }
        });
        if (out.value() == null) {
            return Row.missing("fences", key, "Java", op.label, "ns", "the partner thread could not be pinned");
        }
        return new Row("fences", key, "Java", op.label, "ns", out.value(), LoadMeter.othersPct(r0, LoadMeter.now()),
                out.placed(), Map.of("a", Integer.toString(a), "b", Integer.toString(b),
                        "mode", b < 0 ? "uncontended" : "shared"), "");
    }
}
