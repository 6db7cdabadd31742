// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.bindings.s4j_srcu_callback_fn;
import io.srcu4j.bindings.s4j_srcu_head;
import io.srcu4j.internal.CallbackSlots;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The callback slots of one native queue reached through FFM (a domain's {@code callSrcu}, see
 * {@link FfmDomain}, or the process's deferral, see {@link FfmDeferral}): slabs allocated from
 * the owner's arena, and the single upcall stub that runs them. The slot allocator, and its
 * synchronization, is {@link CallbackSlots}'s.
 *
 * <p>The arena is a domain's, closed only after the domain has been closed (worker joined, queue
 * empty) and freed, or the global arena for the deferral queue, whose worker lives as long as the
 * process.
 */
final class CallbackTable extends CallbackSlots<CallbackTable.Slab> {

    static {
        if (s4j_srcu_head.sizeof() != ID_OFFSET) {
            throw new ExceptionInInitializerError("unexpected sizeof(struct s4j_srcu_head): " + s4j_srcu_head.sizeof());
        }
    }

    /** One slab's memory, with a zero-length global view of each head: passing those to a
     *  downcall does not touch the shared arena's acquire count, which every caller would
     *  otherwise contend on. */
    record Slab(MemorySegment memory, MemorySegment[] heads) {
        static Slab allocate(Arena arena) {
            MemorySegment memory = arena.allocate(STRIDE * SLAB_SLOTS, STRIDE);
            MemorySegment[] heads = new MemorySegment[SLAB_SLOTS];
            for (int i = 0; i < SLAB_SLOTS; i++) {
                heads[i] = MemorySegment.ofAddress(memory.address() + i * STRIDE);
            }
            return new Slab(memory, heads);
        }
    }

    private final Arena arena;
    /** Keeps the upcall stub's arena reference; {@link #stubAddress} is what native code gets. */
    private final MemorySegment stub;
    private final MemorySegment stubAddress;

    /** @param workerKind what the native thread that runs the callbacks is named after */
    CallbackTable(Arena arena, String workerKind) {
        super(workerKind);
        this.arena = arena;
        this.stub = s4j_srcu_callback_fn.allocate(this::dispatch, arena);
        this.stubAddress = MemorySegment.ofAddress(stub.address());
    }

    /** The function pointer to pass to {@code s4j_call_srcu}. */
    MemorySegment function() {
        return stubAddress;
    }

    /** The native head of slot {@code id}. */
    MemorySegment head(int id) {
        return slabMemory(id).heads()[id & SLAB_MASK];
    }

    @Override
    protected Slab allocateSlab() {
        return Slab.allocate(arena);
    }

    @Override
    protected void storeId(Slab slab, long offset, long id) {
        slab.memory().set(ValueLayout.JAVA_LONG, offset, id);
    }

    /** The upcall, on the native worker thread: finds the slot from the head and runs it. */
    private void dispatch(MemorySegment head) {
        run((int) head.reinterpret(STRIDE).get(ValueLayout.JAVA_LONG, ID_OFFSET));
    }
}
