// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** The files a report run leaves beside jmh.json: report.md, summary.json and the PNG charts. */
final class ReportFiles {

    private ReportFiles() {
    }

    /**
     * Writes the files and returns their paths. A chart that cannot be drawn is reported on
     * {@code warnings} and left out of report.md; the other files are written all the same.
     */
    static List<String> write(Path dir, Results results, PrintStream warnings) throws IOException {
        List<String> written = new ArrayList<>();
        // Charts first: report.md links only the ones that exist.
        List<ReportCharts.Chart> charts = ReportCharts.write(dir, results, warnings);
        Path md = dir.resolve("report.md");
        Files.writeString(md, markdown(results, charts), StandardCharsets.UTF_8);
        written.add(md.toString());
        Path summary = dir.resolve("summary.json");
        Files.writeString(summary, summaryJson(results), StandardCharsets.UTF_8);
        written.add(summary.toString());
        charts.forEach(c -> written.add(dir.resolve(c.file()).toString()));
        return written;
    }

    static String readPairHeading(ThreadKind kind) {
        return "Read lock/unlock pair, " + kind.label + " threads";
    }

    static String markdown(Results r, List<ReportCharts.Chart> charts) {
        StringBuilder md = new StringBuilder("# srcu4j benchmark report\n\n## Machine\n\n```\n");
        r.machine().forEach(line -> md.append(line).append('\n'));
        md.append("```\n\n## Headline\n\n| figure | value | ratio | compared with | aim |\n|---|---|---|---|---|\n");
        for (Results.Headline h : r.headlines()) {
            md.append("| ").append(h.what()).append(" | ").append(Results.fmt(h.value(), " " + h.unit()))
                    .append(" | ").append(Results.fmt(h.ratio(), "x")).append(" | ").append(h.comparedWith())
                    .append(" | ").append(h.aim()).append(" |\n");
        }
        md.append("\n").append(Results.AIM_RATIOS).append(".\n");
        for (ThreadKind kind : ThreadKind.values()) {
            md.append("\n## ").append(readPairHeading(kind)).append("\n\n")
                    .append(r.readPairTable(kind).markdown());
            images(md, charts, readPairHeading(kind));
        }
        for (Results.Section section : r.sections()) {
            if (!section.isEmpty()) {
                md.append("\n## ").append(section.title()).append("\n\n");
                if (!section.note().isEmpty()) {
                    md.append(section.note()).append(".\n\n");
                }
                md.append(MarkdownTable.of(section.cells()));
                images(md, charts, section.title());
            }
        }
        md.append("\n## ").append(CallSrcuVsC.TITLE).append("\n\n")
                .append(MarkdownTable.of(Figure.cells(r.callSrcuVsC())));
        if (!r.threadScale().isEmpty()) {
            md.append("\n## ").append(ThreadScale.TITLE).append("\n\n")
                    .append(MarkdownTable.of(Figure.cells(r.threadScaleFigures()))).append('\n')
                    .append(ThreadScale.NOTE).append(".\n");
        }
        md.append("\n## ").append(ExpeditedVsNormal.TITLE).append("\n\n")
                .append(MarkdownTable.of(Figure.cells(r.expeditedFigures()))).append('\n')
                .append(ExpeditedVsNormal.NOTE).append(".\n");
        if (!r.lifecycle().isEmpty()) {
            md.append("\n## ").append(Results.LIFECYCLE_TITLE).append("\n\n")
                    .append(MarkdownTable.of(Figure.cells(r.lifecycleFigures()))).append('\n')
                    .append(Results.LIFECYCLE_NOTE).append(".\n");
        }
        md.append("\n## C benchmarks (libsrcu4j side by side with liburcu)\n\n");
        NativeResults nat = r.nativeResults();
        if (nat.missing() != null) {
            md.append(nat.missing()).append('\n');
        } else if (nat.table() != null) {
            md.append("```\n").append(nat.table().strip()).append("\n```\n");
        }
        if (!r.failures().isEmpty()) {
            md.append("\n## Failed\n\n");
            r.failures().forEach(f -> md.append("- ").append(f).append('\n'));
        }
        return md.toString();
    }

    /** The charts that go under {@code heading}, as Markdown images. */
    private static void images(StringBuilder md, List<ReportCharts.Chart> charts, String heading) {
        for (ReportCharts.Chart c : charts) {
            if (c.heading().equals(heading)) {
                md.append("\n![").append(c.title()).append("](").append(c.file()).append(")\n");
            }
        }
    }

    static String summaryJson(Results r) {
        Map<String, Object> top = new LinkedHashMap<>();
        Map<String, Object> perPath = new LinkedHashMap<>();
        Map<String, Object> perPath2t = new LinkedHashMap<>();
        Map<String, Object> perPathVirtual = new LinkedHashMap<>();
        for (ReadPairBenchmark.Impl impl : ReadPairBenchmark.Impl.values()) {
            if (impl.isSrcu()) {
                perPath.put(impl.path, r.readPair(impl.name(), 1, ThreadKind.PLATFORM));
                perPath2t.put(impl.path, r.readPair(impl.name(), 2, ThreadKind.PLATFORM));
                perPathVirtual.put(impl.path, r.readPair(impl.name(), 1, ThreadKind.VIRTUAL));
            }
        }
        top.put("default_path", BenchPaths.defaultPath());
        top.put("read_pair_ns", perPath);
        top.put("read_pair_2t_ns", perPath2t);
        top.put("read_pair_virtual_ns", perPathVirtual);
        top.put("fullfence_ns", r.readPair(Results.BASELINE, 1, ThreadKind.PLATFORM));
        top.put("longadder_read_pair_ns", r.readPair("LONG_ADDER", 1, ThreadKind.PLATFORM));
        top.put("empty_downcall_pair_ns", r.readPair("EMPTY_DOWNCALL", 1, ThreadKind.PLATFORM));
        top.put("rwlock_read_pair_2t_ns", r.readPair("RWLOCK", 2, ThreadKind.PLATFORM));
        top.put("stamped_read_pair_2t_ns", r.readPair("STAMPED", 2, ThreadKind.PLATFORM));
        top.put("call_srcu_ns", r.score("DeferralBenchmark.handOver", "impl", "CALL_SRCU", 1, ThreadKind.PLATFORM));
        top.put("defer_ns", r.score("DeferralBenchmark.handOver", "impl", "DEFER", 1, ThreadKind.PLATFORM));
        String def = BenchPaths.defaultPath();
        top.put("synchronize_idle_ns", gracePeriod(r, "NORMAL", "IDLE", def));
        top.put("synchronize_expedited_idle_ns", gracePeriod(r, "EXPEDITED", "IDLE", def));
        top.put("synchronize_busy_ns", gracePeriod(r, "NORMAL", "BUSY", def));
        top.put("synchronize_expedited_busy_ns", gracePeriod(r, "EXPEDITED", "BUSY", def));
        Map<String, Object> readMostly = new LinkedHashMap<>();
        for (ReadMostlyBenchmark.Impl impl : ReadMostlyBenchmark.Impl.values()) {
            if (impl == ReadMostlyBenchmark.Impl.SRCU) {
                for (String path : BenchPaths.ALL) {
                    readMostly.put(impl.name() + "/" + path, r.readMostly(impl.name(), path));
                }
            } else {
                readMostly.put(impl.name(), r.readMostly(impl.name(), ""));
            }
        }
        top.put("read_mostly_ns", readMostly);
        top.put("read_mostly_torn_reads", r.tornReads());
        top.put("call_srcu_throughput_ns", r.score(Results.CALL_SRCU_THROUGHPUT, "path", def, 1, ThreadKind.PLATFORM));
        top.put("call_srcu_latency_ns", r.score(Results.CALL_SRCU_LATENCY, "path", def, 1, ThreadKind.PLATFORM));
        top.put("call_srcu_vs_c", Figure.summary(r.callSrcuVsC()));
        Map<String, List<Figure>> byPath = new LinkedHashMap<>();
        r.lifecycleFigures().forEach(f -> byPath.computeIfAbsent(f.group(), path -> new ArrayList<>()).add(f));
        Map<String, Object> lifecycle = new LinkedHashMap<>();
        byPath.forEach((path, figures) -> lifecycle.put(path, Figure.summary(figures)));
        top.put("lifecycle", lifecycle);
        top.put("read_pair_vs_fence_by_threads", Figure.summary(r.threadScaleFigures()));
        top.put("expedited_vs_normal", Figure.summary(r.expeditedFigures()));
        Map<String, Object> nat = new LinkedHashMap<>();
        for (NativeResults.Row row : r.nativeResults().rows()) {
            nat.put(row.name() + "/" + row.impl(), OptionalDouble.of(row.nsPerOp()));
        }
        top.put("native_ns", nat);
        top.put("failures", r.failures().size());
        return json(top, "") + "\n";
    }

    /** ns per grace period of one kind, readers and path, at the one updater thread. */
    private static OptionalDouble gracePeriod(Results r, String kind, String readers, String path) {
        return r.nanos(Results.GRACE_PERIOD, Map.of("kind", kind, "readers", readers, "path", path), 1,
                ThreadKind.PLATFORM);
    }

    /** A map of numbers, strings, OptionalDoubles (null when empty) and maps, as JSON text. */
    private static String json(Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return "{}";
            }
            StringBuilder out = new StringBuilder("{\n");
            String inner = indent + "  ";
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(inner).append(quote(e.getKey().toString())).append(": ")
                        .append(json(e.getValue(), inner)).append(++i < map.size() ? ",\n" : "\n");
            }
            return out.append(indent).append('}').toString();
        }
        if (value instanceof OptionalDouble d) {
            return d.isPresent() && Double.isFinite(d.getAsDouble())
                    ? String.format(Locale.ROOT, "%.3f", d.getAsDouble()) : "null";
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        return quote(String.valueOf(value));
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
