// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeRecordTest {

    @Test
    void aFigureLineWithItsRepetitionsFieldsAndLabel() {
        ProbeRecord r = ProbeRecord.parse("fig study=c2c key=cas/0/1 unit=ns reps=212.5,1.2e+03,nan,-nan others=12.5"
                + " placed=1 a=0 b=1 round_trips=11087 label=CAS ping-pong, one way");
        assertEquals("c2c", r.study());
        assertEquals("cas/0/1", r.key());
        assertEquals("ns", r.unit());
        assertEquals(4, r.reps().size());
        assertEquals(212.5, r.reps().get(0));
        assertEquals(1200.0, r.reps().get(1));
        assertTrue(Double.isNaN(r.reps().get(2)), "C's nan");
        assertTrue(Double.isNaN(r.reps().get(3)), "C's -nan");
        assertEquals(12.5, r.number("others"));
        assertTrue(r.placed());
        assertEquals("11087", r.field("round_trips", ""));
        assertEquals("CAS ping-pong, one way", r.label());
        assertEquals("", r.why());
        Row row = Row.of(r);
        assertEquals("C", row.lang());
        assertTrue(row.loaded(), "12.5 % is above the 10 % mark");
        assertFalse(row.fields().containsKey("others"), "others is the row's own component");
        assertEquals(2, row.spread().n());
    }

    @Test
    void aRowNotMeasuredSaysWhy() {
        ProbeRecord r = ProbeRecord.parse("fig study=fences key=a64_ldadd/shared unit=ns reps= others=0 placed=1"
                + " why=aarch64_only:_not_run_here label=ldadd (LSE, relaxed)");
        assertTrue(r.reps().isEmpty());
        assertEquals("aarch64 only: not run here", r.why());
        Row row = Row.of(r);
        assertEquals("not measured: aarch64 only: not run here", row.mark());
    }

    @Test
    void aThreadOffItsCpuIsMarked() {
        Row row = Row.of(ProbeRecord.parse("fig study=percpu key=x unit=ns reps=1,2 others=0 placed=0 label=x"));
        assertFalse(row.placed());
        assertEquals("a pinned thread was found off its CPU", row.mark());
    }

    @Test
    void perMillionIsSpelledOut() {
        Row row = Row.of(ProbeRecord.parse("fig study=rseq key=aborts/quiet unit=per_million reps=0.05 others=0 placed=1"
                + " label=quiet"));
        assertEquals(Row.PER_MILLION, row.unit());
    }

    @Test
    void infoLines() {
        assertEquals(Map.of("arch", "x86_64", "rseq", "glibc"), ProbeRecord.parseInfo("info arch=x86_64 rseq=glibc"));
    }

    @Test
    void malformedLinesAreRefusedNamingTheProblem() {
        for (String line : List.of("fig study=c2c key=x unit=ns label=no reps",
                "fig study=c2c key=x unit=ns reps=1,two others=0 label=x",
                "fig study=c2c key=x unit=ns reps=1 novalue label=x",
                "figure study=c2c")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProbeRecord.parse(line));
            assertTrue(e.getMessage().contains(line) || e.getMessage().contains("not a figure line"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ProbeRecord.parseInfo("fig x=1"));
    }
}
