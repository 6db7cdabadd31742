// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StudyModeTest {

    @Test
    void modesByName() {
        assertEquals(StudyMode.DEFAULT, StudyMode.parse(""));
        assertEquals(StudyMode.DEFAULT, StudyMode.parse(null));
        assertEquals(StudyMode.DEFAULT, StudyMode.parse("default"));
        assertEquals(StudyMode.FULL, StudyMode.parse(" FULL "));
    }

    @Test
    void fullIsLongerInEveryRespect() {
        assertTrue(StudyMode.FULL.reps > StudyMode.DEFAULT.reps);
        assertTrue(StudyMode.FULL.repMillis > StudyMode.DEFAULT.repMillis);
        assertTrue(StudyMode.FULL.pairBudget > StudyMode.DEFAULT.pairBudget);
        assertTrue(StudyMode.FULL.placementPairs >= StudyMode.DEFAULT.placementPairs);
    }

    @Test
    void anUnknownModeNamesTheModesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyMode.parse("quick"));
        assertEquals("STUDY=quick is not a study mode; use one of: default, full", e.getMessage());
    }
}
