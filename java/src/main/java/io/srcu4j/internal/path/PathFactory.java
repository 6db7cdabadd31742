// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.path;

import io.srcu4j.internal.ffm.FfmDomain;
import io.srcu4j.internal.heap.HeapDomain;
import io.srcu4j.internal.jna.JnaAvailability;
import io.srcu4j.internal.jna.JnaDomain;
import io.srcu4j.internal.loader.NativeLibrary;

/**
 * What each {@link PathKind} needs to run here, and how a domain is created on it: the one class
 * that knows every path's implementation. It sits above them (they know only {@link PathKind},
 * to name themselves), so the layers read top-down; the switches are exhaustive, so a new kind
 * does not compile until it is wired here.
 */
public final class PathFactory {

    private PathFactory() {
    }

    /** Why {@code kind} cannot run here, or {@code null} when it can. */
    public static String unavailableReason(PathKind kind) {
        return switch (kind) {
            case NATIVE_DIRECT, NATIVE_DOWNCALL -> {
                Throwable cause = NativeLibrary.unavailabilityCause();
                yield cause == null ? null : "libsrcu4j is not loaded: " + cause.getMessage();
            }
            case JAVA -> null;
            case JNA -> JnaAvailability.unavailableReason();
        };
    }

    /** Creates a domain on {@code kind} with the given reader flavor ({@code enum s4j_flavor} number). */
    public static DomainPath create(PathKind kind, int flavor) {
        return switch (kind) {
            case NATIVE_DIRECT -> FfmDomain.create(flavor, true);
            case JAVA -> HeapDomain.create(flavor);
            case NATIVE_DOWNCALL -> FfmDomain.create(flavor, false);
            case JNA -> JnaDomain.create(flavor);
        };
    }
}
