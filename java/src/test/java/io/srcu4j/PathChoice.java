// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.path.PathKind;

/** Names the path a contract runs on; each path's test class implements it once for all. */
interface PathChoice {

    /** The path every domain of the test runs on. */
    PathKind path();
}
