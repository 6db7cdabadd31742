// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

/**
 * The JMX view of one named domain, registered as {@code io.srcu4j:type=Srcu,name=<name>} when
 * {@link SrcuBuilder#build()} builds a domain with a {@linkplain SrcuBuilder#name name}, and
 * unregistered when it closes (or, never closed, becomes unreachable). The name is quoted with
 * {@link javax.management.ObjectName#quote} when it holds a character an object name reserves.
 * A domain's name is unique among open domains ({@code #2}, {@code #3}, ... appended to a
 * duplicate), so two domains never share an MXBean; if something else already registered that
 * object name, the MXBean gets a further suffix ({@code #jmx2}, ...), logged at DEBUG.
 *
 * <p>Each attribute reads a fresh {@link Srcu#stats()}; see {@link SrcuStats} for what each
 * figure means and how racy it is.
 */
public interface SrcuMXBean {

    /** {@return the domain's name, as {@link Srcu#name()}} */
    String getName();

    /** {@return the path the domain runs on, e.g. {@code native-direct}; fixed for its life} */
    String getPath();

    /**
     * {@return the reader flavor it runs, in lower case, e.g. {@code classic}: {@link Srcu#flavor()},
     * which may differ from the one asked for}
     */
    String getFlavor();

    /**
     * {@return how many grace periods have ended since the domain was created:
     * {@link SrcuStats#gracePeriodsCompleted()}}
     */
    long getGracePeriodsCompleted();

    /** {@return whether a grace period is running: {@link SrcuStats#gracePeriodRunning()}} */
    boolean isGracePeriodRunning();

    /**
     * {@return how long the running grace period has run, in whole milliseconds (rounded down),
     * 0 when none runs: {@link SrcuStats#gracePeriodAge()}}
     */
    long getGracePeriodAgeMillis();

    /**
     * {@return how many waits at the normal pace saw their grace period end:
     * {@link SrcuStats#normalWaitsCompleted()}}
     */
    long getNormalWaitsCompleted();

    /**
     * {@return how many {@code synchronizeExpedited()} calls have returned:
     * {@link SrcuStats#expeditedWaitsCompleted()}}
     */
    long getExpeditedWaitsCompleted();

    /** {@return how many callbacks have been queued: {@link SrcuStats#callbacksQueued()}} */
    long getCallbacksQueued();

    /** {@return how many queued callbacks have started to run: {@link SrcuStats#callbacksRun()}} */
    long getCallbacksRun();

    /**
     * {@return how many callbacks are queued and not yet started:
     * {@link SrcuStats#callbacksPending()}}
     */
    long getCallbacksPending();

    /**
     * {@return how long the sampled pending callback has waited, in whole milliseconds (rounded
     * down), 0 when none is pending: {@link SrcuStats#oldestPendingCallbackAge()}}
     */
    long getOldestPendingCallbackAgeMillis();

    /** {@return how many read sections are open (racy): {@link SrcuStats#readersActive()}} */
    long getReadersActive();

    /** {@return how many stall warnings the domain has logged: {@link SrcuStats#stallWarnings()}} */
    long getStallWarnings();

    /**
     * {@return the stall-warning threshold in whole milliseconds (rounded down); 0 when warnings
     * are off}
     */
    long getStallTimeoutMillis();

    /** {@return every figure on one line: {@link SrcuStats#toString()}} */
    String getSummary();
}
