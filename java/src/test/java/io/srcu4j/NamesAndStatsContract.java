// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Names, statistics, MXBeans and worker thread names; every path. What each figure of
 * {@link SrcuStats} counts is checked against a domain whose history the test knows.
 */
abstract class NamesAndStatsContract extends ObservedDomainSupport {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private static ObjectName objectName(String name) throws Exception {
        return new ObjectName("io.srcu4j:type=Srcu,name=" + name);
    }

    @Test
    void theBuilderNamesTheDomainAndEverythingThatPrintsItSaysSo() {
        String name = uniqueName("routes");
        Srcu routes = build(Srcu.builder().name(name).flavor(ReaderFlavor.SIGNAL_SAFE));
        assertEquals(name, routes.name());
        assertEquals(ReaderFlavor.SIGNAL_SAFE, routes.flavor());
        assertTrue(routes.toString().startsWith("Srcu[" + path().propertyName() + ", signal_safe, " + name),
                routes.toString());
        assertTrue(routes.stats().toString().startsWith(name + ": "), routes.stats().toString());

        ReadGuard open = routes.read();
        IllegalStateException busy = assertThrows(IllegalStateException.class, routes::close);
        assertTrue(busy.getMessage().contains(name), busy.getMessage());
        IllegalStateException self = assertThrows(IllegalStateException.class, routes::synchronize);
        assertTrue(self.getMessage().contains(name), self.getMessage());
        open.close();
        routes.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, routes::read);
        assertTrue(closed.getMessage().contains("domain closed") && closed.getMessage().contains(name),
                closed.getMessage());
        assertTrue(routes.toString().endsWith(name + ", closed]"), routes.toString());
    }

    @Test
    void unnamedDomainsGetDistinctDefaultNamesAndCreateStillWorks() {
        Srcu other = Srcu.create(ReaderFlavor.CLASSIC, path());
        try {
            assertTrue(srcu.name().matches("srcu-\\d+"), srcu.name());
            assertTrue(other.name().matches("srcu-\\d+"), other.name());
            assertNotEquals(srcu.name(), other.name());
            assertNotEquals(srcu.toString(), other.toString());
        } finally {
            other.close();
        }
        Srcu unnamed = build(Srcu.builder());
        assertTrue(unnamed.name().matches("srcu-\\d+"), unnamed.name());
    }

    @Test
    void aDuplicateNameGetsASuffixAndItsOwnMXBeanAndIsFreeAgainAfterClose() throws Exception {
        String name = uniqueName("dup");
        Srcu first = build(Srcu.builder().name(name));
        Srcu second = build(Srcu.builder().name(name));
        assertEquals(name, first.name());
        assertEquals(name + "#2", second.name());
        assertTrue(SERVER.isRegistered(objectName(name)));
        assertTrue(SERVER.isRegistered(objectName(name + "#2")));
        first.close();
        assertFalse(SERVER.isRegistered(objectName(name)), "close() left the MXBean registered");
        Srcu third = build(Srcu.builder().name(name));
        assertEquals(name, third.name(), "a closed domain's name was not given back");
    }

    @Test
    void theBuilderRefusesBadSettingsWithAClearError() {
        SrcuBuilder b = Srcu.builder();
        assertTrue(assertThrows(NullPointerException.class, () -> b.name(null)).getMessage().contains("name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.name("  ")).getMessage().contains("blank"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.name("a\nb")).getMessage()
                .contains("control character"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.name("x".repeat(201))).getMessage()
                .contains("at most 200"));
        assertTrue(assertThrows(NullPointerException.class, () -> b.flavor(null)).getMessage().contains("flavor"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.stallTimeout(Duration.ofMillis(-1)))
                .getMessage().contains("negative"));
        assertThrows(NullPointerException.class, () -> b.stallTimeout(null));
    }

    @Test
    void statsCountGracePeriodsWaitsAndCallbacks() throws Exception {
        Srcu d = build(Srcu.builder().name(uniqueName("stats")));
        SrcuStats fresh = d.stats();
        assertEquals(0, fresh.gracePeriodsCompleted(), fresh.toString());
        assertFalse(fresh.gracePeriodRunning());
        assertEquals(Duration.ZERO, fresh.gracePeriodAge());
        assertEquals(0, fresh.callbacksQueued() + fresh.callbacksRun() + fresh.callbacksPending());
        assertEquals(0, fresh.normalWaitsCompleted() + fresh.expeditedWaitsCompleted() + fresh.stallWarnings());

        d.synchronize();
        d.synchronize();
        d.synchronizeExpedited();
        SrcuStats waited = d.stats();
        assertEquals(2, waited.normalWaitsCompleted(), waited.toString());
        assertEquals(1, waited.expeditedWaitsCompleted(), waited.toString());
        // Idle: each wait ran exactly one grace period of its own, and nothing else ran any.
        assertEquals(3, waited.gracePeriodsCompleted(), waited.toString());

        for (int i = 0; i < 5; i++) {
            d.callSrcu(() -> { });
        }
        d.barrier();   // its marker is no callback: not counted
        SrcuStats called = d.stats();
        assertEquals(5, called.callbacksQueued(), called.toString());
        assertEquals(5, called.callbacksRun(), called.toString());
        assertEquals(0, called.callbacksPending(), called.toString());
        assertEquals(Duration.ZERO, called.oldestPendingCallbackAge());
        assertTrue(called.gracePeriodsCompleted() >= 4, called.toString());

        // A wait that runs out is not a wait that ended; a refused callback is not queued.
        ReadGuard g = d.read();
        start("timed-waiter", () -> assertFalse(d.synchronize(Duration.ofMillis(30)))).join();
        assertEquals(1, d.stats().readersActive());
        g.close();
        assertEquals(2, d.stats().normalWaitsCompleted());
        d.close();
        assertThrows(IllegalStateException.class, () -> d.callSrcu(() -> { }));
        SrcuStats after = d.stats();
        assertEquals(after.callbacksRun(), after.callbacksQueued(), "stats() after close: " + after);
        assertEquals(0, after.readersActive());
    }

    @Test
    void statsShowTheRunningGracePeriodAndHowLongItHasRun() throws Exception {
        Srcu d = build(Srcu.builder().name(uniqueName("running")));
        HeldDomainReader reader = holdReaderOf(d);
        Thread waiter = Thread.ofPlatform().start(d::synchronize);
        awaitTrue(() -> d.stats().gracePeriodRunning(), "the blocked synchronize() shows no running grace period");
        Thread.sleep(100);
        SrcuStats stuck = d.stats();
        assertTrue(stuck.gracePeriodRunning(), stuck.toString());
        assertTrue(stuck.gracePeriodAge().compareTo(Duration.ofMillis(100)) >= 0, stuck.toString());
        assertTrue(stuck.gracePeriodAge().compareTo(Duration.ofSeconds(60)) < 0, stuck.toString());
        assertEquals(1, stuck.readersActive(), stuck.toString());
        reader.release();
        waiter.join();
        SrcuStats done = d.stats();
        assertFalse(done.gracePeriodRunning(), done.toString());
        assertEquals(Duration.ZERO, done.gracePeriodAge());
        assertEquals(1, done.normalWaitsCompleted());
    }

    @Test
    void statsShowAPendingCallbackAndHowLongItHasWaited() throws Exception {
        Srcu d = build(Srcu.builder().name(uniqueName("pending")));
        HeldDomainReader reader = holdReaderOf(d);
        d.callSrcu(() -> { });
        Thread.sleep(100);
        SrcuStats stuck = d.stats();
        assertEquals(1, stuck.callbacksPending(), stuck.toString());
        assertTrue(stuck.oldestPendingCallbackAge().compareTo(Duration.ofMillis(100)) >= 0, stuck.toString());
        assertTrue(stuck.toString().contains("1 pending (sampled one waiting"), stuck.toString());
        reader.release();
        d.barrier();
        SrcuStats done = d.stats();
        assertEquals(0, done.callbacksPending(), done.toString());
        assertEquals(Duration.ZERO, done.oldestPendingCallbackAge());
    }

    @Test
    void aNamedDomainsMXBeanReportsItsStatsUntilItCloses() throws Exception {
        String name = uniqueName("jmx");
        Srcu d = build(Srcu.builder().name(name).stallTimeout(Duration.ofSeconds(3)));
        ObjectName on = objectName(name);
        assertTrue(SERVER.isRegistered(on), "no MXBean " + on);
        SrcuMXBean bean = JMX.newMXBeanProxy(SERVER, on, SrcuMXBean.class);
        d.callSrcu(() -> { });
        d.callSrcu(() -> { });
        d.barrier();
        d.synchronizeExpedited();
        assertEquals(name, bean.getName());
        assertEquals(path().propertyName(), bean.getPath());
        assertEquals("classic", bean.getFlavor());
        assertEquals(2, bean.getCallbacksQueued());
        assertEquals(2, bean.getCallbacksRun());
        assertEquals(0, bean.getCallbacksPending());
        assertEquals(1, bean.getExpeditedWaitsCompleted());
        assertEquals(0, bean.getNormalWaitsCompleted());
        assertTrue(bean.getGracePeriodsCompleted() >= 2);
        assertEquals(3_000, bean.getStallTimeoutMillis());
        assertTrue(bean.getSummary().startsWith(name + ": "), bean.getSummary());
        d.close();
        assertFalse(SERVER.isRegistered(on), "close() left the MXBean registered");
        assertTrue(SERVER.queryNames(objectName(ObjectName.quote(srcu.name())), null).isEmpty(),
                "an unnamed domain has an MXBean");
    }

    @Test
    void aNameWithCharactersObjectNamesReserveIsQuoted() throws Exception {
        String name = uniqueName("a,b=c:d*");
        Srcu d = build(Srcu.builder().name(name));
        ObjectName on = objectName(ObjectName.quote(name));
        assertTrue(SERVER.isRegistered(on), "no MXBean " + on);
        assertEquals(name, JMX.newMXBeanProxy(SERVER, on, SrcuMXBean.class).getName());
        d.close();
        assertFalse(SERVER.isRegistered(on));
    }

    @Test
    void aDomainNobodyClosedGivesBackItsNameAndMXBeanOnceUnreachable() throws Exception {
        String name = uniqueName("leaked");
        ObjectName on = objectName(name);
        buildAndDrop(name);
        assertTrue(SERVER.isRegistered(on));
        // A collection, then the cleaner's action: 45 s, the slowest machines' budget (an emulated
        // CPU takes seconds for one full collection), under the method's own 60 s.
        awaitTrue(() -> {
            System.gc();
            return !SERVER.isRegistered(on);
        }, TimeUnit.SECONDS.toNanos(45), 100, "the MXBean of an unreachable domain stayed registered");
        // The cleaner unregisters the MXBean first, then gives the name back (a new domain of that
        // name must not meet the old MXBean): a domain built in between is suffixed, and closed.
        awaitTrue(() -> {
            Srcu again = build(Srcu.builder().name(name));
            if (again.name().equals(name)) {
                return true;
            }
            again.close();
            return false;
        }, TimeUnit.SECONDS.toNanos(10), 10, "the name of an unreachable domain was not given back");
    }

    private void buildAndDrop(String name) {
        Srcu.builder().name(name).path(path()).build().callSrcu(() -> { });
    }

    @Test
    void callbacksRunOnAWorkerThreadNamedForWhatItIs() {
        AtomicReference<String> ranOn = new AtomicReference<>();
        srcu.callSrcu(() -> ranOn.set(Thread.currentThread().getName()));
        srcu.barrier();
        assertTrue(ranOn.get().matches("srcu4j-worker-\\d+"), ranOn.get());

        // A failing callback is reported under that name, not as "Thread-0".
        AtomicReference<String> failedOn = new AtomicReference<>();
        srcu.setUncaughtExceptionHandler((t, e) -> failedOn.set(t.getName()));
        srcu.callSrcu(() -> {
            throw new IllegalStateException("expected by the test");
        });
        srcu.barrier();
        assertEquals(ranOn.get(), failedOn.get());
    }
}
