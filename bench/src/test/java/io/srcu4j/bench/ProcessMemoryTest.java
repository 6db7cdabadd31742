// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

    private static final long BLOCK = 32L << 20;
    private static final long MARGIN = 2L << 20;
    private static final int TRIES = 5;

    @Test
    void rssAnonIsReadInBytes() {
        assertEquals(1234L * 1024, ProcessMemory.rssAnon(List.of("VmRSS:\t 99 kB", "RssAnon:\t    1234 kB")));
        var e = assertThrows(IllegalArgumentException.class, () -> ProcessMemory.rssAnon(List.of("VmRSS: 1 kB")));
        assertTrue(e.getMessage().contains("no RssAnon"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcessMemory.rssAnon(List.of("RssAnon: 12 pages")));
    }

    @Test
    void mallocsBytesInUseFollowANativeAllocation() {
        ProcessMemory memory = ProcessMemory.ofThisProcess();
        assumeTrue(memory.mallocUnavailable() == null, memory.mallocUnavailable());
        // Other threads of this JVM (the compilers, other tests) malloc and free meanwhile: a few
        // tries, each with a margin far narrower than the block, and one of them must match.
        List<String> tries = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            long before = memory.mallocInUse().orElseThrow();
            long rssBefore = memory.rssAnon();
            long during;
            long rssDuring;
            try (Arena arena = Arena.ofConfined()) {
                // An arena's memory comes from malloc; filled, so that it is resident too.
                MemorySegment block = arena.allocate(BLOCK);
                block.fill((byte) 1);
                during = memory.mallocInUse().orElseThrow();
                rssDuring = memory.rssAnon();
            }
            long after = memory.mallocInUse().orElseThrow();
            if (near(during - before) && near(during - after) && near(rssDuring - rssBefore)) {
                return;
            }
            tries.add("grew " + (during - before) + ", freed " + (during - after) + ", RssAnon grew "
                    + (rssDuring - rssBefore));
        }
        fail("no try saw the " + BLOCK + " bytes come and go: " + tries);
    }

    private static boolean near(long bytes) {
        return Math.abs(bytes - BLOCK) < MARGIN;
    }
}
