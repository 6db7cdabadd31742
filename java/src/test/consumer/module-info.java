// SPDX-License-Identifier: Apache-2.0
/** An application of its own that uses srcu4j from the module path (ModulePathTest). */
module srcu4j.consumer {
    requires io.srcu4j;
}
