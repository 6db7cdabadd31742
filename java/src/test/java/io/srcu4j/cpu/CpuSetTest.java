// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CpuSet: the kernel's CPU list format both ways, and the set operations. */
class CpuSetTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0-3,8,10-11     | 0-3,8,10-11 | 7",
            "0               | 0           | 1",
            "5-5             | 5           | 1",
            "3,1,2           | 1-3         | 3",
            "0-1,1-2         | 0-2         | 3",
            "0,2,4,6         | 0,2,4,6     | 4",
            "1023            | 1023        | 1",
    })
    void parsesAndPrintsTheKernelFormat(String text, String canonical, int size) {
        CpuSet set = CpuSet.parse(text);
        assertEquals(canonical, set.toString());
        assertEquals(size, set.size());
        assertEquals(set, CpuSet.parse(set.toString()), "round trip");
    }

    @Test
    void ignoresTheTrailingNewlineOfSysfsFiles() {
        assertEquals(CpuSet.range(0, 1), CpuSet.parse("0-1\n"));
        assertEquals(CpuSet.of(4, 7), CpuSet.parse("\t 4,7 \n"));
    }

    @Test
    void emptyTextIsTheEmptySet() {
        assertTrue(CpuSet.parse("").isEmpty());
        assertTrue(CpuSet.parse("\n").isEmpty());
        assertEquals("", CpuSet.empty().toString());
        assertEquals(-1, CpuSet.empty().first());
        assertEquals(-1, CpuSet.empty().last());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "0-          | expected a CPU number but found the end | 2",
            "-1          | expected a CPU number but found '-'     | 0",
            "1,,2        | expected a CPU number but found ','     | 2",
            "1,          | expected a CPU number but found the end | 2",
            "3-1         | range 3-1 ends before it starts         | 2",
            "a           | expected a CPU number but found 'a'     | 0",
            "1 2         | expected ',' or '-' but found ' '       | 1",
            "1-2-3       | expected ',' or '-' but found '-'       | 3",
            "0-15:2/4    | expected ',' or '-' but found ':'       | 4",
            "0x3         | expected ',' or '-' but found 'x'       | 1",
            "\" 7;\"     | expected ',' or '-' but found ';'       | 2",
            "99999999999 | above the largest accepted, 1048575     | 0",
    })
    void malformedTextIsRefusedWithTheProblemAndItsPosition(String text, String problem, int position) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuSet.parse(text));
        assertTrue(e.getMessage().startsWith("malformed CPU list \"" + text + "\": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at position " + position), e.getMessage());
    }

    @Test
    void nullTextIsNamed() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> CpuSet.parse(null));
        assertTrue(e.getMessage().contains("CPU list"), e.getMessage());
    }

    @Test
    void factoriesCheckTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> CpuSet.of(-1));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.of(CpuSet.MAX_CPU + 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuSet.range(4, 2));
        assertTrue(e.getMessage().contains("4-2"), e.getMessage());
        BitSet huge = new BitSet();
        huge.set(CpuSet.MAX_CPU + 1);
        assertThrows(IllegalArgumentException.class, () -> CpuSet.of(huge));
    }

    @Test
    void setOperations() {
        CpuSet a = CpuSet.parse("0-3");
        CpuSet b = CpuSet.parse("2-5");
        assertEquals(CpuSet.parse("2-3"), a.and(b));
        assertEquals(CpuSet.parse("0-5"), a.or(b));
        assertEquals(CpuSet.parse("0-1"), a.andNot(b));
        assertTrue(a.intersects(b));
        assertFalse(a.intersects(CpuSet.of(7)));
        assertTrue(a.containsAll(CpuSet.of(1, 3)));
        assertFalse(a.containsAll(b));
        assertTrue(a.containsAll(CpuSet.empty()));
        assertTrue(a.contains(0) && !a.contains(4) && !a.contains(-1));
        assertArrayEquals(new int[] {2, 3, 4, 5}, b.toArray());
        assertEquals(2, b.first());
        assertEquals(5, b.last());
    }

    @Test
    void isImmutable() {
        BitSet bits = new BitSet();
        bits.set(1);
        CpuSet set = CpuSet.of(bits);
        bits.set(2);
        set.toBitSet().set(3);
        assertEquals("1", set.toString());
    }

    @Test
    void wordsPutCpuNAtBitNMod64OfWordNDiv64() {
        long[] words = CpuSet.of(0, 63, 64, 130).toWords(4);
        assertArrayEquals(new long[] {1L | 1L << 63, 1L, 1L << 2, 0L}, words);
    }
}
