// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;
import org.junit.jupiter.api.Nested;

/** The whole contract on the pure-Java path (no native code). */
class JavaPathTest {

    /** Every contract's domains run on this path. */
    interface OnJava extends PathChoice {
        @Override
        default PathKind path() {
            return PathKind.JAVA;
        }
    }

    @Nested class GracePeriod extends GracePeriodContract implements OnJava { }

    @Nested class ReadSection extends ReadSectionContract implements OnJava { }

    @Nested class CallSrcu extends CallSrcuContract implements OnJava { }

    @Nested class PolledGracePeriod extends PolledGracePeriodContract implements OnJava { }

    @Nested class CloseAndMisuse extends CloseAndMisuseContract implements OnJava { }

    @Nested class Flavor extends FlavorContract implements OnJava { }

    @Nested class NoLockHazard extends NoLockHazardContract implements OnJava { }

    @Nested class BoundedWait extends BoundedWaitContract implements OnJava { }

    @Nested class SharedWorkers extends SharedWorkersContract implements OnJava { }

    @Nested class NamesAndStats extends NamesAndStatsContract implements OnJava { }

    @Nested class StallWarning extends StallWarningContract implements OnJava { }

    @Nested class JfrEvent extends JfrEventContract implements OnJava { }
}
