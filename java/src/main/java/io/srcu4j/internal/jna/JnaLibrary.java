// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Binds {@link JnaFunctions} to libsrcu4j once, at class initialisation: the file
 * {@link io.srcu4j.internal.loader.NativeLibrary} extracted and loaded, opened again by JNA. The
 * dynamic loader hands back the copy already in the process for the same file, so JNA calls run
 * the same code, on the same global state, as the FFM paths' calls.
 */
final class JnaLibrary {

    /** Why binding failed, or {@code null}; computed once (the JVM makes that thread-safe). */
    private static final Throwable FAILURE = bind();

    private JnaLibrary() {
    }

    /** Why {@link JnaFunctions} cannot be called, or {@code null} when it can. */
    static Throwable failure() {
        return FAILURE;
    }

    /** The JNA handle on the bound file, for checks that it is the one FFM uses. */
    static NativeLibrary library() {
        return NativeLibrary.getInstance(io.srcu4j.internal.loader.NativeLibrary.loadedPath().toString());
    }

    private static Throwable bind() {
        Throwable notLoaded = io.srcu4j.internal.loader.NativeLibrary.unavailabilityCause();
        if (notLoaded != null) {
            return notLoaded;
        }
        try {
            Native.register(JnaFunctions.class, library());
            return null;
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError: JNA's own native part, or a symbol, did not load.
            return e;
        }
    }
}
