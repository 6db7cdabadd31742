// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportChartsTest {

    @TempDir
    Path dir;

    private static Measurement pair(String impl, int threads, ThreadKind kind, double ns) {
        return new Measurement(Results.READ_PAIR, Map.of("impl", impl), threads, kind, ns, ns / 20, "ns/op");
    }

    private static Results results(Measurement... extra) {
        List<Measurement> all = new ArrayList<>(List.of(
                pair("NATIVE_DIRECT", 1, ThreadKind.PLATFORM, 2.5),
                pair("NATIVE_DIRECT", 2, ThreadKind.PLATFORM, 2.7),
                pair("FULL_FENCE", 1, ThreadKind.PLATFORM, 2.0),
                pair("FULL_FENCE", 2, ThreadKind.PLATFORM, 2.1),
                pair("RWLOCK", 1, ThreadKind.PLATFORM, 20.0),
                pair("RWLOCK", 2, ThreadKind.PLATFORM, 120.0),
                // Not measured: left out of the charts, not drawn as zero.
                pair("JAVA", 2, ThreadKind.PLATFORM, Double.NaN),
                pair("NATIVE_DIRECT", 1, ThreadKind.VIRTUAL, 5.0),
                new Measurement("DeferralBenchmark.handOver", Map.of("impl", "CALL_SRCU"), 1,
                        ThreadKind.PLATFORM, 30.0, Double.NaN, "ns/op"),
                new Measurement("DeferralBenchmark.handOver", Map.of("impl", "DEFER"), 1,
                        ThreadKind.PLATFORM, 12.0, 1.0, "ns/op"),
                // A benchmark this class does not know: charted from its params and unit alone.
                new Measurement(Results.GRACE_PERIOD, Map.of("path", "java", "readers", "2"), 2,
                        ThreadKind.VIRTUAL, 40.0, 4.0, "us/op"),
                new Measurement(Results.GRACE_PERIOD, Map.of("path", "native-direct", "readers", "0"),
                        1, ThreadKind.PLATFORM, 0.5, 0.1, "us/op")));
        all.addAll(List.of(extra));
        return new Results(all, List.of("os/arch Linux"), new NativeResults(null, List.of(), "not run"), List.of());
    }

    @Test
    void planHasTheReadPairChartsAndOnePerOtherBenchmark() {
        List<String> files = ReportCharts.plan(results()).stream().map(ReportCharts.Chart::file).toList();
        assertEquals(List.of("read-pair-platform.png", "read-pair-virtual.png", "read-pair-threads.png",
                "deferral-hand-over.png", "grace-period-grace-period.png"), files);
    }

    @Test
    void aBenchmarkWithTwoUnitsGetsAChartPerUnit() {
        Results r = results(new Measurement(Results.GRACE_PERIOD, Map.of(), 1,
                ThreadKind.PLATFORM, 3.0, 0.1, "ops/us"));
        List<String> files = ReportCharts.plan(r).stream().map(ReportCharts.Chart::file).toList();
        assertTrue(files.contains("grace-period-grace-period-us-op.png"), files.toString());
        assertTrue(files.contains("grace-period-grace-period-ops-us.png"), files.toString());
    }

    @Test
    void labelsAndFileNames() {
        Measurement java = new Measurement("B.m", Map.of("readers", "2", "path", "java"), 1, ThreadKind.PLATFORM, 1, 0,
                "ns/op");
        Measurement idle = new Measurement("B.m", Map.of("readers", "0", "path", "java"), 1, ThreadKind.PLATFORM, 1, 0,
                "ns/op");
        assertEquals("path=java, readers=2", ReportCharts.paramsLabel(java, Set.of("path", "readers")));
        // A parameter every bar shares is left out of the labels.
        assertEquals(Set.of("readers"), ReportCharts.varyingParams(List.of(java, idle)));
        assertEquals("readers=2", ReportCharts.paramsLabel(java, ReportCharts.varyingParams(List.of(java, idle))));
        assertEquals("(one configuration)", ReportCharts.paramsLabel(
                new Measurement("B.m", Map.of(), 1, ThreadKind.PLATFORM, 1, 0, "ns/op"), Set.of()));
        assertEquals("1 thread", ReportCharts.threadsLabel(1, ThreadKind.PLATFORM));
        assertEquals("4 virtual threads", ReportCharts.threadsLabel(4, ThreadKind.VIRTUAL));
        assertEquals("read-mostly-lookup", ReportCharts.fileStem("ReadMostlyBenchmark.lookup"));
    }

    @Test
    void reportWritesEveryChartAndReportMdLinksExactlyThoseFiles() throws IOException {
        List<String> written = ReportFiles.write(dir, results(), warnings());
        String md = Files.readString(dir.resolve("report.md"));
        List<String> linked = images(md);
        assertEquals(5, linked.size(), md);
        for (String file : linked) {
            ChartsTest.assertPng(dir.resolve(file));
            assertTrue(written.contains(dir.resolve(file).toString()), written.toString());
        }
        // Each chart sits under its own table.
        int platform = md.indexOf("## " + ReportFiles.readPairHeading(ThreadKind.PLATFORM));
        int virtual = md.indexOf("## " + ReportFiles.readPairHeading(ThreadKind.VIRTUAL));
        int other = md.indexOf("## " + Results.GRACE_PERIOD_TITLE);
        assertTrue(platform < md.indexOf("(read-pair-threads.png)") && md.indexOf("(read-pair-threads.png)") < virtual, md);
        assertTrue(virtual < md.indexOf("(read-pair-virtual.png)") && md.indexOf("(read-pair-virtual.png)") < other, md);
        assertTrue(other < md.indexOf("(grace-period-grace-period.png)"), md);
    }

    @Test
    void aChartThatFailsIsAWarningAndTheRestIsWritten() throws IOException {
        // A directory where the chart's file should go: that one chart cannot be written.
        Files.createDirectory(dir.resolve("read-pair-virtual.png"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> written = ReportFiles.write(dir, results(), new PrintStream(err, true, StandardCharsets.UTF_8));
        String warning = err.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("warning: chart read-pair-virtual.png not written: cannot write chart"), warning);
        String md = Files.readString(dir.resolve("report.md"));
        assertFalse(md.contains("read-pair-virtual.png"), md);
        assertEquals(4, images(md).size(), md);
        assertTrue(Files.isRegularFile(dir.resolve("summary.json")));
        assertFalse(written.contains(dir.resolve("read-pair-virtual.png").toString()), written.toString());
    }

    @Test
    void noMeasurementsNoCharts() throws IOException {
        Results none = new Results(List.of(), List.of(), new NativeResults(null, List.of(), "not run"), List.of());
        assertEquals(List.of(), ReportCharts.plan(none));
        ReportFiles.write(dir, none, warnings());
        assertEquals(List.of(), images(Files.readString(dir.resolve("report.md"))));
    }

    private static List<String> images(String md) {
        List<String> files = new ArrayList<>();
        Matcher m = Pattern.compile("!\\[[^\\]]+\\]\\(([^)]+)\\)").matcher(md);
        while (m.find()) {
            files.add(m.group(1));
        }
        return files;
    }

    private static PrintStream warnings() {
        return new PrintStream(PrintStream.nullOutputStream());
    }
}
