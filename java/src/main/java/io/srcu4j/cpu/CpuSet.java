// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU numbers (the kernel's, from 0).
 *
 * <p>Its text form is the kernel's CPU list format, as in {@code /sys/devices/system/cpu/online}
 * or {@code Cpus_allowed_list}: ascending numbers and ranges separated by commas, e.g.
 * {@code 0-3,8,10-11}; the empty set is the empty string. {@link #parse(String)} reads it and
 * {@link #toString()} writes it.
 */
public final class CpuSet {

    /**
     * The largest CPU number accepted: far beyond any kernel's {@code NR_CPUS} (8192 today), and
     * small enough that a typo cannot make a set of gigabytes.
     */
    public static final int MAX_CPU = (1 << 20) - 1;

    private static final CpuSet EMPTY = new CpuSet(new BitSet());

    private final BitSet bits;

    private CpuSet(BitSet bits) {
        this.bits = bits;
    }

    /** {@return the set with no CPU; its text form is the empty string} */
    public static CpuSet empty() {
        return EMPTY;
    }

    /**
     * The set of the given CPUs.
     *
     * @param cpus CPU numbers in any order; a repeated one counts once, and none gives the empty set
     * @return the set holding exactly those CPUs
     * @throws IllegalArgumentException when a number is outside {@code 0 .. MAX_CPU}
     */
    public static CpuSet of(int... cpus) {
        BitSet bits = new BitSet();
        for (int cpu : cpus) {
            bits.set(checkCpu(cpu));
        }
        return new CpuSet(bits);
    }

    /**
     * CPUs {@code first .. last}, both included.
     *
     * @param first the lowest CPU of the set
     * @param last  the highest CPU of the set; equal to {@code first} for a single CPU
     * @return the set of the {@code last - first + 1} CPUs
     * @throws IllegalArgumentException when {@code last < first} or either is outside {@code 0 .. MAX_CPU}
     */
    public static CpuSet range(int first, int last) {
        checkCpu(first);
        checkCpu(last);
        if (last < first) {
            throw new IllegalArgumentException("CPU range " + first + "-" + last + " ends before it starts");
        }
        BitSet bits = new BitSet(last + 1);
        bits.set(first, last + 1);
        return new CpuSet(bits);
    }

    /**
     * The CPUs whose bits are set (bit {@code n} is CPU {@code n}); the bit set is copied.
     *
     * @param bits the CPUs as bits; changing it afterwards leaves the set as it was
     * @return the set of those CPUs; the empty set when no bit is set
     * @throws IllegalArgumentException when a bit above {@code MAX_CPU} is set
     */
    public static CpuSet of(BitSet bits) {
        if (bits.length() > MAX_CPU + 1) {
            throw new IllegalArgumentException("CPU " + (bits.length() - 1) + " is above the largest accepted, " + MAX_CPU);
        }
        return bits.isEmpty() ? EMPTY : new CpuSet((BitSet) bits.clone());
    }

    /**
     * Reads the kernel's CPU list format, such as {@code "0-3,8,10-11"}. Surrounding whitespace
     * (the trailing newline of a sysfs file) is ignored; an empty or blank text is the empty set.
     *
     * @param text the list, e.g. the content of {@code /sys/devices/system/cpu/online}; not null
     * @return the CPUs the text names
     * @throws NullPointerException     when {@code text} is null
     * @throws IllegalArgumentException naming the text and the position of the first problem:
     *                                  a missing or non-decimal number, a range that ends before it
     *                                  starts, a number above {@link #MAX_CPU}, an empty element
     *                                  ({@code "1,,2"}, a trailing comma), or anything else
     */
    public static CpuSet parse(String text) {
        return new Parser(text).parse();
    }

    /**
     * {@return whether {@code cpu} is in the set; false for any negative number}
     *
     * @param cpu any number, not checked against {@link #MAX_CPU}
     */
    public boolean contains(int cpu) {
        return cpu >= 0 && bits.get(cpu);
    }

    /**
     * {@return whether every CPU of {@code other} is in this set; true when {@code other} is empty}
     *
     * @param other the CPUs to look for
     */
    public boolean containsAll(CpuSet other) {
        BitSet rest = (BitSet) other.bits.clone();
        rest.andNot(bits);
        return rest.isEmpty();
    }

    /**
     * {@return whether the two sets share a CPU; false when either is empty}
     *
     * @param other the set to compare with
     */
    public boolean intersects(CpuSet other) {
        return bits.intersects(other.bits);
    }

    /**
     * {@return the CPUs in both sets; the empty set when they share none} Neither set changes.
     *
     * @param other the set to intersect with
     */
    public CpuSet and(CpuSet other) {
        BitSet result = (BitSet) bits.clone();
        result.and(other.bits);
        return result.isEmpty() ? EMPTY : new CpuSet(result);
    }

    /**
     * {@return the CPUs in either set} Neither set changes.
     *
     * @param other the set to join with
     */
    public CpuSet or(CpuSet other) {
        BitSet result = (BitSet) bits.clone();
        result.or(other.bits);
        return result.isEmpty() ? EMPTY : new CpuSet(result);
    }

    /**
     * {@return the CPUs of this set that are not in {@code other}; the empty set when
     * {@code other} holds them all} Neither set changes.
     *
     * @param other the CPUs to leave out
     */
    public CpuSet andNot(CpuSet other) {
        BitSet result = (BitSet) bits.clone();
        result.andNot(other.bits);
        return result.isEmpty() ? EMPTY : new CpuSet(result);
    }

    /** {@return how many CPUs the set holds; 0 for the empty set} */
    public int size() {
        return bits.cardinality();
    }

    /** {@return whether the set holds no CPU} */
    public boolean isEmpty() {
        return bits.isEmpty();
    }

    /** {@return the lowest CPU of the set, or -1 when it is empty} */
    public int first() {
        return bits.nextSetBit(0);
    }

    /** {@return the highest CPU of the set, or -1 when it is empty} */
    public int last() {
        return bits.length() - 1;
    }

    /** {@return the CPUs in ascending order, each once; an empty stream for the empty set} */
    public IntStream stream() {
        return bits.stream();
    }

    /** {@return a new array of the CPUs in ascending order; empty for the empty set} */
    public int[] toArray() {
        return bits.stream().toArray();
    }

    /**
     * {@return a copy as a {@link BitSet}, bit {@code n} set for CPU {@code n}} Changing the copy
     * leaves the set as it was.
     */
    public BitSet toBitSet() {
        return (BitSet) bits.clone();
    }

    /**
     * The set as 64-bit words, CPU {@code n} at bit {@code n % 64} of word {@code n / 64},
     * padded with zero words to at least {@code minWords}; the layout the native library takes.
     */
    long[] toWords(int minWords) {
        long[] words = bits.toLongArray();
        return words.length >= minWords ? words : Arrays.copyOf(words, minWords);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet other && bits.equals(other.bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }

    /** The kernel's CPU list format, such as {@code 0-3,8,10-11}; empty for the empty set. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int first = bits.nextSetBit(0); first >= 0; ) {
            int end = bits.nextClearBit(first);   // one past the run's last CPU
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(first);
            if (end - 1 > first) {
                text.append('-').append(end - 1);
            }
            first = bits.nextSetBit(end);
        }
        return text.toString();
    }

    private static int checkCpu(int cpu) {
        if (cpu < 0 || cpu > MAX_CPU) {
            throw new IllegalArgumentException("CPU " + cpu + " is outside 0.." + MAX_CPU);
        }
        return cpu;
    }

    /** One pass over the text; every error names the text and the position. */
    private static final class Parser {
        private final String text;
        private final String trimmed;
        private final int leadingBlanks;   // so positions count from the start of the text given
        private int pos;

        Parser(String text) {
            if (text == null) {
                throw new NullPointerException("CPU list text is null");
            }
            this.text = text;
            this.trimmed = text.strip();
            this.leadingBlanks = text.length() - text.stripLeading().length();
        }

        CpuSet parse() {
            BitSet bits = new BitSet();
            if (trimmed.isEmpty()) {
                return EMPTY;
            }
            while (true) {
                int first = number();
                int last = first;
                if (pos < trimmed.length() && trimmed.charAt(pos) == '-') {
                    pos++;
                    int rangeStart = pos;
                    last = number();
                    if (last < first) {
                        throw error("range " + first + "-" + last + " ends before it starts", rangeStart);
                    }
                }
                bits.set(first, last + 1);
                if (pos == trimmed.length()) {
                    return new CpuSet(bits);
                }
                if (trimmed.charAt(pos) != ',') {
                    throw error("expected ',' or '-' but found '" + trimmed.charAt(pos) + "'", pos);
                }
                pos++;
            }
        }

        private int number() {
            int start = pos;
            long value = 0;
            while (pos < trimmed.length() && trimmed.charAt(pos) >= '0' && trimmed.charAt(pos) <= '9') {
                value = value * 10 + (trimmed.charAt(pos) - '0');
                if (value > MAX_CPU) {
                    throw error("CPU number is above the largest accepted, " + MAX_CPU, start);
                }
                pos++;
            }
            if (pos == start) {
                String found = pos == trimmed.length() ? "the end" : "'" + trimmed.charAt(pos) + "'";
                throw error("expected a CPU number but found " + found, pos);
            }
            return (int) value;
        }

        private IllegalArgumentException error(String problem, int at) {
            return new IllegalArgumentException("malformed CPU list \"" + text + "\": " + problem
                    + " at position " + (leadingBlanks + at));
        }
    }
}
