// SPDX-License-Identifier: Apache-2.0
/**
 * The pure-Java path: the SRCU algorithm of {@code native/src/srcu.c} on the Java heap, for
 * where the native library cannot load (or is slower).
 *
 * <h2>Where each happens-before edge comes from</h2>
 * Every access that orders anything is a volatile access: a synchronization action of the Java
 * memory model. Synchronization actions form one total order consistent with each thread's
 * program order; a volatile read sees the last write to its variable before it in that order and
 * synchronizes-with every write to that variable before it. That sequential consistency is what
 * the native library gets from fences, so the native letters keep their roles:
 * <table>
 *   <caption>Barrier pairs</caption>
 *   <tr><th>letter</th><th>where</th><th>the synchronization actions</th></tr>
 *   <tr><td>[A]</td><td>scan: between summing unlocks and summing locks</td>
 *       <td>volatile reads of unlock counters precede volatile reads of lock counters</td></tr>
 *   <tr><td>[B]</td><td>reader, lock</td>
 *       <td>volatile getAndAdd of the lock counter, before the section's actions</td></tr>
 *   <tr><td>[C]</td><td>reader, unlock</td>
 *       <td>volatile getAndAdd of the unlock counter, after the section's actions; the scan's
 *       read of it synchronizes-with it</td></tr>
 *   <tr><td>[D]</td><td>grace period, after the flip</td>
 *       <td>volatile write of the index before the second scan's volatile reads</td></tr>
 *   <tr><td>[E]</td><td>grace period, before the flip</td>
 *       <td>the first scan's volatile reads before the volatile write of the index</td></tr>
 *   <tr><td>[F]</td><td>entry to synchronize / getState</td>
 *       <td>volatile read of the sequence number, after the caller's actions; the grace period
 *       that serves it writes the odd number after that read, then scans</td></tr>
 *   <tr><td>[G]</td><td>return from synchronize / poll</td>
 *       <td>volatile read of an even sequence number, which synchronizes-with the write ending
 *       the grace period (or the grace-period lock's unlock/lock pair)</td></tr>
 * </table>
 * There is no fast flavor ([X], [Y], [Z]): Java has no {@code membarrier}.
 *
 * <p>Why a grace period cannot end early: a section that began before {@code synchronize()}
 * counted its lock (in set {@code r}) before the grace period's odd write, so before both scans.
 * If {@code r} was current when the grace period began, the second scan (after the flip) covers
 * it; otherwise the first one does. In that scan its lock is summed, and the sums are equal only
 * when each summed lock's unlock is summed too (a counted unlock's lock precedes it, and the
 * unlocks are read first), so its unlock precedes the scan and its actions happen-before the
 * grace period's end. The first scan exists so that a reader that read the index before the
 * previous flip but counted itself after that grace period's scan is still waited for.
 */
package io.srcu4j.internal.heap;
