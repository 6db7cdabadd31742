// SPDX-License-Identifier: Apache-2.0
/**
 * Not API: the native loader ({@code loader}), the paths a domain runs on ({@code path}: the
 * interface and the choice; {@code ffm}: native through FFM; {@code heap}: pure Java;
 * {@code jna}: native through JNA), system properties, errno names, and callback slots and
 * failure reporting. Nothing here is stable.
 */
package io.srcu4j.internal;
