// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import jdk.jfr.FlightRecorder;

/**
 * Whether srcu4j's JFR events are worth making: only once Flight Recorder is up (a recording was
 * started, from the command line, {@code jcmd} or the API). Making the first event of an event
 * class initializes Flight Recorder, which costs hundreds of milliseconds; a JVM that never
 * records must not pay that on its first grace period. Once it is up, each event's own
 * {@code shouldCommit()} says whether a recording wants it.
 */
final class JfrGate {

    private JfrGate() {
    }

    /** Whether Flight Recorder is up, so that events can be made and may be recorded. */
    static boolean open() {
        return FlightRecorder.isInitialized();
    }
}
