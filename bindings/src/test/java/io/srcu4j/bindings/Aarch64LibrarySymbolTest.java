// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The jar's linux-aarch64 library, cross-built beside the x86-64 one: it is an AArch64 ELF
 * shared object, exports exactly the s4j_ functions the host library exports (so exactly those
 * srcu4j_h declares, which {@link BindingsSymbolTest} checks against the host library), and holds
 * the rseq sequence of arch/aarch64.h. It cannot be loaded here, so its symbols are read with nm,
 * which reads any ELF.
 */
class Aarch64LibrarySymbolTest {

    static final String AARCH64_LIBRARY_PROPERTY = "srcu4j.native.aarch64.path";
    /** e_machine of an AArch64 ELF file. */
    private static final short EM_AARCH64 = 183;

    private static Path aarch64Library() {
        return NativeFacts.requiredFile(AARCH64_LIBRARY_PROPERTY, "cross-built aarch64 libsrcu4j.so");
    }

    @Test
    void isAnAarch64SharedObject() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(aarch64Library(), StandardOpenOption.READ)) {
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // read the 20 bytes up to e_machine
            }
        }
        assertEquals(0x7f, header.get(0) & 0xff, "ELF magic");
        assertEquals('E', header.get(1));
        assertEquals(2, header.get(4), "ELFCLASS64");
        assertEquals(1, header.get(5), "ELFDATA2LSB");
        assertEquals(3, header.getShort(16), "e_type ET_DYN (a shared object)");
        assertEquals(EM_AARCH64, header.getShort(18), "e_machine EM_AARCH64");
    }

    @Test
    void exportsTheSameFunctionsAsTheHostLibrary() {
        Path host = NativeFacts.requiredFile(NativeFacts.LIBRARY_PROPERTY, "native library libsrcu4j.so");
        Set<String> aarch64 = BindingsSymbolTest.exportedFunctions(aarch64Library());
        Set<String> x86 = BindingsSymbolTest.exportedFunctions(host);
        assertEquals(x86, aarch64, "s4j_ functions of the aarch64 library against the host's");
    }

    /** Its glibc floor is the host library's, 2.17 (native/tests/glibc_floor.sh reads any ELF). */
    @Test
    void needsNoGlibcNewerThan217() {
        Path script = aarch64Library().getParent();
        while (script != null && !script.resolve("tests/glibc_floor.sh").toFile().isFile()) {
            script = script.getParent();
        }
        assertTrue(script != null, "native/tests/glibc_floor.sh not found above " + aarch64Library());
        List<String> out = NativeFacts.run(List.of(script.resolve("tests/glibc_floor.sh").toString(),
                aarch64Library().toString()), "glibc_floor.sh needs readelf (GNU binutils); install binutils.");
        assertTrue(out.stream().noneMatch(l -> l.contains("above")), String.join("\n", out));
    }

    @Test
    void holdsTheRseqSequence() {
        List<String> sections = NativeFacts.run(List.of("readelf", "-S", "-W", aarch64Library().toString()),
                "readelf (GNU binutils) is needed to list the library's sections; install binutils.");
        assertTrue(sections.stream().anyMatch(l -> l.contains(" __rseq_cs ")),
                "no __rseq_cs section (the rseq descriptors) in " + aarch64Library());
        assertTrue(sections.stream().anyMatch(l -> l.contains(" __rseq_failure ")),
                "no __rseq_failure section (the abort handlers) in " + aarch64Library());
    }
}
