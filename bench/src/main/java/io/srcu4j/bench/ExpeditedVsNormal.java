// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code synchronize_expedited} against {@code synchronize} with 0, 1 and 2 busy readers per CPU,
 * C and Java in one table: the C rows from {@code native/bench/bench_expedited.c} in native.json
 * ({@code synchronize_busyN_<flavor>} and {@code synchronize_expedited_busyN_<flavor>}), the Java
 * rows from {@link ExpeditedBenchmark}, which measures the same way. Each figure is expedited /
 * normal of the mean times per call, the longest batches left out; the aim is below 1 in every
 * case.
 */
final class ExpeditedVsNormal {

    static final String TITLE = "synchronizeExpedited against synchronize";
    static final Figure.Aim AIM = new Figure.Aim("< 1x", Math.nextDown(1.0));
    static final String NOTE = "busy readers: threads pinned to each CPU running short read sections back to back,"
            + " the measuring thread on CPU 0 beside them; the two calls alternate in batches of 20 us (one call"
            + " when they wait), so both meet the same readers and neighbours; the figure: expedited / normal of"
            + " their mean times per call over the case, the longest " + ExpeditedBenchmark.TRIM_PER_MILLE
            + " per mille of each kind's batches left out (a neighbour's stalls of tens of milliseconds, whichever"
            + " kind runs); each case several rounds (C) or JVMs (Java), taking the median one; the note: its ratios,"
            + " the median one's two means, the ratio over each half of it, with no batch left"
            + " out, and where a case made membarrier calls ([X], fast domains), how many per call of each kind"
            + " and, for C, what one cost beside the case's readers";
    private static final String[] C_FLAVORS = {"classic", "fast"};

    private ExpeditedVsNormal() {
    }

    static List<Figure> figures(NativeResults nat, List<ExpeditedRun> java) {
        List<Figure> figures = new ArrayList<>();
        for (String flavor : C_FLAVORS) {
            for (int per = 0; per <= ExpeditedBenchmark.MAX_PER_CPU; per++) {
                figures.add(cFigure(nat, flavor, per));
            }
        }
        for (ExpeditedRun run : java) {
            for (int per = 0; per <= ExpeditedBenchmark.MAX_PER_CPU; per++) {
                figures.add(javaFigure(run, per));
            }
        }
        return figures;
    }

    private static Figure cFigure(NativeResults nat, String flavor, int per) {
        String group = "C " + flavor;
        String key = "c_" + flavor + "_busy" + per;
        String what = what(per);
        Optional<NativeResults.Row> normal = nat.row("synchronize_busy" + per + "_" + flavor, "srcu4j");
        Optional<NativeResults.Row> expedited = nat.row("synchronize_expedited_busy" + per + "_" + flavor, "srcu4j");
        if (normal.isEmpty() || expedited.isEmpty()) {
            String why = nat.missing() != null ? "no C figures: " + nat.missing()
                    : "native.json has no synchronize_busy" + per + "_" + flavor + " rows";
            return new Figure(group, key, what, OptionalDouble.empty(), "x", AIM, why);
        }
        NativeResults.Row e = expedited.get();
        return new Figure(group, key, what, finite(e.number("expedited_vs_synchronize")), "x", AIM,
                rounds(e) + note(normal.get().nsPerOp(), e.nsPerOp(), e.number("first_half"), e.number("second_half"),
                        e.number("untrimmed_ratio"))
                        + callerCpu(normal.get().number("cpu_ns_per_op"), e.number("cpu_ns_per_op"))
                        + barriers(normal.get().number("membarriers_per_call"), e.number("membarriers_per_call"),
                                e.number("membarrier_ns")));
    }

    /**
     * Where the C case ran several rounds ({@code round_ratio_1} .. {@code round_ratio_<rounds>},
     * lowest first, and the figures of the median one), every round's ratio, as the Java cases
     * give their JVMs'.
     */
    private static String rounds(NativeResults.Row expedited) {
        List<String> ratios = new ArrayList<>();
        for (int k = 1; Double.isFinite(expedited.number("round_ratio_" + k)); k++) {
            ratios.add(String.format(Locale.ROOT, "%.2f", expedited.number("round_ratio_" + k)));
        }
        return ratios.size() < 2 ? "" : "the rounds' ratios " + String.join(" ", ratios) + ", the median one's: ";
    }

    private static Figure javaFigure(ExpeditedRun run, int per) {
        ExpeditedRuns.Target t = run.target();
        String flavor = t.flavor().toLowerCase(Locale.ROOT);
        String group = "Java " + t.path() + " " + flavor;
        String key = "java_" + t.path() + "_" + flavor + "_busy" + per;
        String p = "busy" + per + "_";
        Map<String, String> v = run.values();
        OptionalDouble ratio = number(v, p + "ratio");
        String note;
        boolean median = v.containsKey(p + ExpeditedRun.RATIOS_SUFFIX);
        if (!run.failures().isEmpty() && !median) {
            note = String.join("; ", run.failures());
        } else if (ratio.isEmpty()) {
            note = "the run printed no " + p + "ratio";
        } else {
            note = note(number(v, p + "synchronize_ns").orElse(Double.NaN), number(v, p + "expedited_ns").orElse(Double.NaN),
                    number(v, p + "first_half").orElse(Double.NaN), number(v, p + "second_half").orElse(Double.NaN),
                    number(v, p + "untrimmed_ratio").orElse(Double.NaN))
                    + barriers(Lifecycle.number(v, p + "synchronize_membarriers").orElse(Double.NaN),
                            Lifecycle.number(v, p + "expedited_membarriers").orElse(Double.NaN), Double.NaN);
            if (median) {
                note = "the JVMs' ratios " + v.get(p + ExpeditedRun.RATIOS_SUFFIX) + ", the median one's run: " + note;
                if (!run.failures().isEmpty()) {
                    note += "; failed JVMs, left out: " + String.join("; ", run.failures());
                }
            }
            String got = v.getOrDefault("flavor", t.flavor());
            if (!got.equals(t.flavor())) {
                note += "; the domain was created " + got;
            }
            if (!"true".equals(v.get("pinned"))) {
                note += "; some threads could not be pinned";
            }
            if (v.containsKey("membarrier_count_missing")) {
                note += "; membarrier calls not counted: " + v.get("membarrier_count_missing");
            }
        }
        return new Figure(group, key, what(per), ratio, "x", AIM, note);
    }

    private static String what(int per) {
        return "expedited / normal, " + per + " busy reader" + (per == 1 ? "" : "s") + " per CPU";
    }

    private static String note(double normalNs, double expeditedNs, double first, double second, double all) {
        return String.format(Locale.ROOT, "%s vs %s us per call; halves %.2fx, %.2fx; all batches %.2fx",
                us(expeditedNs), us(normalNs), first, second, all);
    }

    /**
     * The measuring thread's CPU time per call of each kind, where the C case measured it: a
     * membarrier call is spent on the caller's CPU and a sleep is not, so equal CPU times leave only
     * the waits for readers to set the two kinds apart.
     */
    private static String callerCpu(double normalNs, double expeditedNs) {
        if (!(normalNs > 0 && expeditedNs > 0)) {
            return "";
        }
        return String.format(Locale.ROOT, "; caller's CPU %s vs %s us per call", us(expeditedNs), us(normalNs));
    }

    /**
     * The membarrier calls per call of each kind, and what one cost, when the case made any:
     * where both kinds spend their time in them, the ratio follows their counts.
     */
    private static String barriers(double normal, double expedited, double eachNs) {
        if (!(normal > 0 || expedited > 0)) {
            return "";
        }
        String each = eachNs > 0 ? ", " + us(eachNs) + " us each" : "";
        return String.format(Locale.ROOT, "; membarriers per call %.2f vs %.2f%s", expedited, normal, each);
    }

    private static String us(double ns) {
        double us = ns / 1e3;
        return String.format(Locale.ROOT, us >= 100 ? "%.0f" : us >= 1 ? "%.2f" : "%.3f", us);
    }

    private static OptionalDouble number(Map<String, String> values, String key) {
        OptionalDouble v = Lifecycle.number(values, key);
        return v.isPresent() ? finite(v.getAsDouble()) : v;
    }

    private static OptionalDouble finite(double v) {
        return Double.isFinite(v) && v > 0 ? OptionalDouble.of(v) : OptionalDouble.empty();
    }
}
