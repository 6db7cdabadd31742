package io.srcu4j.internal.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void currentKeyUsesTheJvmProperties() {
        assertEquals(Platform.osArchKey(System.getProperty("os.name"), System.getProperty("os.arch")),
                Platform.currentKey());
    }
}
