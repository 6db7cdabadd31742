// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import io.srcu4j.internal.Srcu4jProperties;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Debug mode ({@code -Dsrcu4j.debug.sections=true}): where each open read section of one domain
 * began, the thread and its stack, so that a stall warning can name them. Each section costs a
 * stack capture and a map entry, kept from {@code read()} (or {@code lock()}) to the guard's
 * {@code close()} (or {@code unlock()}); the key is the guard or token itself.
 *
 * <p>{@link #ENABLED} is read once, into a static final that the JIT folds: with debug mode off,
 * {@code read()} keeps no trace of this class.
 */
public final class SectionOrigins {

    /** Whether sections record their origin; fixed for the life of the class loader. */
    public static final boolean ENABLED = Srcu4jProperties.debugSections(System::getProperty);

    /** Stack frames shown per section. */
    private static final int FRAMES = 12;
    /** Sections listed per warning, oldest first. */
    private static final int LISTED = 8;

    /** Where one section began. */
    record Origin(String thread, long threadId, boolean virtual, long beganNanos, Throwable where) {
    }

    private final ConcurrentHashMap<Object, Origin> open = new ConcurrentHashMap<>();

    /** The section {@code key} stands for begins, in the calling thread. */
    public void began(Object key) {
        Thread t = Thread.currentThread();
        open.put(key, new Origin(t.getName(), t.threadId(), t.isVirtual(), System.nanoTime(),
                new Throwable("read section began")));
    }

    /** The section {@code key} stands for has ended (in any thread). */
    public void ended(Object key) {
        open.remove(key);
    }

    /** How many sections are recorded as open. */
    int size() {
        return open.size();
    }

    /**
     * The sections still open that began before {@code nanos} (a {@link System#nanoTime()}), oldest
     * first, each with its thread and the stack where it began, as lines for a warning; or an
     * empty string when there are none.
     */
    String describeOpenBefore(long nanos, long now) {
        List<Origin> before = open.values().stream().filter(o -> o.beganNanos() - nanos < 0)
                .sorted(Comparator.comparingLong(Origin::beganNanos)).toList();
        StringBuilder out = new StringBuilder();
        for (Origin o : before.subList(0, Math.min(LISTED, before.size()))) {
            out.append("\n  thread \"").append(o.thread()).append("\" (#").append(o.threadId())
                    .append(o.virtual() ? ", virtual" : "").append("), open for ")
                    .append(Durations.format(now - o.beganNanos())).append(", began at");
            int shown = 0;
            for (StackTraceElement frame : o.where().getStackTrace()) {
                if (shown == 0 && isSrcu4jEntry(frame)) {
                    continue;
                }
                if (shown++ == FRAMES) {
                    out.append("\n      ...");
                    break;
                }
                out.append("\n      at ").append(frame);
            }
        }
        if (before.size() > LISTED) {
            out.append("\n  and ").append(before.size() - LISTED).append(" more");
        }
        return out.toString();
    }

    /** The frames of srcu4j itself above the caller's read() or lock(). */
    private static boolean isSrcu4jEntry(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.equals("io.srcu4j.Srcu") || c.startsWith(SectionOrigins.class.getPackageName() + ".");
    }
}
