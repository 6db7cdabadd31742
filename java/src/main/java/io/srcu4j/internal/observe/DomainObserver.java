// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import io.srcu4j.Srcu;
import io.srcu4j.SrcuStats;
import io.srcu4j.internal.path.DomainPath;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;

/**
 * Everything one domain tells about itself: its name, its statistics, its waits (for the JFR
 * events and the stall warnings), its sections' origins in debug mode, and its MXBean. Made
 * before the domain's {@code Srcu} and never refers to it (the MXBean holds it weakly), so the
 * {@code Cleaner} that releases an unreachable domain can release this too.
 */
public final class DomainObserver {

    private static final VarHandle NORMAL_WAITS;
    private static final VarHandle EXPEDITED_WAITS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NORMAL_WAITS = lookup.findVarHandle(DomainObserver.class, "normalWaits", long.class);
            EXPEDITED_WAITS = lookup.findVarHandle(DomainObserver.class, "expeditedWaits", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final boolean named;
    private final DomainPath path;
    private final StallDetector stalls;
    private final GracePeriodClock gracePeriods = new GracePeriodClock();
    private final CallbackSampler callbacks;
    /** Null unless debug mode is on. */
    private final SectionOrigins origins;
    /** Counted as waits return; volatile adds that order nothing else. */
    @SuppressWarnings("unused") // through NORMAL_WAITS
    private volatile long normalWaits;
    @SuppressWarnings("unused") // through EXPEDITED_WAITS
    private volatile long expeditedWaits;
    private volatile ObjectName mxBean;
    private final AtomicBoolean released = new AtomicBoolean();

    private DomainObserver(String name, boolean named, DomainPath path, long stallNanos) {
        this.name = name;
        this.named = named;
        this.path = path;
        this.origins = SectionOrigins.ENABLED ? new SectionOrigins() : null;
        this.stalls = new StallDetector(name, path, stallNanos, origins);
        this.callbacks = new CallbackSampler(name, path);
    }

    /**
     * The observer of a new domain on {@code path}: claims a name (see {@link DomainNames}) for
     * {@code askedName}, or a default one when it is null.
     *
     * @param stallTimeout the stall-warning threshold; zero turns warnings off
     */
    public static DomainObserver create(String askedName, DomainPath path, Duration stallTimeout) {
        long stallNanos = stallTimeout.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE
                : stallTimeout.toNanos();
        DomainObserver observer = new DomainObserver(DomainNames.claim(askedName), askedName != null, path,
                stallNanos);
        if (stallNanos > 0) {
            // The grace periods the pool's worker drives (callbacks, close's drain, startPoll's)
            // stall as visibly as the ones a caller waits for.
            path.callbacks().watchStalls(observer.stalls::stalled, stallNanos);
        }
        return observer;
    }

    /**
     * Registers {@code srcu}'s MXBean when it was given a name (unnamed domains have none). Never
     * throws: a failure is logged and the domain goes on without one.
     */
    public void registerMXBean(Srcu srcu) {
        if (named) {
            mxBean = DomainMXBeans.register(name, srcu, this);
        }
    }

    /**
     * The domain has closed, or became unreachable without closing: unregisters the MXBean and
     * gives the name back. Only the first call does anything; never throws.
     */
    public void release() {
        if (released.compareAndSet(false, true)) {
            ObjectName registered = mxBean;
            if (registered != null) {
                DomainMXBeans.unregister(registered);
            }
            DomainNames.release(name);
        }
    }

    /** The domain's name, unique among open domains. */
    public String name() {
        return name;
    }

    DomainPath path() {
        return path;
    }

    StallDetector stalls() {
        return stalls;
    }

    GracePeriodClock gracePeriods() {
        return gracePeriods;
    }

    /** The object name of the domain's MXBean, or null when it has none. */
    public ObjectName mxBeanName() {
        return mxBean;
    }

    /** The stall-warning threshold; zero when warnings are off. */
    public Duration stallTimeout() {
        return Duration.ofNanos(stalls.thresholdNanos());
    }

    /**
     * Returns what to queue for {@code callback}: itself, or it wrapped to be timed; a volatile
     * read, and a clock read only for a sampled one.
     */
    public Runnable queueing(Runnable callback) {
        return callbacks.queueing(callback);
    }

    /** What {@link #queueing} returned was not queued after all (the domain refused it). */
    public void notQueued(Runnable task) {
        callbacks.notQueued(task);
    }

    /** A wait for a grace period begins; pass the result to {@code ParkingWait} as its watch. */
    public ObservedWait waitBegins(String operation, boolean expedited) {
        return new ObservedWait(this, operation, expedited);
    }

    /** Whether Flight Recorder runs, so that a wait that ended at once still makes its event. */
    public boolean recording() {
        return JfrGate.open();
    }

    /** Counts a wait for a grace period that ended (normal or expedited). */
    public void waitEnded(boolean expedited) {
        (expedited ? EXPEDITED_WAITS : NORMAL_WAITS).getAndAdd(this, 1L);
    }

    /** Debug mode: the section {@code key} (a guard or token) begins in the calling thread. */
    public void sectionBegan(Object key) {
        if (origins != null) {
            origins.began(key);
        }
    }

    /** Debug mode: the section {@code key} has ended. */
    public void sectionEnded(Object key) {
        if (origins != null) {
            origins.ended(key);
        }
    }

    /** The statistics now (see {@link SrcuStats} for each figure's meaning). */
    public SrcuStats stats() {
        // [M] callbacksRun() is an acquire, read before the queued count. (litmus: M.mp)
        long run = path.callbacksRun();
        long queued = path.callbacksQueued();
        long pending = Math.max(0, queued - run);
        long sampledAge = pending == 0 ? 0 : callbacks.sampledAgeNanos(System.nanoTime());
        GracePeriodClock.Reading gp = gracePeriods.read(path);
        return new SrcuStats(name, gp.completed(), gp.running(), Duration.ofNanos(gp.ageNanos()),
                (long) NORMAL_WAITS.getVolatile(this), (long) EXPEDITED_WAITS.getVolatile(this), queued, run, pending,
                Duration.ofNanos(sampledAge), path.readersActive(), stalls.warnings());
    }
}
