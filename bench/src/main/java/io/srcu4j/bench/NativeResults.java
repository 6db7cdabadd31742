// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
     * returned, per item (NaN for the others). {@code numbers}: every numeric field of the row by
     * its name, those two included.
     */
    record Row(String name, String impl, String what, double nsPerOp, double enqueueNsPerOp,
            Map<String, Double> numbers) {
        Row {
            numbers = Map.copyOf(numbers);
        }

        Row(String name, String impl, String what, double nsPerOp, double enqueueNsPerOp) {
            this(name, impl, what, nsPerOp, enqueueNsPerOp, Map.of());
        }

        Row(String name, String impl, String what, double nsPerOp) {
            this(name, impl, what, nsPerOp, Double.NaN);
        }

        /** A numeric field of the row; NaN when it has none of that name. */
        double number(String field) {
            return numbers.getOrDefault(field, Double.NaN);
        }

        /** The median of the enqueuers' own CPU time per call (bench_defer.c's rows); NaN for the others. */
        double enqueueCpuNsPerCall() {
            return number("enqueue_cpu_ns_per_call");
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
            Map<String, Double> numbers = new HashMap<>();
            Matcher field = FIELD.matcher(object.group(1));
            while (field.find()) {
                String value = field.group(3) != null ? field.group(3) : field.group(2);
                switch (field.group(1)) {
                    case "name" -> name = value;
                    case "impl" -> impl = value;
                    case "what" -> what = value;
                    default -> {
                        if (field.group(3) == null) {
                            numbers.put(field.group(1), Double.parseDouble(value));
                        }
                    }
                }
            }
            if (name != null) {
                rows.add(new Row(name, impl, what, numbers.getOrDefault("ns_per_op", Double.NaN),
                        numbers.getOrDefault("enqueue_ns_per_op", Double.NaN), numbers));
            }
        }
        return rows;
    }
}
