// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as people read them in log lines and {@code toString()}: {@code 850 ns},
 * {@code 3.2 ms}, {@code 12.0 s}.
 */
public final class Durations {

    private Durations() {
    }

    /** {@code nanos} in the largest unit that keeps it at or above one. */
    public static String format(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** As {@link #format(long)}; durations beyond about 292 years print as that. */
    public static String format(Duration d) {
        return format(d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toNanos());
    }
}
