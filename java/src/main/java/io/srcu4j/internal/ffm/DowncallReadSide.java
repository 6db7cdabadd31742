package io.srcu4j.internal.ffm;

import io.srcu4j.internal.path.PathKind;

import java.lang.foreign.MemorySegment;

/** One critical downcall per lock and unlock ({@link ReadPath}); [B] and [C] are in C. */
record DowncallReadSide(MemorySegment ssp) implements ReadSide {

    @Override
    public int lock() {
        return ReadPath.lock(ssp);
    }

    @Override
    public void unlock(int idx) {
        ReadPath.unlock(ssp, idx);
    }

    @Override
    public String pathName() {
        return PathKind.NATIVE_DOWNCALL.propertyName();
    }
}
