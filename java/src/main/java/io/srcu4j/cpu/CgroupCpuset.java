// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The effective CPUs of this process's cgroup cpuset: {@code cpuset.cpus.effective} under cgroup
 * v2, {@code cpuset.effective_cpus} (else {@code cpuset.cpus}) under a v1 cpuset hierarchy.
 *
 * <p>The cgroup comes from {@code /proc/self/cgroup} and the hierarchy's mount point from
 * {@code /proc/self/mountinfo}, so it works wherever cgroups are mounted and inside a cgroup
 * namespace. A v1 cpuset hierarchy wins over v2: a controller can be bound to one of them only.
 * Where a cgroup lacks the file (v2 without the cpuset controller enabled there), its parent's
 * applies, so the lookup walks up to the hierarchy's root.
 */
final class CgroupCpuset {

    private static final String V2_FILE = "cpuset.cpus.effective";
    private static final List<String> V1_FILES = List.of("cpuset.effective_cpus", "cpuset.cpus");

    private CgroupCpuset() {
    }

    /** Reads under {@code root}, the file system root ({@code /} outside tests). */
    static Reading<CpuSet> read(Path root) {
        List<String> cgroups;
        List<String> mounts;
        try {
            cgroups = Files.readAllLines(root.resolve("proc/self/cgroup"));
            mounts = Files.readAllLines(root.resolve("proc/self/mountinfo"));
        } catch (IOException | RuntimeException e) {
            return Reading.missing("cgroups unreadable (" + e + ")");
        }
        String v1Path = null;
        String v2Path = null;
        for (String line : cgroups) {
            // hierarchy-id:controller,list:path; the path may itself hold ':'
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2Path = f[2];
            } else if (List.of(f[1].split(",")).contains("cpuset")) {
                v1Path = f[2];
            }
        }
        if (v1Path != null) {
            Mount mount = findMount(mounts, "cgroup", "cpuset");
            if (mount == null) {
                return Reading.missing("the cgroup v1 cpuset hierarchy is not mounted");
            }
            return readUpwards(root, mount, v1Path, V1_FILES, "cgroup v1");
        }
        if (v2Path != null) {
            Mount mount = findMount(mounts, "cgroup2", null);
            if (mount == null) {
                return Reading.missing("cgroup v2 is not mounted");
            }
            return readUpwards(root, mount, v2Path, List.of(V2_FILE), "cgroup v2");
        }
        return Reading.missing("no cpuset cgroup for this process");
    }

    /** A cgroup hierarchy's mount: which cgroup path it shows as its root, and where. */
    private record Mount(String root, String mountPoint) {
    }

    /** The first mount of {@code fsType} whose super options include {@code option} (if given). */
    private static Mount findMount(List<String> mountinfo, String fsType, String option) {
        for (String line : mountinfo) {
            // id parent major:minor root mount-point options [optional fields] - type source super-options
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            if (before.length < 5 || after.length < 3 || !after[0].equals(fsType)) {
                continue;
            }
            if (option == null || List.of(after[2].split(",")).contains(option)) {
                return new Mount(unescape(before[3]), unescape(before[4]));
            }
        }
        return null;
    }

    /**
     * The first of {@code files} found in the process's cgroup directory or, failing that, in
     * its parents up to the mount point.
     */
    private static Reading<CpuSet> readUpwards(Path root, Mount mount, String cgroupPath, List<String> files,
                                               String version) {
        Path top = root.resolve(mount.mountPoint().substring(1)).normalize();
        Path dir = top.resolve(relativeTo(cgroupPath, mount.root())).normalize();
        if (!dir.startsWith(top)) {
            dir = top;   // the path leads outside the mount (odd namespace setups): the mount's root
        }
        for (; dir != null && dir.startsWith(top); dir = dir.getParent()) {
            for (String name : files) {
                Path file = dir.resolve(name);
                if (Files.isRegularFile(file)) {
                    try {
                        return Reading.of(CpuSet.parse(Files.readString(file)));
                    } catch (IOException | IllegalArgumentException e) {
                        return Reading.missing(version + " " + file + " unreadable (" + e.getMessage() + ")");
                    }
                }
            }
        }
        return Reading.missing(version + ": no " + String.join(" or ", files) + " under " + top);
    }

    /** The cgroup path relative to the mount's root ("" when it is the root itself). */
    private static String relativeTo(String cgroupPath, String mountRoot) {
        String base = mountRoot.endsWith("/") ? mountRoot : mountRoot + "/";
        String path = cgroupPath.endsWith("/") ? cgroupPath : cgroupPath + "/";
        if (path.startsWith(base)) {
            return path.substring(base.length());
        }
        // Inside a cgroup namespace /proc shows paths relative to the namespace's root, which is
        // the mount's root: take the path as it is.
        return cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
