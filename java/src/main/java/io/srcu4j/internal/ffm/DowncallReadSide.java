// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.ffm;

import io.srcu4j.internal.path.PathKind;

import java.lang.foreign.MemorySegment;

/** One critical downcall per lock and unlock ({@link ReadPath}); [B] and [C] are in C. */
record DowncallReadSide(MemorySegment ssp) implements ReadSide {

    @Override
    public long lock() {
        return ReadPath.lock(ssp);
    }

    @Override
    public void unlock(long section) {
        ReadPath.unlock(ssp, (int) section);
    }

    @Override
    public String pathName() {
        return PathKind.NATIVE_DOWNCALL.propertyName();
    }
}
