// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A part of the report that runs in a JVM of its own: starts it, waits, says what went wrong. */
final class ChildJvm {

    private ChildJvm() {
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
