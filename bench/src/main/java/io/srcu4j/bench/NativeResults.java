// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code make bench-native} left in the report folder: its table as printed
 * ({@code native.txt}) and its figures ({@code native.json}, an array of flat objects that
 * bench_native.c writes: strings and numbers only, no nesting, so two patterns read it).
 *
 * @param table   the printed table; null when the C benchmarks did not run
 * @param rows    the figures; empty when there are none
 * @param missing why there is nothing, or null
 */
record NativeResults(String table, List<Row> rows, String missing) {

    /**
     * One figure: the row's name, whose it is (srcu4j, urcu, baseline), what ran, median ns; and
     * for the rows that time a hand-over (bench_defer.c's), the median ns until the last enqueue
     * returned, per item, and the median of the enqueuers' own CPU time per call (NaN for the
     * others).
     */
    record Row(String name, String impl, String what, double nsPerOp, double enqueueNsPerOp,
            double enqueueCpuNsPerCall) {
        Row(String name, String impl, String what, double nsPerOp) {
            this(name, impl, what, nsPerOp, Double.NaN);
        }

        Row(String name, String impl, String what, double nsPerOp, double enqueueNsPerOp) {
            this(name, impl, what, nsPerOp, enqueueNsPerOp, Double.NaN);
        }
    }

    /** The row of {@code impl} named {@code name}, if there is one. */
    Optional<Row> row(String name, String impl) {
        return rows.stream().filter(r -> r.name().equals(name) && r.impl().equals(impl)).findFirst();
    }

    private static final Pattern OBJECT = Pattern.compile("\\{([^{}]*)\\}");
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[-+0-9.eE]+)");

    static NativeResults read(Path reportDir) {
        Path json = reportDir.resolve("native.json");
        Path text = reportDir.resolve("native.txt");
        if (!Files.isReadable(json)) {
            return new NativeResults(null, List.of(), "no " + json + ": the C benchmarks did not run"
                    + " (make run and make bench run them first)");
        }
        try {
            String table = Files.isReadable(text) ? Files.readString(text) : null;
            return new NativeResults(table, parse(Files.readString(json)), null);
        } catch (IOException | RuntimeException e) {
            return new NativeResults(null, List.of(), json + " could not be read: " + RunReport.describe(e));
        }
    }

    static List<Row> parse(String json) {
        List<Row> rows = new ArrayList<>();
        Matcher object = OBJECT.matcher(json);
        while (object.find()) {
            String name = null;
            String impl = "";
            String what = "";
            double ns = Double.NaN;
            double enqueue = Double.NaN;
            double enqueueCpu = Double.NaN;
            Matcher field = FIELD.matcher(object.group(1));
            while (field.find()) {
                String value = field.group(3) != null ? field.group(3) : field.group(2);
                switch (field.group(1)) {
                    case "name" -> name = value;
                    case "impl" -> impl = value;
                    case "what" -> what = value;
                    case "ns_per_op" -> ns = Double.parseDouble(value);
                    case "enqueue_ns_per_op" -> enqueue = Double.parseDouble(value);
                    case "enqueue_cpu_ns_per_call" -> enqueueCpu = Double.parseDouble(value);
                    default -> { }
                }
            }
            if (name != null) {
                rows.add(new Row(name, impl, what, ns, enqueue, enqueueCpu));
            }
        }
        return rows;
    }
}
