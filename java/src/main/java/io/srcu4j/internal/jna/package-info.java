// SPDX-License-Identifier: Apache-2.0
/**
 * Not API: the {@code jna} path, libsrcu4j reached through JNA direct mapping instead of FFM. It
 * binds the very file {@code io.srcu4j.internal.loader.NativeLibrary} loaded, so a domain here
 * shares the process's library state (deferral worker, wake statistics) with the FFM paths.
 *
 * <p>Every read lock and unlock is a JNA call (tens of nanoseconds each), so this path is never
 * the default; {@code -Dsrcu4j.path=jna} forces it, to compare foreign-call mechanisms or where
 * JNA is what an application already trusts. JNA is an optional dependency: only
 * {@link io.srcu4j.internal.jna.JnaAvailability} may be touched before it reported JNA present,
 * because every other class here links against {@code com.sun.jna}.
 */
package io.srcu4j.internal.jna;
