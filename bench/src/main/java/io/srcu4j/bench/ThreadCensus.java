package io.srcu4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
