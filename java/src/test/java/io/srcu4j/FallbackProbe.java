// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

/**
 * Run by {@link FallbackWarningTest} in a JVM of its own: creates three domains on the default
 * path, runs a read section and a callback on each, and prints {@code CREATED 3 <path>}. The
 * domains are left to the JVM's exit: closing them says nothing about the warning.
 */
final class FallbackProbe {

    private FallbackProbe() {
    }

    public static void main(String[] args) {
        String path = null;
        for (int i = 0; i < 3; i++) {
            Srcu srcu = Srcu.create();
            try (ReadGuard g = srcu.read()) {
                srcu.callSrcu(() -> { });
            }
            srcu.barrier();
            path = srcu.describe().substring(0, srcu.describe().indexOf(' '));
        }
        System.out.println("CREATED 3 " + path);
    }
}
