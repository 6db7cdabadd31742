// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Callbacks that ran, as the Java side sees them: the native worker's own batches are not
 * visible from Java, so a batch here ends with a sampled callback ({@link CallbackSampler}) and
 * holds the callbacks that ran since the previous one. Committed on the thread that runs
 * callbacks, when the sampled one starts. Off unless a recording enables
 * {@code srcu4j.CallbackBatch}.
 */
@Name("srcu4j.CallbackBatch")
@Label("SRCU Callback Batch")
@Category("srcu4j")
@Description("Callbacks that ran since the previous batch, ending with a sampled one: srcu4j timestamps one"
        + " pending callback at a time (the first queued after the previous sampled one ran)")
@Enabled(false)
@StackTrace(false)
final class CallbackBatchEvent extends Event {

    @Label("Domain")
    String domain;

    @Label("Count")
    @Description("Callbacks that ran since the previous batch, the sampled one included (markers of barrier()"
            + " too)")
    long count;

    @Label("Latency")
    @Description("How long the sampled callback waited, from callSrcu() to the start of its run")
    @Timespan(Timespan.NANOSECONDS)
    long latency;
}
