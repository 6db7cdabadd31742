// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.Srcu4jProperties;

/**
 * Run by {@link PathAndFlavorTest} in a JVM whose native library is disabled (and by
 * {@link JnaPathTest} in one without JNA): prints what the default domain says of itself, then
 * what forcing the path named by the first argument (default {@code native-downcall}) throws.
 */
final class NativeDisabledProbe {

    private NativeDisabledProbe() {
    }

    public static void main(String[] args) {
        try (Srcu srcu = Srcu.create()) {
            try (ReadGuard g = srcu.read()) {
                srcu.callSrcu(() -> { });
            }
            srcu.synchronize();
            System.out.println(srcu.describe());
        }
        System.setProperty(Srcu4jProperties.PATH, args.length > 0 ? args[0] : "native-downcall");
        try (Srcu srcu = Srcu.create()) {
            System.out.println("created " + srcu.describe());
        } catch (UnsatisfiedLinkError e) {
            System.out.println("UnsatisfiedLinkError: " + e.getMessage());
        }
    }
}
