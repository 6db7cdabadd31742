// SPDX-License-Identifier: Apache-2.0
/*
 * Layout probe for the bindings tests: prints what the C compiler makes of the public header,
 * one fact per line as "<key> <value>", so that BindingsLayoutTest can hold the Java layouts in
 * bindings/ against it. Keys:
 *
 *   <struct>.sizeof           sizeof(struct <struct>)
 *   <struct>.alignof          _Alignof(struct <struct>)
 *   <struct>.<field>.offset   offsetof(struct <struct>, <field>)
 *   <struct>.<field>.size     sizeof(((struct <struct> *)0)-><field>)
 *   <ENUM_CONSTANT>           its value
 *
 * Every struct, field and enum constant of srcu4j.h that the bindings expose must appear here:
 * the test fails on a fact without a Java counterpart and on a Java struct, field or constant
 * without a fact.
 */
#include <stddef.h>
#include <stdio.h>

#include "srcu4j/srcu4j.h"

#define STRUCT(s)                                                                  \
    printf("%s.sizeof %zu\n", #s, sizeof(struct s));                               \
    printf("%s.alignof %zu\n", #s, (size_t)_Alignof(struct s))

#define FIELD(s, f)                                                                \
    printf("%s.%s.offset %zu\n", #s, #f, offsetof(struct s, f));                   \
    printf("%s.%s.size %zu\n", #s, #f, sizeof(((struct s *)0)->f))

#define CONSTANT(c) printf("%s %lld\n", #c, (long long)(c))

int main(void)
{
    STRUCT(s4j_capabilities);
    FIELD(s4j_capabilities, possible_cpus);
    FIELD(s4j_capabilities, online_cpus);
    FIELD(s4j_capabilities, rseq_mode);
    FIELD(s4j_capabilities, membarrier);

    STRUCT(s4j_srcu_counters);
    FIELD(s4j_srcu_counters, lock_count);
    FIELD(s4j_srcu_counters, unlock_count);

    STRUCT(s4j_srcu_head);
    FIELD(s4j_srcu_head, next);
    FIELD(s4j_srcu_head, func);

    STRUCT(s4j_wake_stats);
    FIELD(s4j_wake_stats, callback_wakeups);
    FIELD(s4j_wake_stats, callback_parks);
    FIELD(s4j_wake_stats, defer_wakeups);
    FIELD(s4j_wake_stats, defer_parks);

    CONSTANT(S4J_FLAVOR_CLASSIC);
    CONSTANT(S4J_FLAVOR_FAST);
    CONSTANT(S4J_FLAVOR_SIGNAL_SAFE);
    CONSTANT(S4J_CREATED);
    CONSTANT(S4J_CREATED_AS_CLASSIC);
    CONSTANT(S4J_RSEQ_UNAVAILABLE);
    CONSTANT(S4J_RSEQ_GLIBC);
    CONSTANT(S4J_RSEQ_OWN);

    return fflush(stdout) == 0 ? 0 : 1;
}
