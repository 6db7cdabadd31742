// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * A wait for a grace period that went on past the stall threshold, committed with the stall
 * warning ({@link StallDetector}). Off unless a recording enables {@code srcu4j.Stall}.
 */
@Name("srcu4j.Stall")
@Label("SRCU Stall")
@Category("srcu4j")
@Description("A wait for a grace period that has gone on past the stall threshold; emitted with the stall"
        + " warning, at most once per threshold per domain")
@Enabled(false)
final class StallEvent extends Event {

    @Label("Domain")
    String domain;

    @Label("Operation")
    @Description("The call that waits")
    String operation;

    @Label("Waited")
    @Description("How long the call has waited so far")
    @Timespan(Timespan.NANOSECONDS)
    long waited;

    @Label("Threshold")
    @Timespan(Timespan.NANOSECONDS)
    long threshold;

    @Label("Readers Active")
    @Description("Read sections open now (a racy count)")
    long readersActive;

    @Label("Open Sections")
    @Description("Where the read sections open since before the wait began started (thread, stack); only with"
            + " -Dsrcu4j.debug.sections=true")
    String openSections;
}
