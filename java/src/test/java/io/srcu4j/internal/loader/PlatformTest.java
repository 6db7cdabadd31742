// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.loader;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class PlatformTest {

    @ParameterizedTest
    @CsvSource({
            "Linux, amd64, linux-x86_64",
            "Linux, x86_64, linux-x86_64",
            "linux, X86_64, linux-x86_64",
            "Linux, aarch64, linux-aarch64",
            "Linux, arm64, linux-aarch64",
            "Mac OS X, aarch64, osx-aarch64",
            "Mac OS X, x86_64, osx-x86_64",
            "Windows 11, amd64, windows-x86_64",
            "Linux, i686, linux-x86_32",
            "Linux, riscv64, linux-riscv64",
            "FreeBSD, amd64, freebsd-x86_64",
    })
    void keysAreNormalised(String osName, String osArch, String key) {
        assertEquals(key, Platform.osArchKey(osName, osArch));
    }

    @Test
    void resourcePathFollowsTheJarLayout() {
        assertEquals("META-INF/native/linux-x86_64/libsrcu4j.so", Platform.resourcePath("linux-x86_64"));
        assertEquals("META-INF/native/linux-aarch64/libsrcu4j.so", Platform.resourcePath("linux-aarch64"));
    }

    /** The build puts both libraries where the loader looks: each is an ELF of its machine. */
    @ParameterizedTest
    @CsvSource({
            "amd64, 62",
            "aarch64, 183",
            "arm64, 183",
    })
    void theJarCarriesTheLibraryOfEachLinuxArchitecture(String osArch, short elfMachine) throws IOException {
        String resource = Platform.resourcePath(Platform.osArchKey("Linux", osArch));
        try (InputStream in = PlatformTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is not on the class path (the java module's build copies it)");
            byte[] header = in.readNBytes(20);
            assertEquals(20, header.length, resource + " is shorter than an ELF header");
            assertEquals(0x7f, header[0] & 0xff, resource + ": ELF magic");
            assertEquals(elfMachine, (short) ((header[18] & 0xff) | (header[19] & 0xff) << 8),
                    resource + ": e_machine");
        }
    }

    @Test
    void currentKeyUsesTheJvmProperties() {
        assertEquals(Platform.osArchKey(System.getProperty("os.name"), System.getProperty("os.arch")),
                Platform.currentKey());
    }
}
