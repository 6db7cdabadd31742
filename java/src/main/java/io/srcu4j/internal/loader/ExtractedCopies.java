// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.loader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The copies of the library extracted from the jar: one directory per JVM, named after its
 * process id ({@code srcu4j-<pid>-<random>}) and readable by its user only, deleted as soon as
 * the library is loaded. A JVM killed between the copy and the load leaves its directory; the next
 * JVM that extracts into the same place removes every directory whose process is gone, and the
 * single files ({@code libsrcu4j-*.so}) that versions before these directories left behind once
 * they are older than {@link #LEGACY_AGE} (a JVM of such a version may be about to load one it
 * has just written).
 */
final class ExtractedCopies {

    static final String PREFIX = "srcu4j-";
    static final String LEGACY_PREFIX = "libsrcu4j-";
    static final Duration LEGACY_AGE = Duration.ofMinutes(10);

    private ExtractedCopies() {
    }

    /** A new directory in {@code workdir} for this JVM's copy: mode 0700 where POSIX permissions exist. */
    static Path createPrivateDirectory(Path workdir) throws IOException {
        String prefix = PREFIX + ProcessHandle.current().pid() + "-";
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory(workdir, prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory(workdir, prefix);
    }

    /** Removes what JVMs no longer running left in {@code workdir}; what cannot be removed stays. */
    static void removeStale(Path workdir) {
        Instant legacyBefore = Instant.now().minus(LEGACY_AGE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(workdir,
                entry -> entry.getFileName().toString().startsWith(PREFIX)
                        || entry.getFileName().toString().startsWith(LEGACY_PREFIX))) {
            for (Path entry : entries) {
                if (isStale(entry, legacyBefore)) {
                    try {
                        delete(entry);
                    } catch (IOException | RuntimeException e) {
                        // Another JVM's, or removed meanwhile: not ours to insist on.
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable workdir fails the extraction itself, with a message of its own.
        }
    }

    /** Whether {@code entry} is a copy nobody can be using or about to use. */
    static boolean isStale(Path entry, Instant legacyBefore) throws IOException {
        String name = entry.getFileName().toString();
        if (name.startsWith(LEGACY_PREFIX)) {
            FileTime modified = Files.getLastModifiedTime(entry);
            return name.endsWith(".so") && Files.isRegularFile(entry) && modified.toInstant().isBefore(legacyBefore);
        }
        if (!Files.isDirectory(entry)) {
            return false;
        }
        long pid = pidOf(name);
        return pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** The process id in {@code srcu4j-<pid>-<random>}, or -1 when the name has none. */
    static long pidOf(String name) {
        int end = name.indexOf('-', PREFIX.length());
        if (!name.startsWith(PREFIX) || end < 0) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length(), end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Deletes {@code path} and, if it is a directory, what it holds. */
    static void delete(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
