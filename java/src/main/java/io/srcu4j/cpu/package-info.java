// SPDX-License-Identifier: Apache-2.0
/**
 * The machine's CPUs as this process sees them, and pinning threads to them.
 *
 * <p>{@link io.srcu4j.cpu.CpuTopology#current()} takes a snapshot: the possible, online and
 * allowed CPUs, the cgroup cpuset, packages, cores and their SMT siblings
 * ({@link io.srcu4j.cpu.CpuPackage}, {@link io.srcu4j.cpu.CpuCore}), NUMA nodes
 * ({@link io.srcu4j.cpu.NumaNode}) and last-level-cache domains ({@link io.srcu4j.cpu.CacheDomain}).
 * It reads sysfs and procfs, so it works without the native library too; what a container or a
 * virtual machine hides is left empty, and the snapshot says why.
 * {@link io.srcu4j.cpu.Cpus} pins the current platform thread to one CPU or to a
 * {@link io.srcu4j.cpu.CpuSet} and tells where it runs; it needs the native library
 * ({@link io.srcu4j.Srcu4j#isAvailable()}).
 *
 * <p>Nothing here is needed to use SRCU ({@code io.srcu4j}): readers and grace periods are
 * correct wherever threads run. Pinning serves measurements and placement, for example keeping
 * an updater off the readers' cache domain.
 */
package io.srcu4j.cpu;
