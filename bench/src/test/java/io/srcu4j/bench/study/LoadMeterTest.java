// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoadMeterTest {

    @Test
    void busyIsAllButIdleAndIowaitStealIncluded() {
        // user nice system idle iowait irq softirq steal guest guest_nice, in 1/100 s
        LoadMeter.Reading r = LoadMeter.parse("cpu  100 0 50 800 20 5 5 20 0 0");
        assertEquals(1.8, r.busy(), 1e-9);
        assertEquals(10.0, r.total(), 1e-9);
    }

    @Test
    void othersAreTheBusyTimeThisProcessDidNotTake() {
        LoadMeter.Reading a = new LoadMeter.Reading(10, 100, 1);
        LoadMeter.Reading b = new LoadMeter.Reading(16, 110, 2);   // 10 s of CPU: 6 busy, 1 ours
        assertEquals(50.0, LoadMeter.othersPct(a, b), 1e-9);
        assertEquals(0.0, LoadMeter.othersPct(a, new LoadMeter.Reading(12, 110, 3)), "ours only: no others");
        assertEquals(0.0, LoadMeter.othersPct(a, a), "no time passed");
    }

    @Test
    void aReadingNowIsSane() {
        LoadMeter.Reading r = LoadMeter.now();
        assertTrue(r.total() >= r.busy() && r.busy() >= 0, r.toString());
    }

    @Test
    void notTheCpuLine() {
        assertThrows(IllegalArgumentException.class, () -> LoadMeter.parse("cpu0 1 2 3 4 5 6 7 8"));
        assertThrows(IllegalArgumentException.class, () -> LoadMeter.parse("cpu 1 2"));
    }
}
