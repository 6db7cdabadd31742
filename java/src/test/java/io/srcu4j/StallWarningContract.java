// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.Srcu4jProperties;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stall warnings: a wait held up past the threshold by a reader logs one warning per threshold
 * and domain, naming the domain, the call and the readers; in debug mode (a JVM of its own,
 * {@link StallProbe}) also the stalled reader's thread and where its section began. Every path.
 */
abstract class StallWarningContract extends ObservedDomainSupport {

    private static final Duration THRESHOLD = Duration.ofMillis(300);

    @Test
    void aReaderHeldPastTheThresholdGivesOneWarningInTheFirstInterval() throws Exception {
        String name = uniqueName("stalled");
        String quoted = "\"" + name + "\"";
        try (LogCapture log = new LogCapture()) {
            Srcu d = build(Srcu.builder().name(name).stallTimeout(THRESHOLD));
            HeldDomainReader reader = holdReaderOf(d);
            long began = System.nanoTime();
            // Two waiters on one stall share the domain's warnings.
            Thread first = start("stalled-waiter-1", d::synchronize);
            Thread second = start("stalled-waiter-2", d::synchronizeExpedited);
            awaitTrue(() -> !log.warningsWith(quoted).isEmpty(), "no stall warning for " + name);
            long warnedAfter = System.nanoTime() - began;
            reader.release();
            first.join();
            second.join();

            List<String> warnings = log.warningsWith(quoted);
            assertEquals(1, warnings.size(), String.join("\n", warnings));
            assertTrue(warnedAfter >= THRESHOLD.toNanos(), "warned after " + warnedAfter + " ns, before the threshold");
            String w = warnings.getFirst();
            assertTrue(w.contains("stall on domain " + quoted), w);
            assertTrue(w.contains("synchronize") && w.contains("for a grace period"), w);
            assertTrue(w.contains("1 read section open"), w);
            assertTrue(w.contains(Srcu4jProperties.DEBUG_SECTIONS + "=true"), "no hint at debug mode: " + w);
            assertEquals(1, d.stats().stallWarnings());
        }
    }

    /** Nobody waits: the worker's own grace period, for a callback, is watched too. */
    @Test
    void aCallbackHeldUpPastTheThresholdIsWarnedAboutWithoutAWaiter() throws Exception {
        String name = uniqueName("stalled-callback");
        String quoted = "\"" + name + "\"";
        try (LogCapture log = new LogCapture()) {
            Srcu d = build(Srcu.builder().name(name).stallTimeout(THRESHOLD));
            HeldDomainReader reader = holdReaderOf(d);
            long began = System.nanoTime();
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            d.callSrcu(ran::countDown);
            awaitTrue(() -> !log.warningsWith(quoted).isEmpty(), "no stall warning for " + name);
            long warnedAfter = System.nanoTime() - began;
            assertEquals(1, ran.getCount(), "the callback ran with the reader inside");
            reader.release();
            assertTrue(ran.await(10, TimeUnit.SECONDS), "the callback never ran");
            String w = log.warningsWith(quoted).getFirst();
            assertTrue(warnedAfter >= THRESHOLD.toNanos(), "warned after " + warnedAfter + " ns, before the threshold");
            assertTrue(w.contains("callSrcu") && w.contains("for a grace period"), w);
            assertTrue(w.contains("1 read section open"), w);
            assertTrue(d.stats().stallWarnings() >= 1);
        }
    }

    @Test
    void zeroTurnsWarningsOffAndThePropertySetsTheThresholdOfDomainsThatSetNone() throws Exception {
        String off = uniqueName("quiet");
        String byProperty = uniqueName("by-property");
        try (LogCapture log = new LogCapture()) {
            System.setProperty(Srcu4jProperties.STALL_TIMEOUT, "50");
            Srcu quiet;
            Srcu loud;
            try {
                quiet = build(Srcu.builder().name(off).stallTimeout(Duration.ZERO));
                loud = build(Srcu.builder().name(byProperty));
            } finally {
                System.clearProperty(Srcu4jProperties.STALL_TIMEOUT);
            }
            for (Srcu d : List.of(quiet, loud)) {
                HeldDomainReader reader = holdReaderOf(d);
                start("timed-waiter", () -> assertFalse(d.synchronize(Duration.ofMillis(250)))).join();
                reader.release();
            }
            assertEquals(List.of(), log.warningsWith("\"" + off + "\""));
            assertEquals(0, quiet.stats().stallWarnings());
            assertFalse(log.warningsWith("\"" + byProperty + "\"").isEmpty(),
                    "50 ms from the property gave no warning");
            assertTrue(loud.stats().stallWarnings() >= 1);
        }
    }

    @Test
    void inDebugModeTheWarningNamesTheStalledReaderAndWhereItsSectionBegan() throws Exception {
        Path out = Files.createTempFile("srcu4j-stall-probe-", ".out");
        Path err = Files.createTempFile("srcu4j-stall-probe-", ".err");
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-D" + Srcu4jProperties.DEBUG_SECTIONS + "=true",
                    "-cp", System.getProperty("java.class.path"), StallProbe.class.getName(), path().propertyName())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String all = stdout + "\n--- stderr ---\n" + Files.readString(err, StandardCharsets.UTF_8);
            assertTrue(ended, "the probe JVM did not finish:\n" + all);
            assertEquals(0, p.exitValue(), all);
            assertTrue(stdout.contains("WARNINGS 1\n"), all);
            String warning = stdout.substring(stdout.indexOf("BEGIN\n"), stdout.indexOf("END\n"));
            assertTrue(warning.contains("stall on domain \"" + StallProbe.DOMAIN + "\""), warning);
            assertTrue(warning.contains("thread \"" + StallProbe.STUCK_READER + "\""), warning);
            assertTrue(warning.contains("at " + StallProbe.class.getName() + ".holdSectionUntilReleased("), warning);
            assertFalse(warning.contains(StallProbe.LATE_READER),
                    "a section begun after the wait is listed: " + warning);
            assertFalse(warning.contains(Srcu4jProperties.DEBUG_SECTIONS + "=true"), warning);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
