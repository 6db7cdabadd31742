// SPDX-License-Identifier: Apache-2.0
/**
 * srcu4j: sleepable read-copy-update (SRCU) for the JVM ({@link io.srcu4j}), and the machine's
 * CPU layout and thread pinning ({@link io.srcu4j.cpu}).
 *
 * <p>The module holds the FFM bindings of libsrcu4j and the implementation packages as well, and
 * exports neither: every restricted call (loading the library, linking and calling into it) is
 * made from this module, so {@code --enable-native-access=io.srcu4j} is the one grant an
 * application on the module path needs. JNA is optional: only the {@code jna} path uses it, when
 * the application resolves it ({@code --add-modules com.sun.jna}, and native access for
 * {@code com.sun.jna} too).
 */
module io.srcu4j {
    requires java.management;   // SrcuMXBean, registered in the platform MBean server
    requires jdk.jfr;           // the grace-period, stall and callback events
    requires static com.sun.jna;   // JNA's automatic module name; the jna path only

    exports io.srcu4j;
    exports io.srcu4j.cpu;
}
