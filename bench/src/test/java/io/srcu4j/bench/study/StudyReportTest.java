// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyReportTest {

    @TempDir
    Path dir;

    /** What the C probes print on the two-CPU VM, one line or so per study, and the Java rows. */
    static StudyResults twoCpuRun() {
        List<Row> rows = new ArrayList<>();
        for (String line : List.of(
                "fig study=c2c key=cas/0/1 unit=ns reps=210,212,215,5000,211 others=3 placed=1 a=0 b=1 label=cas",
                "fig study=c2c key=store_load/0/1 unit=ns reps=100,101,99 others=40 placed=1 a=0 b=1 label=store_load",
                "fig study=fences key=x86_lock_add/uncontended unit=ns reps=2,2.1,1.9 others=1 placed=1 label=lock add",
                "fig study=fences key=x86_lock_add/shared unit=ns reps=10,11,9 others=1 placed=1 label=lock add",
                "fig study=fences key=a64_ldadd/uncontended unit=ns reps= others=0 placed=1 why=aarch64_only label=ldadd",
                "fig study=percpu key=rseq_add/uncontended unit=ns reps=0.6,0.7 others=0 placed=1 label=rseq add",
                "fig study=rseq key=aborts/signals unit=per_million reps=2,1.8,2.2 others=0 placed=1 sections=600000000"
                        + " aborts=1200 events=3000 event=signals exact=1 label=a signal every 20 us",
                "fig study=rseq key=abort_cost unit=ns reps=40,42,39 others=0 placed=1 restarted_chunks=300"
                        + " clean_chunks=2000 chunk=64 label=extra time",
                "fig study=membarrier key=running/0 unit=ns reps=400,410 others=0 placed=1 label=running, 0",
                "fig study=membarrier key=running/2 unit=ns reps=9000,8800 others=0 placed=1 label=running, 2",
                "fig study=membarrier key=sleeping/2 unit=ns reps=500,510 others=0 placed=1 label=sleeping, 2",
                "fig study=membarrier key=cpus/1 unit=ns reps=8000,8100 others=0 placed=0 label=cpus, 1",
                "fig study=placement key=gp/classic/expedited/0/1 unit=ns reps=700,690,nan others=0 placed=1 label=expedited",
                "fig study=placement key=read/classic/alone/0/1 unit=ns reps=3.5,3.6 others=0 placed=1 label=read")) {
            rows.add(Row.of(ProbeRecord.parse(line)));
        }
        rows.add(new Row("c2c", "cas/0/1", "Java", "CAS ping-pong", "ns", List.of(230.0, 231.0, 229.0), 0, true,
                Map.of(), ""));
        rows.add(new Row("fences", "inc_full_fence/uncontended", "Java", "increment + VarHandle.fullFence()", "ns",
                List.of(2.0, 2.2), 0, true, Map.of(), ""));
        return new StudyResults(List.of("os/arch     Linux 6.18 amd64"), TestLayouts.twoCpuVm(), StudyMode.DEFAULT,
                Map.of("description", "every pair of allowed CPUs: 1", "total_pairs", 1L), Map.of("rseq_mode", "glibc"),
                rows, List.of(), 42);
    }

    @Test
    void theFilesAreWrittenWithEveryStudyAndWhatTheMachineLacks() throws IOException {
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        List<String> files = StudyReport.write(dir, twoCpuRun(), new PrintStream(warnings, true, StandardCharsets.UTF_8));
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "every chart drawn");
        for (String f : List.of("study.md", "study.json", "c2c-heatmap-c-cas.png", "c2c-heatmap-java-cas.png",
                "c2c-distances.png", "fences.png", "rseq-aborts.png", "membarrier-threads.png", "membarrier-cpus.png",
                "placement.png")) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
            assertTrue(files.contains(dir.resolve(f).toString()), f);
        }
        String md = Files.readString(dir.resolve("study.md"));
        for (String heading : List.of("## 1. Core-to-core latency", "## 2. Fences and atomics", "### Per-CPU increments",
                "## 3. rseq aborts", "## 4. membarrier(PRIVATE_EXPEDITED)", "## 5. SRCU placement",
                "## Against published figures")) {
            assertTrue(md.contains(heading), heading);
        }
        assertTrue(md.contains("- SMT: one hardware thread per core"), md);
        assertTrue(md.contains("- cache topology: the kernel lists no caches"), md);
        assertTrue(md.contains("- a second NUMA node"), md);
        assertTrue(md.contains("| other core, LLC unknown | 212.0 (210.0-5000), 1 pair | 100.0 (99.0-101.0) L, 1 pair"
                + " | 230.0 (229.0-231.0), 1 pair |  |"), "one pair: its median and spread; L for the row measured while"
                + " others took 40 %, none at 3 %:\n" + md);
        assertTrue(md.contains("| 0 / 1 | other core, LLC unknown | 212.0 (210.0-5000) | 100.0 (99.0-101.0) L |"), md);
        assertTrue(md.contains("| ldadd | C | n/a |  | not run: aarch64 only |"), "the aarch64 row says why it did not run");
        assertTrue(md.contains("| a signal every 20 us | 2.00 (1.80-2.20) | 1200 | 600000000 | 3000 signals | 0.40 | yes |"),
                md);
        assertTrue(md.contains("8050 (8000-8100) P"), "the off-CPU mark");
        assertTrue(md.contains("chunks of 64 sections") && md.contains("took 40.0 (39.0-42.0) ns longer")
                && md.contains("300 restarted and 2000 other signalled chunks"), md);
        assertTrue(md.contains("![Core-to-core latency, C, CAS: 2 CPUs, 1 pair measured](c2c-heatmap-c-cas.png)"), md);
        assertTrue(md.contains("Java / C, the median over pairs of the ratio of their medians: CAS 1.08x, store/load n/a"), md);
    }

    @Test
    void everyFigureInStudyJsonCarriesItsUnit() throws IOException {
        StudyReport.write(dir, twoCpuRun(), System.err);
        String json = Files.readString(dir.resolve("study.json"));
        int figures = count(json, "\"key\": ");
        assertEquals(twoCpuRun().rows().size(), figures);
        Matcher m = Pattern.compile("\"key\": \"[^\"]*\",\\s*\"from\": \"(C|Java)\",\\s*\"what\": \"[^\"]*\",\\s*"
                + "\"unit\": \"(ns|per million sections)\"").matcher(json);
        int withUnit = 0;
        while (m.find()) {
            withUnit++;
        }
        assertEquals(figures, withUnit, "each figure: key, from, what, unit");
        assertTrue(json.contains("\"lacks\": [\n"), json);
        assertTrue(json.contains("\"distances_present\": [\n    \"llc_unknown\"\n  ]"), json);
        assertTrue(json.contains("\"java_over_c\": {"), json);
        assertTrue(json.contains("\"reps\": [700, 690, null]"), "a repetition that measured nothing is null");
        assertTrue(json.contains("\"not_measured\": \"aarch64 only\""), json);
        assertFalse(json.contains("NaN"), "no NaN in JSON");
        assertEquals(count(json, "{"), count(json, "}"));
        assertEquals(count(json, "["), count(json, "]"));
    }

    @Test
    void theSummarySaysWhatRanAndWhatIsMissing() {
        List<String> summary = StudyReport.summary(twoCpuRun());
        String text = String.join("\n", summary);
        assertTrue(text.contains("core-to-core, C, CAS, one way: other core, LLC unknown 212.0 ns (1 pair)"), text);
        assertTrue(text.contains("rseq aborts per million sections: signals 2.00"), text);
        assertTrue(text.contains("one rseq abort costs about 40.0 ns"), text);
        assertTrue(text.contains("this machine lacks: SMT"), text);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
