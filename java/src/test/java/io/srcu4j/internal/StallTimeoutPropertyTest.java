// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code srcu4j.stallTimeout} and {@code srcu4j.debug.sections} as the properties spell them. */
class StallTimeoutPropertyTest {

    private static Duration stall(String value) {
        return Srcu4jProperties.stallTimeout(Map.of(Srcu4jProperties.STALL_TIMEOUT, value)::get);
    }

    @Test
    void millisecondsOrAnIsoDurationAndTenSecondsWhenUnset() {
        assertEquals(Duration.ofSeconds(10), Srcu4jProperties.stallTimeout(Map.<String, String>of()::get));
        assertEquals(Duration.ofSeconds(10), stall("  "));
        assertEquals(Duration.ofMillis(1500), stall("1500"));
        assertEquals(Duration.ofMillis(250), stall("PT0.25S"));
        assertEquals(Duration.ZERO, stall("0"));
    }

    @Test
    void anythingElseIsRefusedNamingThePropertyAndTheValue() {
        for (String bad : new String[] {"10s", "-5", "PT-1S", "abc", "99999999999999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stall(bad), bad);
            assertTrue(e.getMessage().startsWith(Srcu4jProperties.STALL_TIMEOUT + "=" + bad + " is "), e.getMessage());
        }
    }

    @Test
    void debugSectionsOnlyWhenTrue() {
        assertTrue(Srcu4jProperties.debugSections(Map.of(Srcu4jProperties.DEBUG_SECTIONS, "true")::get));
        assertFalse(Srcu4jProperties.debugSections(Map.of(Srcu4jProperties.DEBUG_SECTIONS, "yes")::get));
        assertFalse(Srcu4jProperties.debugSections(Map.<String, String>of()::get));
    }
}
