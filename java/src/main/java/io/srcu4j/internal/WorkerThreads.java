// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The names of the threads that run callbacks: {@code srcu4j-worker-<n>} for a domain's worker,
 * {@code srcu4j-deferral-<n>} for the deferral thread, numbered per kind across every path.
 *
 * <p>The native paths' workers are pthreads the JVM attaches at their first upcall under a name
 * of its own ({@code Thread-<n>}), so a failing callback would report
 * {@code Exception in thread "Thread-0"}. The callback tables rename such a thread the first
 * time it runs one of their callbacks ({@link #nameAttached}); a name someone gave on purpose is
 * kept. The pure-Java path names its worker when it creates it ({@link #nextName}).
 */
public final class WorkerThreads {

    /** A domain's callback worker. */
    public static final String WORKER = "worker";
    /** The process's deferral thread. */
    public static final String DEFERRAL = "deferral";

    /** What the JVM calls a thread nobody named: a native thread attached for an upcall. */
    private static final String JVM_DEFAULT_PREFIX = "Thread-";

    private static final ConcurrentHashMap<String, AtomicInteger> NUMBERS = new ConcurrentHashMap<>();

    private WorkerThreads() {
    }

    /** The next name for a thread of {@code kind}, e.g. {@code srcu4j-worker-3}. */
    public static String nextName(String kind) {
        return "srcu4j-" + kind + "-" + NUMBERS.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Gives {@code thread}, the caller, the next name of {@code kind} when it still has the name
     * the JVM chose for it; a thread someone named keeps its name. On Linux the name also
     * becomes the native thread's (as {@code top -H} shows it) since the thread renames itself.
     */
    public static void nameAttached(Thread thread, String kind) {
        String name = thread.getName();
        if (name.startsWith(JVM_DEFAULT_PREFIX) && isDigits(name, JVM_DEFAULT_PREFIX.length())) {
            thread.setName(nextName(kind));
        }
    }

    private static boolean isDigits(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
