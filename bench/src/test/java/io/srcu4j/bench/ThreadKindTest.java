// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadKindTest {

    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    @Test
    void virtualThreadsUpToTheCpuCountRunOnTheDefaultScheduler() {
        assertEquals(List.of("-Djmh.executor=VIRTUAL"), ThreadKind.VIRTUAL.jvmArgs(1));
        assertEquals(List.of("-Djmh.executor=VIRTUAL"), ThreadKind.VIRTUAL.jvmArgs(CPUS));
        assertEquals(List.of(), ThreadKind.PLATFORM.jvmArgs(4 * CPUS));
    }

    @Test
    void moreVirtualThreadsThanCpusGetACarrierEach() {
        List<String> args = ThreadKind.VIRTUAL.jvmArgs(2 * CPUS);
        assertTrue(args.contains("-Djdk.virtualThreadScheduler.parallelism=" + 2 * CPUS), args.toString());
        assertEquals(ThreadKind.VIRTUAL, ThreadKind.of(args), "the fork is still recognised as virtual");
    }
}
