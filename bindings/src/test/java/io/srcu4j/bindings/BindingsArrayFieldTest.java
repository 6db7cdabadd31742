// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The indexed accessors jextract makes for array fields ({@code f(struct, i)} and
 * {@code f(struct, i, v)}) address element i of that field, where the C compiler puts it: checked
 * for every array field of every struct against the layout probe's offsets, and for the counters
 * of an external reader against the library's own sums.
 */
class BindingsArrayFieldTest {

    private static final String DIMENSIONS_SUFFIX = "$dimensions";

    @BeforeAll
    static void loadLibrary() {
        // srcu4j_h looks symbols up with SymbolLookup.loaderLookup(): load into this class loader.
        System.load(NativeFacts.requiredFile(NativeFacts.LIBRARY_PROPERTY, "native library libsrcu4j.so")
                .toAbsolutePath().toString());
    }

    /** One array field of a struct: its class, name and element count. */
    private record ArrayField(Class<?> struct, String name, long length) {
        String key() {
            return struct.getSimpleName() + "." + name;
        }
    }

    /** Every array field, found by its {@code f$dimensions()} method; only one-dimensional ones. */
    private static List<ArrayField> arrayFields() {
        List<ArrayField> fields = new ArrayList<>();
        for (Class<?> struct : NativeFacts.structClasses()) {
            for (Method m : struct.getMethods()) {
                String n = m.getName();
                if (!n.endsWith(DIMENSIONS_SUFFIX) || m.getParameterCount() != 0) {
                    continue;
                }
                String name = n.substring(0, n.length() - DIMENSIONS_SUFFIX.length());
                long[] dims = (long[]) invoke(m, null);
                if (dims.length != 1) {
                    fail(struct.getSimpleName() + "." + name + " has " + dims.length
                            + " dimensions; this test indexes one-dimensional arrays only: extend it");
                }
                fields.add(new ArrayField(struct, name, dims[0]));
            }
        }
        return fields;
    }

    @Test
    void everyIndexedAccessorAddressesItsOwnElement() {
        List<ArrayField> fields = arrayFields();
        assertFalse(fields.isEmpty(), "no array field found: the scan itself is broken");
        Map<String, Long> probe = NativeFacts.probeFacts();
        try (Arena arena = Arena.ofConfined()) {
            for (ArrayField field : fields) {
                Long offset = probe.get(field.key() + ".offset");
                Long size = probe.get(field.key() + ".size");
                if (offset == null || size == null) {
                    fail("the layout probe prints no offset or size of " + field.key());
                }
                long elementSize = size / field.length();
                GroupLayout layout = (GroupLayout) call(field.struct(), "layout");
                MemorySegment struct = arena.allocate(layout);
                Method getter = method(field.struct(), field.name(), MemorySegment.class, long.class);
                Class<?> type = getter.getReturnType();
                Method setter = method(field.struct(), field.name(), MemorySegment.class, long.class, type);
                // Distinct values, so an element written where another lives shows as a mismatch.
                for (long i = 0; i < field.length(); i++) {
                    invoke(setter, null, struct, i, value(type, 0x5100 + i));
                }
                for (long i = 0; i < field.length(); i++) {
                    long at = offset + i * elementSize;
                    String where = field.key() + "[" + i + "]";
                    assertEquals(0x5100 + i, raw(struct, at, type, elementSize),
                            where + " set through the indexed setter is not at offset " + at);
                    struct.set(ValueLayout.JAVA_BYTE, at, (byte) 0x7e);
                    assertEquals(raw(struct, at, type, elementSize),
                            ((Number) invoke(getter, null, struct, i)).longValue(),
                            where + " read through the indexed getter is not the one at offset " + at);
                }
            }
        }
    }

    @Test
    void externalReaderCountsThroughIndexedAccessorsBalance() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(srcu4j_h.C_POINTER);
            assertEquals(srcu4j_h.S4J_CREATED(), srcu4j_h.s4j_srcu_create(srcu4j_h.S4J_FLAVOR_CLASSIC(), out));
            MemorySegment ssp = out.get(srcu4j_h.C_POINTER, 0);
            assertEquals(0, srcu4j_h.s4j_srcu_counters_claim(ssp, out));
            MemorySegment set = out.get(srcu4j_h.C_POINTER, 0).reinterpret(s4j_srcu_counters.sizeof());
            for (int idx = 0; idx < 2; idx++) {
                s4j_srcu_counters.lock_count(set, idx, s4j_srcu_counters.lock_count(set, idx) + 1);
                assertEquals(1L, srcu4j_h.s4j_srcu_readers_active(ssp), "lock_count[" + idx + "] + 1");
                s4j_srcu_counters.unlock_count(set, idx, s4j_srcu_counters.unlock_count(set, idx) + 1);
                assertEquals(0L, srcu4j_h.s4j_srcu_readers_active(ssp),
                        "unlock_count[" + idx + "] + 1 must balance lock_count[" + idx + "]");
                assertEquals(1L, s4j_srcu_counters.lock_count(set, idx), "lock_count[" + idx + "]");
                assertEquals(1L, s4j_srcu_counters.unlock_count(set, idx), "unlock_count[" + idx + "]");
            }
            assertEquals(0, srcu4j_h.s4j_srcu_counters_release(ssp, set));
            assertEquals(0, srcu4j_h.s4j_srcu_close(ssp));
            assertEquals(0, srcu4j_h.s4j_srcu_free(ssp));
        }
    }

    private static Object value(Class<?> type, long v) {
        if (type == long.class) {
            return v;
        }
        if (type == int.class) {
            return (int) v;
        }
        return fail("array elements of type " + type + " are not handled here: extend the test");
    }

    private static long raw(MemorySegment struct, long at, Class<?> type, long elementSize) {
        if (type == long.class && elementSize == Long.BYTES) {
            return struct.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
        }
        if (type == int.class && elementSize == Integer.BYTES) {
            return struct.get(ValueLayout.JAVA_INT_UNALIGNED, at);
        }
        return fail("an element of " + elementSize + " bytes read as " + type + " is not handled here");
    }

    private static Method method(Class<?> owner, String name, Class<?>... parameters) {
        try {
            return owner.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return fail(owner.getSimpleName() + " has no indexed accessor " + name + List.of(parameters), e);
        }
    }

    private static Object call(Class<?> owner, String name) {
        return invoke(method(owner, name), null);
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (IllegalAccessException e) {
            return fail(m + " is not accessible", e);
        } catch (InvocationTargetException e) {
            return fail(m + " threw", e.getCause());
        }
    }
}
