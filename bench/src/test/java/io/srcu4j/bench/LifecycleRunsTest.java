// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.TimeValue;

class LifecycleRunsTest {

    @TempDir
    Path dir;

    @Test
    void thePathGoesLastSoThatItWinsOverOneThisJvmWasGiven() {
        List<String> command = LifecycleRuns.command(BenchPaths.JNA, LifecycleRuns.MEMORY_JVM_ARGS,
                List.of(LifecycleBenchmark.MEMORY, "10", "20"));
        int path = command.indexOf("-Dsrcu4j.path=jna");
        assertTrue(path > command.indexOf("-XX:+AlwaysPreTouch"), command.toString());
        assertEquals("-cp", command.get(path + 1));
        assertEquals(List.of(LifecycleBenchmark.class.getName(), "memory", "10", "20"),
                command.subList(command.size() - 4, command.size()));
    }

    @Test
    void sizesFollowTheLengthOfTheRun() {
        BenchSettings run = new BenchSettings("default", 1, 1, TimeValue.milliseconds(1), 1, TimeValue.milliseconds(1),
                false);
        BenchSettings full = new BenchSettings("full", 1, 1, TimeValue.milliseconds(1), 1, TimeValue.milliseconds(1),
                true);
        BenchSettings quick = new BenchSettings("quick", 1, 1, TimeValue.milliseconds(1), 1, TimeValue.milliseconds(1),
                false);
        assertEquals(new LifecycleRuns.Sizes(2_000, 1_000, 1_000), LifecycleRuns.Sizes.of(run));
        assertEquals(new LifecycleRuns.Sizes(10_000, 1_000, 10_000), LifecycleRuns.Sizes.of(full));
        assertEquals(new LifecycleRuns.Sizes(500, 200, 200), LifecycleRuns.Sizes.of(quick));
    }

    @Test
    void bothPartsRunOnTheJavaPathAndGiveEveryFigure() throws IOException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<Lifecycle> got = LifecycleRuns.run(List.of(BenchPaths.JAVA), new LifecycleRuns.Sizes(200, 50, 50), dir,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertEquals(1, got.size());
        Lifecycle java = got.getFirst();
        assertEquals(List.of(), java.failures(), progress.toString(StandardCharsets.UTF_8));
        assertTrue(java.values().get("described").startsWith("java"), java.values().toString());
        assertEquals("200", java.values().get("domains"));
        for (Figure f : java.figures(Runtime.getRuntime().availableProcessors())) {
            assertTrue(f.value().isPresent(), f + " in " + java.values());
        }
        // The pool starts its first worker for the first callback: at least one thread more.
        assertTrue(java.threadsBeyondBaseline().getAsDouble() >= 1, java.values().toString());
        assertTrue(java.values().get("new_tasks").contains("srcu4j-worker-N"), java.values().toString());
        assertTrue(java.number("garbage_bytes").getAsDouble() > 0, java.values().toString());
    }

    @Test
    void domainsThatCannotBeCreatedAreReportedNotThrown() throws IOException {
        Lifecycle none = LifecycleRuns.run(List.of("no-such-path"), new LifecycleRuns.Sizes(3, 1, 1), dir,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).getFirst();
        // The threads part counts what it could create (nothing) and says why; the memory part fails.
        Figure notCreated = none.figures(2).stream().filter(f -> f.key().equals("domains_not_created")).findFirst()
                .orElseThrow(() -> new AssertionError(none.values().toString()));
        assertEquals(3, notCreated.value().getAsDouble(), 1e-9);
        assertEquals(Figure.MISS, notCreated.mark());
        assertTrue(notCreated.note().contains("srcu4j.path"), notCreated.note());
        assertEquals(1, none.failures().size(), none.failures().toString());
        assertTrue(none.failures().getFirst().startsWith("memory part exited with status 1: the memory part failed: "),
                none.failures().toString());
        assertTrue(none.failures().getFirst().contains("srcu4j.path"), none.failures().toString());
    }
}
