// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.ffm.FfmPlatform;
import io.srcu4j.internal.loader.NativeLibrary;

/**
 * Whether the native library could be loaded, and what the system offers.
 *
 * <p>The library is loaded once, the first time any of these methods (or {@link Srcu#create()},
 * or {@link io.srcu4j.cpu.Cpus}) is used; the outcome, and the reason for a failure, are kept for
 * the life of the class loader. See {@code io.srcu4j} (package documentation) for the system properties that
 * control loading.
 */
public final class Srcu4j {

    private Srcu4j() {
    }

    /**
     * {@return whether libsrcu4j is loaded and usable: {@code true} means the native paths run;
     * {@code false} that {@link #unavailabilityCause()} says why not}
     */
    public static boolean isAvailable() {
        return NativeLibrary.isAvailable();
    }

    /**
     * Returns when libsrcu4j is loaded.
     *
     * @throws UnsatisfiedLinkError when it is not; its cause is {@link #unavailabilityCause()}
     */
    public static void ensureAvailable() {
        NativeLibrary.ensureAvailable();
    }

    /**
     * Why libsrcu4j is not loaded, or {@code null} when it is. The message names {@code os.name},
     * {@code os.arch}, the resource looked for and the property that overrides it; underlying
     * failures are chained as causes or suppressed exceptions.
     *
     * @return the failure that kept the library from loading, the same one on every call; or
     *         {@code null}
     */
    public static Throwable unavailabilityCause() {
        return NativeLibrary.unavailabilityCause();
    }

    /**
     * What the running system offers: CPU counts, how per-CPU counters are updated, and whether
     * {@code membarrier(2)} is usable. Asked anew on each call ({@code onlineCpus} can change).
     *
     * @return a new snapshot of the system's capabilities
     * @throws UnsatisfiedLinkError when the native library is unavailable
     */
    public static Capabilities capabilities() {
        FfmPlatform.RawCapabilities raw = FfmPlatform.capabilities();
        return new Capabilities(raw.possibleCpus(), raw.onlineCpus(), RseqMode.fromNative(raw.rseqMode()),
                raw.membarrier() != 0);
    }
}
