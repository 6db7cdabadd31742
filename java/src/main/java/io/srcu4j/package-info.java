// SPDX-License-Identifier: Apache-2.0
/**
 * srcu4j: sleepable read-copy-update (SRCU) for the JVM.
 *
 * <p>An {@link io.srcu4j.Srcu} domain lets many threads read shared data almost for free while
 * updaters wait until no reader can still see an old version. Readers enter a <em>read
 * section</em> with {@link io.srcu4j.Srcu#read()} and leave it by closing the returned
 * {@link io.srcu4j.ReadGuard}. On the default path entering costs one locked add on a counter
 * set of the thread's own in native memory (which is also the full fence a reader needs) and
 * leaving a release store, with no call into native code; C readers of the same domain count on
 * per-CPU counters inside restartable sequences. An updater publishes
 * a new version, then either waits with {@link io.srcu4j.Srcu#synchronize()} until every read
 * section that began earlier has ended, or queues the clean-up with
 * {@link io.srcu4j.Srcu#callSrcu(Runnable)} to run after such a grace period on a worker of
 * the shared pool. {@link io.srcu4j.Srcu#barrier()} waits for queued callbacks, and
 * {@link io.srcu4j.Srcu#close()} drains them. Read sections may block, park, nest, and end in
 * another thread.
 * {@link io.srcu4j.Deferral#defer(Runnable)} hands a task to the process's deferral thread, with
 * no grace period, from code that must not do the work where it stands (holding a lock the work
 * needs, inside a read section, in a callback); like {@code callSrcu} it never blocks and takes
 * no lock.
 *
 * <p>The guarantees are stated as happens-before edges between named calls in
 * {@link io.srcu4j.Srcu}, and {@code Srcu}'s class comment says where each comes from on each path
 * (the barriers are lettered [A] to [G] as in {@code native/src/srcu.c}).
 *
 * <p>{@link io.srcu4j.Srcu4j} tells whether the native library is loaded (and if not, why) and
 * what the system offers ({@link io.srcu4j.Capabilities}, {@link io.srcu4j.RseqMode}). The
 * machine's CPU layout and pinning threads to CPUs are in {@link io.srcu4j.cpu}.
 *
 * <h2>Native library</h2>
 * The jar carries {@code libsrcu4j.so} as {@code META-INF/native/<os>-<arch>/libsrcu4j.so}
 * ({@code linux-x86_64} and {@code linux-aarch64}). At first use it loads, in this order, the file
 * {@code srcu4j.native.path} names, {@code libsrcu4j.so} in a directory of
 * {@code java.library.path}, or the jar's copy, extracted into a private directory
 * ({@code srcu4j-<pid>-*}) and deleted once loaded; the file must be the jar's version
 * ({@code s4j_version()}). The JVM must allow native access to the code that holds srcu4j:
 * {@code --enable-native-access=io.srcu4j} on the module path (module {@code io.srcu4j} makes
 * every restricted call itself), {@code --enable-native-access=ALL-UNNAMED} on the class path.
 * System properties:
 * <table>
 *   <caption>System properties</caption>
 *   <tr><th>Property</th><th>Default</th><th>Effect</th></tr>
 *   <tr><td>{@code srcu4j.native.path}</td><td>unset</td>
 *       <td>load this library file instead of the one in the jar</td></tr>
 *   <tr><td>{@code srcu4j.native.workdir}</td><td>{@code java.io.tmpdir}</td>
 *       <td>where the library is extracted; must exist (it is never created) and allow execution
 *       (not mounted {@code noexec})</td></tr>
 *   <tr><td>{@code srcu4j.native.keepTemp}</td><td>{@code false}</td>
 *       <td>keep the extracted file once loaded, for debuggers and profilers</td></tr>
 *   <tr><td>{@code srcu4j.native.disable}</td><td>{@code false}</td>
 *       <td>never load the library; new domains run on the pure-Java path ({@code java}), and
 *       {@link io.srcu4j.Srcu#describe()} says why</td></tr>
 *   <tr><td>{@code srcu4j.path}</td><td>unset: the fastest path available</td>
 *       <td>the path new domains run ({@code native-direct}, {@code java},
 *       {@code native-downcall} or {@code jna}); creating a domain
 *       fails when that path cannot run here; {@link io.srcu4j.Srcu#describe()}
 *       names the one running and why</td></tr>
 * </table>
 *
 * <h2>Exceptions</h2>
 * Misuse is reported with standard exceptions that name the bad value or state: an
 * {@link java.lang.IllegalArgumentException} gives the value and the valid range, an
 * {@link java.lang.IllegalStateException} the state ("domain closed", open read sections, a call
 * from a callback that would wait for itself). Failures of the system are
 * {@link io.srcu4j.Srcu4jException}s carrying the C function and errno name.
 */
package io.srcu4j;
