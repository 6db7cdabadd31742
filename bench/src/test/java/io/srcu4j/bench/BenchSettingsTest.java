// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {

    @AfterEach
    void clear() {
        System.clearProperty("srcu4j.bench.forks");
        System.clearProperty("srcu4j.bench.quick");
    }

    @Test
    void forksOverridesTheLengthsForkCount() {
        System.setProperty("srcu4j.bench.quick", "true");
        assertEquals(1, BenchSettings.fromEnvironment().forks());
        System.setProperty("srcu4j.bench.forks", "0");
        BenchSettings s = BenchSettings.fromEnvironment();
        assertEquals(0, s.forks());
        assertEquals("quick", s.name(), "the rest of the length stays");
    }

    @Test
    void aBadForkCountIsAClearError() {
        for (String bad : new String[] {"-1", "two"}) {
            System.setProperty("srcu4j.bench.forks", bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BenchSettings::fromEnvironment);
            assertTrue(e.getMessage().contains("srcu4j.bench.forks") && e.getMessage().contains(bad), e.getMessage());
        }
    }
}
