// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A part of the report that runs in a JVM of its own: starts it, waits, says what went wrong. */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * The command that runs {@code main} with {@code args} in a JVM like this one: this JVM's java,
     * its flags and the benchmark forks' ({@link RunReport#forkedJvmArgs()}), then {@code jvmArgs},
     * and this JVM's class path.
     */
    static List<String> javaCommand(List<String> jvmArgs, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of(RunReport.forkedJvmArgs()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        return command;
    }

    /**
     * Runs {@code command} with its output in {@code stdout} and {@code stderr}; null when it
     * exited with status 0, else why not ({@code name} and the status, or that it ran past
     * {@code timeoutSeconds} and was stopped).
     */
    static String run(List<String> command, Path stdout, Path stderr, long timeoutSeconds, String name)
            throws IOException {
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return name + " ran past " + timeoutSeconds + " s and was stopped";
            }
            return process.exitValue() == 0 ? null : name + " exited with status " + process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return name + " interrupted";
        }
    }
}
