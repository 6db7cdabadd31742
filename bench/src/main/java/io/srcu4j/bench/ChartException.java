// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

/**
 * A chart could not be drawn or written. Unchecked because a chart is an extra: the report
 * catches it, warns and goes on writing its tables.
 */
public final class ChartException extends RuntimeException {

    ChartException(String message, Throwable cause) {
        super(message, cause);
    }
}
