// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.internal.loader.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The read side's lock increment ([B]): where it adds a full fence after the locked add. On
 * x86 the add is one by itself; elsewhere (aarch64 above all) the Java memory model and the
 * hardware make it none, and the fence must follow. The reordering itself is the subject of the
 * stress tests {@code PairB_AF_GetAndAdd*}: no x86 machine can show it.
 */
class LockIncrementTest {

    @ParameterizedTest
    @CsvSource({
            "amd64, true", "x86_64, true", "x86, true", "i386, true",
            "aarch64, false", "arm64, false", "riscv64, false", "ppc64le, false", "s390x, false", "'', false",
    })
    void aFenceFollowsTheAddWhereALockedAddIsNoFullFence(String osArch, boolean lockedAddIsFence) {
        assertEquals(lockedAddIsFence, DirectReadSide.lockedAddIsFullFence(osArch), osArch);
    }

    @Test
    void theIncrementAddsOne() {
        NativeLibrary.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
            counter.set(ValueLayout.JAVA_LONG, 0, 41);
            DirectReadSide.lockIncrement(counter.address());
            assertEquals(42, counter.get(ValueLayout.JAVA_LONG, 0));
        }
    }
}
