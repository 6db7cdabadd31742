// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What freeing home slots costs a thread that outlives many domains: one thread claims its
 * home slot in 100,000 short-lived domains in turn ({@link HomeSlotChurn}, in a JVM with a 32 MiB
 * heap). Memory kept per claim until the thread ends, such as a Cleaner registration that holds
 * the domain's owner table, runs that heap out; smaller remains still show as growth of the heap
 * in use between the first tenth of the churn and its end, which must stay under 2 MiB.
 */
class HomeSlotReleaseTest {

    private static final int DOMAINS = 100_000;
    private static final long MAX_GROWTH = 2L << 20;

    @Test
    void aThreadThatReadsManyShortLivedDomainsKeepsNoMemoryPerDomain() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx32m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), HomeSlotChurn.class.getName(),
                Integer.toString(DOMAINS), Long.toString(MAX_GROWTH))
                .redirectErrorStream(true)
                .start();
        boolean finished = p.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(finished, () -> "the churn of " + DOMAINS + " domains did not finish in 90 s:\n" + out);
        assertEquals(0, p.exitValue(), () -> "memory kept per domain claimed (exit " + p.exitValue() + "):\n" + out);
    }
}
