// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The process's native memory as {@link LifecycleBenchmark} reads it: bytes the C heap has handed
 * out ({@code mallinfo2()}, glibc 2.33 and later: the arenas' chunks in use plus the chunks malloc
 * mapped on their own), and anonymous resident memory ({@code RssAnon} of
 * {@code /proc/self/status}), which also counts what malloc does not see, such as the stacks of
 * threads a C library starts.
 *
 * <p>Neither separates a library's memory from the JVM's own; a reading is only meaningful as the
 * difference across many domains created between two readings, with the JVM otherwise still.
 */
final class ProcessMemory {

    /** {@code struct mallinfo2}: ten {@code size_t}, in this order. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"),
            ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"),
            ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"),
            ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"),
            ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"),
            ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final long HBLKHD = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd"));
    private static final long UORDBLKS = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks"));

    private final MethodHandle mallinfo2;
    private final String mallocUnavailable;
    private final Path status;

    private ProcessMemory(MethodHandle mallinfo2, String mallocUnavailable, Path status) {
        this.mallinfo2 = mallinfo2;
        this.mallocUnavailable = mallocUnavailable;
        this.status = status;
    }

    /** The readings of this process; {@link #mallocInUse()} is empty where the C library has no mallinfo2. */
    static ProcessMemory ofThisProcess() {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> symbol = linker.defaultLookup().find("mallinfo2");
        if (symbol.isEmpty()) {
            return new ProcessMemory(null, "the C library has no mallinfo2 (glibc 2.33 or later has)",
                    Path.of("/proc/self/status"));
        }
        return new ProcessMemory(linker.downcallHandle(symbol.get(), FunctionDescriptor.of(MALLINFO2)), null,
                Path.of("/proc/self/status"));
    }

    /** Why {@link #mallocInUse()} is empty, or null. */
    String mallocUnavailable() {
        return mallocUnavailable;
    }

    /** Bytes malloc has handed out and not had back, over every arena; empty without mallinfo2. */
    Optional<Long> mallocInUse() {
        if (mallinfo2 == null) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) mallinfo2.invokeExact((SegmentAllocator) arena);
            return Optional.of(info.get(ValueLayout.JAVA_LONG, UORDBLKS) + info.get(ValueLayout.JAVA_LONG, HBLKHD));
        } catch (Throwable t) {
            throw new IllegalStateException("mallinfo2() failed: " + RunReport.describe(t), t);
        }
    }

    /** RssAnon of {@code /proc/self/status} in bytes. */
    long rssAnon() {
        try {
            return rssAnon(Files.readAllLines(status));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + status + ": " + e.getMessage(), e);
        }
    }

    /** The RssAnon line of a status file's lines ("RssAnon:   1234 kB"), in bytes. */
    static long rssAnon(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("RssAnon:")) {
                String[] words = line.substring("RssAnon:".length()).strip().split("\\s+");
                if (words.length == 2 && words[1].equals("kB")) {
                    return Long.parseLong(words[0]) * 1024;
                }
                throw new IllegalArgumentException("unexpected RssAnon line: '" + line + "'");
            }
        }
        throw new IllegalArgumentException("no RssAnon line in the status file (Linux 4.5 or later has one)");
    }
}
