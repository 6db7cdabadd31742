// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import java.util.Objects;

/**
 * What reading one part of the topology gave: a value, the reason there is none, or both (a
 * partial value, and what is missing from it). Lets the snapshot record a gap and go on where a
 * container or a virtual machine hides part of sysfs.
 */
record Reading<T>(T value, String reason) {

    Reading {
        if (value == null && reason == null) {
            throw new IllegalArgumentException("a reading has a value, a reason, or both");
        }
    }

    static <T> Reading<T> of(T value) {
        return new Reading<>(Objects.requireNonNull(value, "value"), null);
    }

    static <T> Reading<T> partial(T value, String reason) {
        return new Reading<>(Objects.requireNonNull(value, "value"), Objects.requireNonNull(reason, "reason"));
    }

    static <T> Reading<T> missing(String reason) {
        return new Reading<>(null, Objects.requireNonNull(reason, "reason"));
    }

    boolean found() {
        return value != null;
    }
}
