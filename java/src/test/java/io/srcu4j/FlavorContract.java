// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every reader flavor can be asked for on every path, and the domain says which one runs. */
abstract class FlavorContract extends DomainTestSupport {

    /** Whether this path runs fast readers here (native only, and only with membarrier). */
    private boolean fastRunsHere() {
        return path() != PathKind.JAVA && Srcu4j.capabilities().membarrier();
    }

    @Test
    void eachFlavorRunsAndSaysSo() {
        for (ReaderFlavor asked : ReaderFlavor.values()) {
            try (Srcu domain = newDomain(asked)) {
                ReaderFlavor expected = asked == ReaderFlavor.FAST && !fastRunsHere() ? ReaderFlavor.CLASSIC : asked;
                String d = domain.describe();
                assertEquals(expected, domain.flavor(), d);
                assertTrue(d.startsWith(path().propertyName() + " ("), d);
                assertTrue(d.contains("readers: " + expected.name().toLowerCase(Locale.ROOT)), d);
                if (expected != asked) {
                    assertTrue(d.contains("fast asked for"), d);
                }
                try (ReadGuard g = domain.read()) {
                    assertEquals(1, domain.readersActive());
                }
                domain.synchronize();
                domain.synchronizeExpedited();
            }
        }
    }
}
