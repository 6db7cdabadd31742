// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.util.List;
import java.util.Map;

/**
 * What one {@link ExpeditedBenchmark} run printed ({@code key=value}), and why it gave nothing
 * if it did not.
 *
 * @param target   the path and flavor it ran
 * @param values   its figures by key
 * @param failures why the run failed, if it did
 */
record ExpeditedRun(ExpeditedRuns.Target target, Map<String, String> values, List<String> failures) {

    ExpeditedRun {
        values = Map.copyOf(values);
        failures = List.copyOf(failures);
    }
}
