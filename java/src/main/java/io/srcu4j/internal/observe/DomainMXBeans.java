// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import io.srcu4j.Srcu;
import io.srcu4j.SrcuMXBean;
import io.srcu4j.SrcuStats;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.Locale;
import java.util.function.Function;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The MXBeans of named domains in the platform MBean server ({@link SrcuMXBean}). The MXBean
 * holds its domain weakly, so the server keeps no domain alive; while it reads the statistics it
 * holds the domain strongly, so the domain's memory cannot be freed under it.
 */
final class DomainMXBeans {

    private static final System.Logger LOG = System.getLogger("io.srcu4j");
    /** Suffixes tried when something else holds the object name, before giving up. */
    private static final int TRIES = 100;

    private DomainMXBeans() {
    }

    /** {@code io.srcu4j:type=Srcu,name=<name>}, the name quoted when it holds a reserved character. */
    static ObjectName objectName(String name) throws MalformedObjectNameException {
        boolean plain = name.chars().noneMatch(c -> ",=:\"*?\\\n".indexOf(c) >= 0) && name.strip().equals(name);
        return new ObjectName("io.srcu4j:type=Srcu,name=" + (plain ? name : ObjectName.quote(name)));
    }

    /**
     * Registers the MXBean of {@code srcu} under its name (with a suffix when something else holds
     * that object name); never throws. Returns the object name, or null when none could be
     * registered (logged).
     */
    static ObjectName register(String name, Srcu srcu, DomainObserver observer) {
        SrcuMXBean bean = new Bean(new WeakReference<>(srcu), observer);
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            for (int n = 1; n <= TRIES; n++) {
                ObjectName objectName = objectName(n == 1 ? name : name + "#jmx" + n);
                try {
                    server.registerMBean(bean, objectName);
                    if (n > 1) {
                        LOG.log(Level.DEBUG, () -> "srcu4j: the MXBean name of domain \"" + name + "\" was taken by"
                                + " another registrant; registered as " + objectName);
                    }
                    return objectName;
                } catch (InstanceAlreadyExistsException taken) {
                    // Another copy of srcu4j (another class loader), or someone else: try the next.
                }
            }
            LOG.log(Level.DEBUG, () -> "srcu4j: domain \"" + name + "\" has no MXBean: " + TRIES
                    + " object names for it were taken");
        } catch (Exception | LinkageError e) {
            LOG.log(Level.WARNING, "srcu4j: domain \"" + name + "\" has no MXBean: registering it failed", e);
        }
        return null;
    }

    /** Unregisters {@code objectName}; never throws. */
    static void unregister(ObjectName objectName) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        } catch (InstanceNotFoundException gone) {
            // Someone unregistered it already.
        } catch (Exception | LinkageError e) {
            LOG.log(Level.DEBUG, () -> "srcu4j: unregistering " + objectName + " failed: " + e);
        }
    }

    /** The MXBean: each attribute reads the domain's statistics afresh. */
    private static final class Bean implements SrcuMXBean {
        private final WeakReference<Srcu> domain;
        private final DomainObserver observer;

        Bean(WeakReference<Srcu> domain, DomainObserver observer) {
            this.domain = domain;
            this.observer = observer;
        }

        /** {@code read} applied to the domain, held strongly meanwhile. */
        private <T> T read(Function<Srcu, T> read) {
            Srcu srcu = domain.get();
            if (srcu == null) {
                throw new IllegalStateException("domain \"" + observer.name() + "\" is gone (unreachable, released)");
            }
            return read.apply(srcu);
        }

        private SrcuStats stats() {
            return read(Srcu::stats);
        }

        @Override
        public String getName() {
            return observer.name();
        }

        @Override
        public String getPath() {
            return observer.path().name();
        }

        @Override
        public String getFlavor() {
            return read(s -> s.flavor().name().toLowerCase(Locale.ROOT));
        }

        @Override
        public long getGracePeriodsCompleted() {
            return stats().gracePeriodsCompleted();
        }

        @Override
        public boolean isGracePeriodRunning() {
            return stats().gracePeriodRunning();
        }

        @Override
        public long getGracePeriodAgeMillis() {
            return stats().gracePeriodAge().toMillis();
        }

        @Override
        public long getNormalWaitsCompleted() {
            return stats().normalWaitsCompleted();
        }

        @Override
        public long getExpeditedWaitsCompleted() {
            return stats().expeditedWaitsCompleted();
        }

        @Override
        public long getCallbacksQueued() {
            return stats().callbacksQueued();
        }

        @Override
        public long getCallbacksRun() {
            return stats().callbacksRun();
        }

        @Override
        public long getCallbacksPending() {
            return stats().callbacksPending();
        }

        @Override
        public long getOldestPendingCallbackAgeMillis() {
            return stats().oldestPendingCallbackAge().toMillis();
        }

        @Override
        public long getReadersActive() {
            return stats().readersActive();
        }

        @Override
        public long getStallWarnings() {
            return stats().stallWarnings();
        }

        @Override
        public long getStallTimeoutMillis() {
            return observer.stalls().thresholdNanos() / 1_000_000;
        }

        @Override
        public String getSummary() {
            return stats().toString();
        }
    }
}
