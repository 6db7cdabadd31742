// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import java.io.PrintStream;
import java.util.Locale;

/** The study's progress lines: what runs now, and the time since the study began. */
final class Progress {

    private final PrintStream out;
    private final long start = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    /** A heading: "== [n/total] title (12 s)". */
    void study(int n, int total, String title) {
        out.printf(Locale.ROOT, "== [%d/%d] %s (%.0f s in)%n", n, total, title, seconds());
        out.flush();
    }

    /** One step within a study. */
    void line(String text) {
        out.println("  " + text);
        out.flush();
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
