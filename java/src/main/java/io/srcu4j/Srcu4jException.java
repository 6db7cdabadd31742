// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.Errno;

/**
 * A call into libsrcu4j failed with an error that no more specific exception describes (for
 * example {@code ENOMEM} while creating a domain, or a system call refused by the kernel).
 * Misuse of the API is reported with the standard exceptions instead
 * ({@link IllegalArgumentException}, {@link IllegalStateException}, {@link NullPointerException}).
 */
public class Srcu4jException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The C function that failed; part of the serialized form. */
    private final String function;
    /** The positive errno value; part of the serialized form. */
    private final int errno;

    /**
     * Describes a failed call.
     *
     * @param function the C function that failed, e.g. {@code s4j_srcu_create}
     * @param errno    the positive errno value (the function returned its negation)
     * @param detail   what the caller was doing, or {@code null}
     */
    public Srcu4jException(String function, int errno, String detail) {
        super(function + " failed: " + Errno.describe(errno) + (detail == null ? "" : "; " + detail));
        this.function = function;
        this.errno = errno;
    }

    /** {@return the C function that failed, e.g. {@code s4j_srcu_create}} */
    public String function() {
        return function;
    }

    /** {@return the positive errno value, e.g. 12 for {@code ENOMEM} on Linux} */
    public int errno() {
        return errno;
    }

    /**
     * {@return the errno's symbolic name, e.g. {@code ENOMEM}; {@code errno <n>} for a value
     * without a name here}
     */
    public String errnoName() {
        return Errno.name(errno);
    }
}
