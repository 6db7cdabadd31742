// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractedCopiesTest {

    /** Above any pid_max Linux allows (2^22): no process has it. */
    private static final long GONE = 999_999_999L;

    @TempDir
    Path workdir;

    @Test
    void whatDeadJvmsAndOldVersionsLeftIsRemovedAndNothingElse() throws IOException {
        long self = ProcessHandle.current().pid();
        Path dead = Files.createDirectory(workdir.resolve("srcu4j-" + GONE + "-123"));
        Files.writeString(dead.resolve("libsrcu4j.so"), "left by a JVM killed before it loaded");
        Path live = Files.createDirectory(workdir.resolve("srcu4j-" + self + "-456"));
        Files.writeString(live.resolve("libsrcu4j.so"), "a running JVM's");
        Path oldLegacy = Files.writeString(workdir.resolve("libsrcu4j-789.so"), "an older version's");
        Files.setLastModifiedTime(oldLegacy, FileTime.from(Instant.now().minus(ExtractedCopies.LEGACY_AGE).minusSeconds(60)));
        Path newLegacy = Files.writeString(workdir.resolve("libsrcu4j-790.so"), "an older version's, just written");
        Path unrelated = Files.writeString(workdir.resolve("srcu4j-notes.txt"), "not a copy");
        Path noPid = Files.createDirectory(workdir.resolve("srcu4j-cache"));

        ExtractedCopies.removeStale(workdir);

        try (Stream<Path> left = Files.list(workdir)) {
            assertEquals(List.of(live, newLegacy, noPid, unrelated).stream().map(Path::getFileName).sorted().toList(),
                    left.map(Path::getFileName).sorted().toList());
        }
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(oldLegacy));
    }

    @Test
    void theProcessIdIsReadFromTheDirectoryName() {
        assertEquals(4242, ExtractedCopies.pidOf("srcu4j-4242-8812345"));
        assertEquals(-1, ExtractedCopies.pidOf("srcu4j-cache"));
        assertEquals(-1, ExtractedCopies.pidOf("srcu4j-x-1"));
        assertEquals(-1, ExtractedCopies.pidOf("other-4242-1"));
    }

    @Test
    void aPrivateDirectoryIsNamedAfterThisProcess() throws IOException {
        Path dir = ExtractedCopies.createPrivateDirectory(workdir);
        assertEquals(ProcessHandle.current().pid(), ExtractedCopies.pidOf(dir.getFileName().toString()));
        assertTrue(Files.isDirectory(dir));
        ExtractedCopies.delete(dir);
        assertFalse(Files.exists(dir));
    }
}
