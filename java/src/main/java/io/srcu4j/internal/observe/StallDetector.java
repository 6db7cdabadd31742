// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import io.srcu4j.internal.Srcu4jProperties;
import io.srcu4j.internal.path.DomainPath;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Stall warnings for one domain, after the kernel's RCU CPU stall warnings: a wait for a grace
 * period that has gone on for the threshold logs a WARNING through {@code System.Logger}
 * ({@code io.srcu4j}) naming the domain, the call, how long it has waited and the read sections
 * open, and then again each time another threshold has passed. Several threads waiting on one
 * stall share the warnings: the domain warns at most once per threshold (less one eighth, for
 * the waits' sleeps) whoever waits. The {@code srcu4j.Stall} JFR event is committed with each
 * warning.
 *
 * <p>In debug mode ({@link SectionOrigins}) the warning lists the sections open since before the
 * wait began (their threads, and the stacks where they began): those are the ones it waits for.
 */
final class StallDetector {

    private static final System.Logger LOG = System.getLogger("io.srcu4j");
    private static final long NEVER = Long.MIN_VALUE;
    private static final VarHandle LAST_WARNED;
    private static final VarHandle WARNINGS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LAST_WARNED = lookup.findVarHandle(StallDetector.class, "lastWarned", long.class);
            WARNINGS = lookup.findVarHandle(StallDetector.class, "warnings", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String domain;
    private final DomainPath path;
    /** 0: warnings are off. */
    private final long thresholdNanos;
    /** Null unless debug mode is on. */
    private final SectionOrigins origins;
    /** When the domain last warned ({@link System#nanoTime()}), or {@link #NEVER}. */
    @SuppressWarnings("unused") // through LAST_WARNED
    private volatile long lastWarned = NEVER;
    @SuppressWarnings("unused") // through WARNINGS
    private volatile long warnings;

    StallDetector(String domain, DomainPath path, long thresholdNanos, SectionOrigins origins) {
        this.domain = domain;
        this.path = path;
        this.thresholdNanos = thresholdNanos;
        this.origins = origins;
    }

    /** The threshold in nanoseconds; 0 when warnings are off. */
    long thresholdNanos() {
        return thresholdNanos;
    }

    /** How many warnings this domain has logged. */
    long warnings() {
        return (long) WARNINGS.getVolatile(this);
    }

    /**
     * A wait ({@code operation}, begun at {@code beganNanos}) has waited {@code waitedNanos},
     * past one more threshold: warns unless the domain warned less than a threshold ago.
     */
    void stalled(String operation, long beganNanos, long waitedNanos) {
        long now = System.nanoTime();
        long last = (long) LAST_WARNED.getVolatile(this);
        if (last != NEVER && now - last < thresholdNanos - thresholdNanos / 8) {
            return;
        }
        // One waiter wins the interval; the others' warnings would repeat it. The CAS only
        // elects that waiter: it orders nothing else.
        if (!LAST_WARNED.compareAndSet(this, last, now)) {
            return;
        }
        try {
            warn(operation, beganNanos, waitedNanos, now);
        } finally {
            // Counted once the warning is out: volatile, after the readers were counted, the log
            // record written and the event committed, so that a thread that reads the count
            // (warnings(), a volatile read) and then lets the readers go cannot change what the
            // warning says (one readers' snapshot taken while they held the wait up).
            // (volatile: SC, no litmus)
            WARNINGS.getAndAdd(this, 1L);
        }
    }

    /** Logs the warning and, when a recording enables it, commits its event. */
    private void warn(String operation, long beganNanos, long waitedNanos, long now) {
        long readers = path.readersActive();
        String sections = origins == null ? "" : origins.describeOpenBefore(beganNanos, now);
        String message = "srcu4j: stall on domain \"" + domain + "\": " + operation + " has waited "
                + Durations.format(waitedNanos) + " for a grace period (warning every "
                + Durations.format(thresholdNanos) + ", " + Srcu4jProperties.STALL_TIMEOUT
                + " or the builder's stallTimeout); " + readers + " read section"
                + (readers == 1 ? "" : "s") + " open"
                + (origins == null ? "; run with -D" + Srcu4jProperties.DEBUG_SECTIONS + "=true to see where open"
                        + " sections began"
                : sections.isEmpty() ? "; none recorded as open since before the wait began (a C reader, or one"
                        + " that just left)"
                : "; open since before the wait began:" + sections);
        LOG.log(Level.WARNING, message);
        if (!JfrGate.open()) {
            return;
        }
        StallEvent event = new StallEvent();
        if (event.shouldCommit()) {
            event.domain = domain;
            event.operation = operation;
            event.waited = waitedNanos;
            event.threshold = thresholdNanos;
            event.readersActive = readers;
            event.openSections = sections;
            event.commit();
        }
    }
}
