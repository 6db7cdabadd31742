// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a fake {@code /sys} and {@code /proc} under a test directory, file by file. */
final class FakeMachine {

    final Path root;

    FakeMachine(Path root) {
        this.root = root;
    }

    /** Writes {@code content} and a newline, as the kernel ends its one-value files. */
    FakeMachine file(String path, String content) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content + "\n");
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeMachine cpuLists(String possible, String online) {
        return file("sys/devices/system/cpu/possible", possible).file("sys/devices/system/cpu/online", online);
    }

    /** {@code cpu<N>/topology}: package, core and the SMT siblings' list. */
    FakeMachine topology(int cpu, int packageId, int coreId, String siblings) {
        String dir = "sys/devices/system/cpu/cpu" + cpu + "/topology/";
        return file(dir + "physical_package_id", Integer.toString(packageId))
                .file(dir + "core_id", Integer.toString(coreId))
                .file(dir + "core_cpus_list", siblings)
                .file(dir + "thread_siblings_list", siblings);
    }

    /** {@code cpu<N>/cache/index<K>}: level, type and the CPUs sharing it. */
    FakeMachine cache(int cpu, int index, int level, String type, String shared) {
        String dir = "sys/devices/system/cpu/cpu" + cpu + "/cache/index" + index + "/";
        return file(dir + "level", Integer.toString(level)).file(dir + "type", type).file(dir + "shared_cpu_list", shared);
    }

    FakeMachine numaNode(int id, String cpus) {
        return file("sys/devices/system/node/node" + id + "/cpulist", cpus);
    }

    FakeMachine allowed(String cpus) {
        return file("proc/thread-self/status", "Name:\tjava\nCpus_allowed:\tff\nCpus_allowed_list:\t" + cpus
                + "\nMems_allowed_list:\t0");
    }

    /** A cgroup v2 hierarchy mounted at {@code /sys/fs/cgroup}, the process in {@code cgroup}. */
    FakeMachine cgroupV2(String cgroup) {
        return file("proc/self/cgroup", "0::" + cgroup)
                .file("proc/self/mountinfo", "22 1 0:20 / / rw - ext4 /dev/root rw\n"
                        + "35 22 0:30 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate");
    }
}
