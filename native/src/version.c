// SPDX-License-Identifier: Apache-2.0
/*
 * The library's version, for callers that load it at run time (the Java layer compares it with
 * the version its bindings were generated from before it trusts any other symbol).
 */
#include "srcu4j/srcu4j.h"
#include "srcu4j/static/compiler.h"

S4J_EXPORT const char *s4j_version(void)
{
    return S4J_VERSION;
}
