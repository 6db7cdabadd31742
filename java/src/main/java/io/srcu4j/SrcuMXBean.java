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

    /** {@link Srcu#name()}. */
    String getName();

    /** The path the domain runs on, e.g. {@code native-direct}. */
    String getPath();

    /** The reader flavor it runs, e.g. {@code classic}. */
    String getFlavor();

    /** {@link SrcuStats#gracePeriodsCompleted()}. */
    long getGracePeriodsCompleted();

    /** {@link SrcuStats#gracePeriodRunning()}. */
    boolean isGracePeriodRunning();

    /** {@link SrcuStats#gracePeriodAge()}, in milliseconds. */
    long getGracePeriodAgeMillis();

    /** {@link SrcuStats#normalWaitsCompleted()}. */
    long getNormalWaitsCompleted();

    /** {@link SrcuStats#expeditedWaitsCompleted()}. */
    long getExpeditedWaitsCompleted();

    /** {@link SrcuStats#callbacksQueued()}. */
    long getCallbacksQueued();

    /** {@link SrcuStats#callbacksRun()}. */
    long getCallbacksRun();

    /** {@link SrcuStats#callbacksPending()}. */
    long getCallbacksPending();

    /** {@link SrcuStats#oldestPendingCallbackAge()}, in milliseconds. */
    long getOldestPendingCallbackAgeMillis();

    /** {@link SrcuStats#readersActive()}. */
    long getReadersActive();

    /** {@link SrcuStats#stallWarnings()}. */
    long getStallWarnings();

    /** The stall-warning threshold in milliseconds; 0 when warnings are off. */
    long getStallTimeoutMillis();

    /** {@link SrcuStats#toString()}: every figure on one line. */
    String getSummary();
}
