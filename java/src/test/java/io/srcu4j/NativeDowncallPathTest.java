// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;
import org.junit.jupiter.api.Nested;

/** The whole contract on the native-downcall path (libsrcu4j through FFM downcalls). */
class NativeDowncallPathTest {

    /** Every contract's domains run on this path. */
    interface OnNativeDowncall extends PathChoice {
        @Override
        default PathKind path() {
            return PathKind.NATIVE_DOWNCALL;
        }
    }

    @Nested class GracePeriod extends GracePeriodContract implements OnNativeDowncall { }

    @Nested class ReadSection extends ReadSectionContract implements OnNativeDowncall { }

    @Nested class CallSrcu extends CallSrcuContract implements OnNativeDowncall { }

    @Nested class PolledGracePeriod extends PolledGracePeriodContract implements OnNativeDowncall { }

    @Nested class CloseAndMisuse extends CloseAndMisuseContract implements OnNativeDowncall { }

    @Nested class Flavor extends FlavorContract implements OnNativeDowncall { }

    @Nested class NoLockHazard extends NoLockHazardContract implements OnNativeDowncall { }

    @Nested class BoundedWait extends BoundedWaitContract implements OnNativeDowncall { }

    @Nested class SharedWorkers extends SharedWorkersContract implements OnNativeDowncall { }

    @Nested class NamesAndStats extends NamesAndStatsContract implements OnNativeDowncall { }

    @Nested class StallWarning extends StallWarningContract implements OnNativeDowncall { }

    @Nested class JfrEvent extends JfrEventContract implements OnNativeDowncall { }
}
