// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bindings;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * Holds every struct and enum constant of the Java bindings against what the C compiler makes of
 * srcu4j.h, as printed by native/tests/layout_probe.c. A size, offset, alignment or value that
 * differs, a probe fact with no Java counterpart and a Java struct, field or constant the probe
 * does not print all fail the test.
 */
class BindingsLayoutTest {

    @Test
    void javaLayoutsMatchTheCompiler() {
        Map<String, Long> probe = NativeFacts.probeFacts();
        Map<String, Long> java = javaFacts();
        List<String> problems = compare(probe, java);
        if (!problems.isEmpty()) {
            fail("The Java bindings and the C header disagree (regenerate with make bindings, or fix"
                    + " native/tests/layout_probe.c):\n  " + String.join("\n  ", problems)
                    + "\nprobe: " + probe + "\njava:  " + java);
        }
    }

    @Test
    void bindingsHaveStructsAndConstants() {
        // Guards the discovery itself: an empty scan would make the comparison pass vacuously.
        List<String> structs = NativeFacts.structClasses().stream().map(Class::getSimpleName).toList();
        assertEquals(List.of("s4j_capabilities", "s4j_srcu_counters", "s4j_srcu_head", "s4j_wake_stats"), structs);
        assertFalse(NativeFacts.constantGetters().isEmpty(), "no constant getters found in srcu4j_h");
    }

    @Test
    void comparisonReportsEveryKindOfDrift() {
        Map<String, Long> probe = new LinkedHashMap<>();
        probe.put("s.sizeof", 16L);
        probe.put("s.a.offset", 0L);
        probe.put("ONLY_IN_C", 1L);
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("s.sizeof", 24L);
        java.put("s.a.offset", 0L);
        java.put("s.b.offset", 8L);
        List<String> problems = compare(probe, java);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("s.sizeof") && p.contains("16") && p.contains("24")));
        assertTrue(problems.stream().anyMatch(p -> p.contains("ONLY_IN_C")));
        assertTrue(problems.stream().anyMatch(p -> p.contains("s.b.offset")));
        assertTrue(compare(java, java).isEmpty());
    }

    /** Problems found comparing probe facts with Java facts; empty when they agree. */
    static List<String> compare(Map<String, Long> probe, Map<String, Long> java) {
        List<String> problems = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(probe.keySet());
        keys.addAll(java.keySet());
        for (String key : keys) {
            Long c = probe.get(key);
            Long j = java.get(key);
            if (j == null) {
                problems.add(key + ": printed by the probe (" + c + ") but has no Java counterpart");
            } else if (c == null) {
                problems.add(key + ": in the Java bindings (" + j + ") but not printed by the probe");
            } else if (!c.equals(j)) {
                problems.add(key + ": C says " + c + ", Java says " + j);
            }
        }
        return problems;
    }

    /** The same facts as the probe prints, read from the Java bindings. */
    static Map<String, Long> javaFacts() {
        Map<String, Long> facts = new LinkedHashMap<>();
        for (Class<?> struct : NativeFacts.structClasses()) {
            String name = struct.getSimpleName();
            GroupLayout layout = (GroupLayout) call(struct, "layout");
            long sizeof = (long) call(struct, "sizeof");
            assertEquals(layout.byteSize(), sizeof, name + ".sizeof() disagrees with its layout");
            assertEquals(name, layout.name().orElse(""), name + ": layout name");
            facts.put(name + ".sizeof", sizeof);
            facts.put(name + ".alignof", layout.byteAlignment());
            for (MemoryLayout member : layout.memberLayouts()) {
                if (member instanceof PaddingLayout) {
                    continue;
                }
                String field = member.name().orElseThrow(
                        () -> new AssertionError(name + " has an unnamed member " + member));
                long offset = (long) call(struct, field + "$offset");
                MemoryLayout fieldLayout = (MemoryLayout) call(struct, field + "$layout");
                assertEquals(layout.byteOffset(groupElement(field)), offset,
                        name + "." + field + "$offset() disagrees with the struct layout");
                assertEquals(member.byteSize(), fieldLayout.byteSize(),
                        name + "." + field + "$layout() disagrees with the struct layout");
                facts.put(name + "." + field + ".offset", offset);
                facts.put(name + "." + field + ".size", fieldLayout.byteSize());
            }
        }
        for (Method getter : NativeFacts.constantGetters()) {
            facts.put(getter.getName(), ((Number) call(srcu4j_h.class, getter.getName())).longValue());
        }
        return facts;
    }

    private static Object call(Class<?> owner, String method) {
        try {
            return owner.getMethod(method).invoke(null);
        } catch (NoSuchMethodException e) {
            return fail(owner.getSimpleName() + " has no public static " + method + "()", e);
        } catch (IllegalAccessException e) {
            return fail(owner.getSimpleName() + "." + method + "() is not accessible", e);
        } catch (InvocationTargetException e) {
            return fail(owner.getSimpleName() + "." + method + "() threw", e.getCause());
        }
    }
}
