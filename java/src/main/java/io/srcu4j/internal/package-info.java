/**
 * Not API: the native loader ({@code loader}), the FFM path ({@code ffm}), system properties and
 * errno names. Nothing here is stable.
 */
package io.srcu4j.internal;
