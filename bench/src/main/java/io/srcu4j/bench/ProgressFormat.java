// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * A compact replacement for JMH's console output: one line per benchmark with its score, plus
 * whatever JMH prints as plain text (failures with their stack traces, forked-VM output, warnings).
 * The per-iteration lines and the run header are left out; the JSON file keeps every number.
 */
final class ProgressFormat implements OutputFormat {

    private final PrintStream out;
    private final int total;
    private int started;
    /** True while a "running ..." line waits for its result on the same line. */
    private boolean lineOpen;

    /**
     * @param out   where to print
     * @param total number of benchmarks the whole report will run, for the "[n/total]" counter
     */
    ProgressFormat(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        closeLine();
        started++;
        StringBuilder chosen = new StringBuilder();
        for (String key : params.getParamsKeys()) {
            chosen.append(' ').append(key).append('=').append(params.getParam(key));
        }
        out.printf(Locale.ROOT, "  [%d/%d] %s%s threads=%d %s ... ", started, total,
                shortName(params.getBenchmark()), chosen, params.getThreads(),
                ThreadKind.of(params.getJvmArgs()).label);
        out.flush();
        lineOpen = true;
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        if (result == null) {
            closeLine();
            return;
        }
        Result<?> primary = result.getPrimaryResult();
        String error = Double.isNaN(primary.getScoreError()) ? ""
                : String.format(Locale.ROOT, " ± %.2f", primary.getScoreError());
        String text = String.format(Locale.ROOT, "%.2f%s %s", primary.getScore(), error,
                primary.getScoreUnit());
        if (lineOpen) {
            out.println(text);
            lineOpen = false;
        } else {
            out.println("  -> " + text);
        }
        out.flush();
    }

    @Override
    public void iteration(BenchmarkParams params, IterationParams iteration, int index) {
    }

    @Override
    public void iterationResult(BenchmarkParams params, IterationParams iteration, int index,
            IterationResult result) {
    }

    @Override
    public void startRun() {
    }

    @Override
    public void endRun(Collection<RunResult> results) {
        closeLine();
    }

    @Override
    public void print(String text) {
        if (!text.isBlank()) {
            closeLine();
            out.print(text);
        }
    }

    @Override
    public void println(String text) {
        // JMH separates its blocks with empty lines, and its own progress lines repeat what the
        // "[n/total]" line says; failures, warnings and forked-VM output still come through.
        if (!text.isBlank() && !isJmhProgress(text)) {
            closeLine();
            out.println(text);
        }
    }

    @Override
    public void verbosePrintln(String text) {
    }

    @Override
    public void write(int b) {
        closeLine();
        out.write(b);
    }

    @Override
    public void write(byte[] b) {
        closeLine();
        out.write(b, 0, b.length);
    }

    @Override
    public void flush() {
        out.flush();
    }

    /** Called by each forked VM as it finishes, before its result arrives: only flushes. */
    @Override
    public void close() {
        out.flush();
    }

    /** Ends the last line; call once after the last run. */
    void finish() {
        closeLine();
        out.flush();
    }

    private void closeLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    private static boolean isJmhProgress(String text) {
        return text.startsWith("# Run progress:") || text.startsWith("# Fork:")
                || text.startsWith("# Run complete.");
    }

    private static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = method > 0 ? benchmark.lastIndexOf('.', method - 1) : -1;
        return benchmark.substring(type + 1);
    }
}
