// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The threads of this process at one moment: every task of {@code /proc/self/task} by its name
 * ({@code comm}, which the JVM sets to a Java thread's name, cut to 15 characters; a thread a C
 * library starts keeps its creator's), and the live Java platform threads.
 *
 * @param tasks       the name of each task of the process
 * @param javaThreads live Java platform threads ({@link Thread#getAllStackTraces()})
 */
record ThreadCensus(List<String> tasks, int javaThreads) {

    private static final Path TASKS = Path.of("/proc/self/task");

    /**
     * srcu4j's worker threads, by task name: the shared callback pool's ({@code srcu4j-worker-N}),
     * the Java deferral's, libsrcu4j's callback pool's ({@code s4j-cb-N}) and its deferral worker
     * ({@code s4j-defer}, or the Java name it takes when Java work first runs there). Names are
     * cut to 15 characters.
     */
    static final Pattern WORKERS = Pattern.compile("srcu4j-(worker|deferral)(-[0-9]*)?|s4j-cb-[0-9]+|s4j-defer");
    static final String WORKER_NAMES = "srcu4j-worker-N, srcu4j-deferral-N, s4j-cb-N, s4j-defer";

    ThreadCensus {
        tasks = List.copyOf(tasks);
    }

    static ThreadCensus take() {
        List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                try {
                    names.add(Files.readString(task.resolve("comm")).strip());
                } catch (IOException gone) {
                    // The thread ended between the listing and the read: it is not live.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + TASKS + ": " + e.getMessage(), e);
        }
        return new ThreadCensus(names, Thread.getAllStackTraces().size());
    }

    /** How many of the tasks are srcu4j's workers ({@link #WORKERS}). */
    int workers() {
        return (int) tasks.stream().filter(name -> WORKERS.matcher(name).matches()).count();
    }

    /**
     * The tasks this census has beyond {@code before}'s, by name with the numbers after a '-' or '#' replaced
     * ("srcu4j-worker-N x2, java x10000"), the most numerous first; "none" when there are none.
     */
    String newTasks(ThreadCensus before) {
        Map<String, Integer> counts = new TreeMap<>();
        tasks.forEach(name -> counts.merge(pattern(name), 1, Integer::sum));
        before.tasks.forEach(name -> counts.merge(pattern(name), -1, Integer::sum));
        String grown = counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
        return grown.isEmpty() ? "none" : grown;
    }

    private static String pattern(String name) {
        return name.replaceAll("(?<=[-#])[0-9]+", "N");
    }
}
