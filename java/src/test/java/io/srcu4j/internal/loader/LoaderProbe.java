// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.loader;

import io.srcu4j.ReadGuard;
import io.srcu4j.Srcu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Run in a JVM of its own by {@link LoaderCleanupTest}: loads the library as the properties it
 * was given say, uses a domain, and prints where the library came from and what is left in the
 * work directory.
 */
public final class LoaderProbe {

    private LoaderProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("available=" + NativeLibrary.isAvailable());
        if (!NativeLibrary.isAvailable()) {
            System.out.println("cause=" + NativeLibrary.unavailabilityCause());
            return;
        }
        System.out.println("loaded=" + NativeLibrary.loadedPath());
        try (Srcu srcu = Srcu.create()) {
            try (ReadGuard g = srcu.read()) {
                srcu.callSrcu(() -> { });
            }
            srcu.synchronize();
            srcu.barrier();
        }
        System.out.println("used=true");
        Path workdir = Path.of(System.getProperty("srcu4j.native.workdir", System.getProperty("java.io.tmpdir")));
        try (Stream<Path> left = Files.list(workdir)) {
            System.out.println("left=" + String.join(",", left.map(p -> p.getFileName().toString()).sorted().toList()));
        }
    }
}
