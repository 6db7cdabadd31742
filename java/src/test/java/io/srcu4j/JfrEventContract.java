// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JFR events {@code srcu4j.GracePeriod}, {@code srcu4j.CallbackBatch} and
 * {@code srcu4j.Stall}: recorded, with their fields, when a recording enables them; absent from
 * one that does not. Every path.
 */
abstract class JfrEventContract extends ObservedDomainSupport {

    private static final List<String> EVENTS = List.of("srcu4j.GracePeriod", "srcu4j.CallbackBatch", "srcu4j.Stall");
    private static final Duration THRESHOLD = Duration.ofMillis(200);

    @Test
    void aRecordingThatEnablesTheEventsGetsGracePeriodsBatchesAndStalls() throws Exception {
        String name = uniqueName("jfr");
        Path file = Files.createTempFile("srcu4j-", ".jfr");
        long warned;
        try {
            try (Recording recording = new Recording()) {
                EVENTS.forEach(recording::enable);
                recording.start();
                Srcu d = build(Srcu.builder().name(name).stallTimeout(THRESHOLD));
                HeldDomainReader reader = holdReaderOf(d);
                Thread waiter = start("jfr-waiter", d::synchronize);
                awaitTrue(() -> d.stats().stallWarnings() >= 1, "no stall");
                reader.release();
                waiter.join();
                // One warning per threshold the wait lasted: one, unless the release came late.
                warned = d.stats().stallWarnings();
                d.synchronizeExpedited();
                for (int i = 0; i < 3; i++) {
                    d.callSrcu(() -> { });
                }
                d.barrier();
                recording.stop();
                recording.dump(file);
            }
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> EVENTS.contains(e.getEventType().getName()) && name.equals(e.getString("domain")))
                    .toList();

            List<RecordedEvent> waits = ofType(events, "srcu4j.GracePeriod");
            assertEquals(2, waits.size(), waits.toString());
            RecordedEvent held = waits.stream().filter(e -> !e.getBoolean("expedited")).findFirst().orElseThrow();
            assertEquals("synchronize()", held.getString("operation"));
            assertTrue(held.getDuration().compareTo(THRESHOLD) >= 0, held.toString());
            assertEquals(1, held.getLong("readersWaitedFor"), held.toString());
            RecordedEvent quick = waits.stream().filter(e -> e.getBoolean("expedited")).findFirst().orElseThrow();
            assertEquals("synchronizeExpedited()", quick.getString("operation"));
            assertEquals(0, quick.getLong("readersWaitedFor"), quick.toString());

            List<RecordedEvent> batches = ofType(events, "srcu4j.CallbackBatch");
            assertFalse(batches.isEmpty(), "no callback batch among " + events);
            long counted = 0;
            for (RecordedEvent b : batches) {
                assertTrue(b.getLong("count") >= 1, b.toString());
                assertTrue(!b.getDuration("latency").isNegative()
                        && b.getDuration("latency").compareTo(Duration.ofSeconds(10)) < 0, b.toString());
                counted += b.getLong("count");
            }
            assertTrue(counted <= 4, "more callbacks in batches than ran (3 and a barrier marker): " + batches);

            List<RecordedEvent> stalls = ofType(events, "srcu4j.Stall").stream()
                    .sorted(Comparator.comparing(e -> e.getDuration("waited"))).toList();
            assertEquals(warned, stalls.size(), "an event per stall warning: " + stalls);
            for (RecordedEvent stall : stalls) {
                assertEquals("synchronize()", stall.getString("operation"));
                assertEquals(THRESHOLD, stall.getDuration("threshold"));
                assertTrue(stall.getDuration("waited").compareTo(THRESHOLD) >= 0, stall.toString());
                // The reader is let go once the first warning is counted, which is after its
                // event: that one saw the reader. A later one may come after the release and
                // before the waiter sees the grace period end (a slow machine), and see none.
                long readers = stall.getLong("readersActive");
                assertTrue(stall == stalls.get(0) ? readers == 1 : readers == 0 || readers == 1, stall.toString());
                assertEquals(List.of("srcu4j"), stall.getEventType().getCategoryNames());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aRecordingThatDoesNotEnableThemGetsNone() throws Exception {
        Path file = Files.createTempFile("srcu4j-", ".jfr");
        try {
            try (Recording recording = new Recording()) {
                recording.start();
                HeldReader reader = holdReader();
                Thread waiter = start("waiter", srcu::synchronize);
                Thread.sleep(20);
                reader.release();
                waiter.join();
                srcu.callSrcu(() -> { });
                srcu.barrier();
                recording.stop();
                recording.dump(file);
            }
            List<String> ours = RecordingFile.readAllEvents(file).stream().map(e -> e.getEventType().getName())
                    .filter(n -> n.startsWith("srcu4j.")).toList();
            assertEquals(List.of(), ours, "srcu4j events recorded without being enabled");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void withoutFlightRecorderNoEventIsEverMade() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xlog:class+load=info", "-cp",
                System.getProperty("java.class.path"), JfrIdleProbe.class.getName(), path().name())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        List<String> loaded = out.lines().filter(l -> l.contains(" io.srcu4j.internal.observe.")
                && l.contains("Event source:")).toList();
        assertEquals(List.of(), loaded, "JFR events made with no recording");
        assertTrue(out.contains("STALL WARNINGS ") && !out.contains("STALL WARNINGS 0"), "the probe never stalled");
    }

    private static List<RecordedEvent> ofType(List<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).toList();
    }
}
