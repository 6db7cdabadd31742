// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.callbacks;

/**
 * 128 bytes of fields that nothing uses: a class whose hot fields must not share a cache line (or
 * the adjacent line x86 prefetches with it) with those of the object before it extends this one.
 * The JVM lays out a superclass's fields before its subclass's, which is what makes this work (a
 * single class's fields it may reorder), as JCTools' queues do. Objects allocated together lie
 * in allocation order, so a domain's queue and worker fields, allocated after the domain, each
 * start 128 bytes past the fields before them.
 */
abstract class LinePadding {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
