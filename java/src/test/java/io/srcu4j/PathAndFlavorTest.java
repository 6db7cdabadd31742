package io.srcu4j;

import io.srcu4j.internal.Srcu4jProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reader flavors per domain, and the path a domain runs: chosen, forced, described. */
class PathAndFlavorTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(Srcu4jProperties.PATH);
    }

    @Test
    void eachFlavorRunsAndSaysSo() {
        boolean membarrier = Srcu4j.capabilities().membarrier();
        for (ReaderFlavor asked : ReaderFlavor.values()) {
            try (Srcu srcu = Srcu.create(asked)) {
                ReaderFlavor expected = asked == ReaderFlavor.FAST && !membarrier ? ReaderFlavor.CLASSIC : asked;
                assertEquals(expected, srcu.flavor(), srcu.describe());
                String d = srcu.describe();
                assertTrue(d.contains("readers: " + expected.name().toLowerCase(java.util.Locale.ROOT)), d);
                try (ReadGuard g = srcu.read()) {
                    assertEquals(1, srcu.readersActive());
                }
                srcu.synchronize();
                srcu.synchronizeExpedited();
            }
        }
    }

    @Test
    void nullFlavorIsRefused() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Srcu.create(null));
        assertTrue(e.getMessage().contains("flavor"), e.getMessage());
    }

    @Test
    void theDefaultPathIsTheFastestAvailableAndDescribed() {
        try (Srcu srcu = Srcu.create()) {
            String d = srcu.describe();
            assertTrue(d.startsWith("native-direct (the fastest path available)"), d);
        }
    }

    @Test
    void aForcedPathIsUsedAndNamed() {
        System.setProperty(Srcu4jProperties.PATH, "native-downcall");
        try (Srcu srcu = Srcu.create()) {
            assertTrue(srcu.describe().contains("forced by srcu4j.path=native-downcall"), srcu.describe());
        }
    }

    @Test
    void anUnknownForcedPathIsAClearError() {
        System.setProperty(Srcu4jProperties.PATH, "no-such-path");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Srcu::create);
        assertTrue(e.getMessage().contains("no-such-path") && e.getMessage().contains("native-downcall"),
                e.getMessage());
    }
}
