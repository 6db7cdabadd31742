// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.path;

import io.srcu4j.internal.ffm.FfmDomain;
import io.srcu4j.internal.heap.HeapDomain;
import io.srcu4j.internal.jna.JnaDomain;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.ClassEntry;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The path layer reads top-down: {@link PathFactory} knows every implementation, the
 * implementations know {@link PathKind} only to name themselves, and {@code PathKind} knows
 * nothing of the project. Read from the compiled classes' constant pools, so a dependency
 * through a same-package name or a nested class counts too.
 */
class PathLayeringTest {

    private static final String PROJECT = "io/srcu4j/";

    @Test
    void pathKindReachesNoOtherClassOfTheProject() {
        Set<String> reached = reachable(PathKind.class);
        reached.removeIf(name -> name.equals(internalName(PathKind.class))
                || name.startsWith(internalName(PathKind.class) + "$"));
        assertEquals(Set.of(), reached, "PathKind must stay a leaf: it reaches these classes");
    }

    @Test
    void noImplementationReachesTheLayerAboveIt() {
        for (Class<?> domain : new Class<?>[] {FfmDomain.class, HeapDomain.class, JnaDomain.class}) {
            Set<String> reached = reachable(domain);
            for (Class<?> above : new Class<?>[] {PathFactory.class, PathSelection.class}) {
                assertFalse(reached.contains(internalName(above)),
                        domain.getSimpleName() + " reaches " + above.getSimpleName() + ": " + reached);
            }
        }
    }

    /** The project's classes that {@code start}'s class file leads to, directly or through others. */
    private static Set<String> reachable(Class<?> start) {
        Set<String> seen = new TreeSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>();
        todo.add(internalName(start));
        while (!todo.isEmpty()) {
            for (String next : referencedProjectClasses(todo.poll())) {
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        return seen;
    }

    private static Set<String> referencedProjectClasses(String internalName) {
        Set<String> out = new TreeSet<>();
        try (InputStream in = PathLayeringTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            if (in == null) {
                return out;   // not a resource of this class loader: nothing to follow
            }
            for (var entry : ClassFile.of().parse(in.readAllBytes()).constantPool()) {
                if (entry instanceof ClassEntry c && c.asInternalName().startsWith(PROJECT)) {
                    out.add(c.asInternalName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String internalName(Class<?> c) {
        return c.getName().replace('.', '/');
    }
}
