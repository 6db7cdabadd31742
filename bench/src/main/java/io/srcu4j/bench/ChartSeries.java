// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One named series of a chart: a value per category (bar chart) or per x (line chart), in the
 * same order, and optionally the half-width of an error bar for each.
 *
 * @param name   legend entry
 * @param values NaN where nothing was measured: that point is left out
 * @param errors the same length as {@code values}, or empty for no error bars; NaN where a
 *               point has no error (JMH gives none for a single iteration)
 */
record ChartSeries(String name, List<Double> values, List<Double> errors) {

    ChartSeries {
        Objects.requireNonNull(name, "name");
        // unmodifiableList of a copy rather than List.copyOf: a caller may pass null for "missing".
        values = Collections.unmodifiableList(new ArrayList<>(values));
        errors = errors == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(errors));
        if (!errors.isEmpty() && errors.size() != values.size()) {
            throw new IllegalArgumentException("series '" + name + "': " + errors.size() + " errors for "
                    + values.size() + " values");
        }
    }

    /** The value at {@code i}, NaN when it is missing. */
    double value(int i) {
        Double v = values.get(i);
        return v == null ? Double.NaN : v;
    }

    /** The error at {@code i}, NaN when there is none. */
    double error(int i) {
        Double e = errors.isEmpty() ? null : errors.get(i);
        return e == null ? Double.NaN : e;
    }
}
