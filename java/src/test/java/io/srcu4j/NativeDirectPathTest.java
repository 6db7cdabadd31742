// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;
import org.junit.jupiter.api.Nested;

/** The whole contract on the native-direct path (Java counts in libsrcu4j's memory, no downcall per read). */
class NativeDirectPathTest {

    /** Every contract's domains run on this path. */
    interface OnNativeDirect extends PathChoice {
        @Override
        default PathKind path() {
            return PathKind.NATIVE_DIRECT;
        }
    }

    @Nested class GracePeriod extends GracePeriodContract implements OnNativeDirect { }

    @Nested class ReadSection extends ReadSectionContract implements OnNativeDirect { }

    @Nested class CallSrcu extends CallSrcuContract implements OnNativeDirect { }

    @Nested class PolledGracePeriod extends PolledGracePeriodContract implements OnNativeDirect { }

    @Nested class CloseAndMisuse extends CloseAndMisuseContract implements OnNativeDirect { }

    @Nested class Flavor extends FlavorContract implements OnNativeDirect { }

    @Nested class NoLockHazard extends NoLockHazardContract implements OnNativeDirect { }

    @Nested class BoundedWait extends BoundedWaitContract implements OnNativeDirect { }

    @Nested class SharedWorkers extends SharedWorkersContract implements OnNativeDirect { }

    @Nested class NamesAndStats extends NamesAndStatsContract implements OnNativeDirect { }

    @Nested class StallWarning extends StallWarningContract implements OnNativeDirect { }

    @Nested class JfrEvent extends JfrEventContract implements OnNativeDirect { }
}
