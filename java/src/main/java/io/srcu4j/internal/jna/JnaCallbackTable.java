package io.srcu4j.internal.jna;

import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.srcu4j.internal.CallbackSlots;
import io.srcu4j.internal.WorkerThreads;

/**
 * The callback slots of one domain on the {@code jna} path: slabs of {@link Memory}, and one JNA
 * callback whose native stub every queued head names. The slot allocator, and its
 * synchronization, is {@link CallbackSlots}'s.
 *
 * <p>Lifetime: JNA frees a callback's native stub, and a {@code Memory}'s block, once the Java
 * object is unreachable. This table holds both, and whoever may still see the worker call the
 * stub (the domain, then its releaser until {@code s4j_srcu_free} joined the worker) holds the
 * table.
 */
final class JnaCallbackTable extends CallbackSlots<Memory> {

    private final HeadCallback dispatcher = new Dispatcher();
    private final long function;

    JnaCallbackTable() {
        super(WorkerThreads.WORKER);
        // Stay attached between callbacks, as a daemon: attaching per callback would cost a JVM
        // thread per callback, and a non-daemon worker would keep the JVM from exiting. JNA
        // detaches the thread when it ends (the domain's close). No name: the JVM's Thread-N,
        // which the first callback replaces with a numbered worker name (CallbackSlots.run).
        Native.setCallbackThreadInitializer(dispatcher, new CallbackThreadInitializer(true, false, null));
        // Taken once: converting the callback at each call_srcu would take JNA's locks.
        function = Pointer.nativeValue(CallbackReference.getFunctionPointer(dispatcher));
    }

    /** The function pointer to pass to {@code s4j_call_srcu}. */
    long function() {
        return function;
    }

    /** The address of slot {@code id}'s head. */
    long head(int id) {
        return Pointer.nativeValue(slabMemory(id)) + headOffset(id);
    }

    @Override
    protected Memory allocateSlab() {
        // One stride more than needed, so the view can start on a stride boundary; the view
        // keeps its block alive.
        Memory block = new Memory(STRIDE * SLAB_SLOTS + STRIDE);
        return block.align((int) STRIDE);
    }

    @Override
    protected void storeId(Memory slab, long offset, long id) {
        slab.setLong(offset, id);
    }

    /** Called by JNA on the worker thread: finds the slot from the head and runs it. */
    private final class Dispatcher implements HeadCallback {
        @Override
        public void invoke(Pointer head) {
            run((int) head.getLong(ID_OFFSET));
        }
    }
}
