// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A wait for a grace period through the Java API that ended; the event's duration is the wait's.
 * Off unless a recording enables {@code srcu4j.GracePeriod}.
 */
@Name("srcu4j.GracePeriod")
@Label("SRCU Grace Period")
@Category("srcu4j")
@Description("A wait for a grace period that ended: synchronize(), synchronizeExpedited(), awaitGracePeriod()"
        + " and their timed and interruptible forms. The duration is the wait's.")
@Enabled(false)
final class GracePeriodEvent extends Event {

    @Label("Domain")
    String domain;

    @Label("Operation")
    @Description("The call that waited")
    String operation;

    @Label("Expedited")
    boolean expedited;

    @Label("Readers Waited For")
    @Description("Read sections open when the wait first had to sleep (a racy count); 0 when the grace period"
            + " ended without a sleep")
    long readersWaitedFor;
}
