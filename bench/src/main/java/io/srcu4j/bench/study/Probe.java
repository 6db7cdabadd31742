// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the C probe program (native/study, {@code s4j_study}) one probe at a time and reads its
 * records. The probe's progress lines (its stderr) go straight to the console; its records are
 * also appended, as printed, to a raw file beside the report.
 */
final class Probe {

    /** What one probe run gave: its records, the facts it printed, and what went wrong if anything. */
    record Output(List<ProbeRecord> figures, Map<String, String> info, String failure) {

        boolean failed() {
            return failure != null;
        }
    }

    private final Path binary;
    private final boolean full;
    private final Path raw;
    private final long timeoutSeconds;

    /**
     * @param binary  the s4j_study program
     * @param full    pass --full to every probe
     * @param raw     the file each probe's stdout is appended to
     */
    Probe(Path binary, boolean full, Path raw) {
        this.binary = binary;
        this.full = full;
        this.raw = raw;
        this.timeoutSeconds = full ? 3600 : 600;
    }

    /** Runs {@code probe} with {@code args}; never throws for what the probe does wrong. */
    Output run(String probe, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), probe));
        command.addAll(List.of(args));
        if (full) {
            command.add("--full");
        }
        List<ProbeRecord> figures = new ArrayList<>();
        Map<String, String> info = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            return new Output(figures, info, "cannot run " + binary + ": " + e.getMessage());
        }
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintStream copy = new PrintStream(Files.newOutputStream(raw, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
            copy.println("# " + String.join(" ", command));
            for (String line; (line = out.readLine()) != null;) {
                copy.println(line);
                try {
                    if (line.startsWith("fig ")) {
                        figures.add(ProbeRecord.parse(line));
                    } else if (line.startsWith("info ")) {
                        info.putAll(ProbeRecord.parseInfo(line));
                    }
                } catch (IllegalArgumentException e) {
                    bad.add(e.getMessage());
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Output(figures, info, probe + " did not end within " + timeoutSeconds + " s");
            }
        } catch (IOException e) {
            p.destroyForcibly();
            return new Output(figures, info, probe + ": reading its output failed: " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Output(figures, info, probe + " was interrupted");
        }
        if (p.exitValue() != 0) {
            return new Output(figures, info, probe + " exited with status " + p.exitValue() + " (its message is above)");
        }
        if (!bad.isEmpty()) {
            return new Output(figures, info, probe + " printed lines that do not parse: " + bad.getFirst());
        }
        return new Output(figures, info, null);
    }
}
