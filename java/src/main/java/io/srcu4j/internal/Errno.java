// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

/**
 * Names of the errno values libsrcu4j can return (as {@code -errno}). The numbers are Linux's
 * generic ones, shared by x86-64 and arm64 ({@code asm-generic/errno-base.h} and
 * {@code asm-generic/errno.h}).
 */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ERANGE = 34;
    public static final int EDEADLK = 35;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;
    public static final int ESHUTDOWN = 108;
    public static final int ETIMEDOUT = 110;
    public static final int EALREADY = 114;

    private Errno() {
    }

    /** The symbolic name of a positive errno value, e.g. {@code EINVAL}, or {@code errno 77}. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EINVAL -> "EINVAL";
            case ERANGE -> "ERANGE";
            case EDEADLK -> "EDEADLK";
            case ENOSYS -> "ENOSYS";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case ESHUTDOWN -> "ESHUTDOWN";
            case ETIMEDOUT -> "ETIMEDOUT";
            case EALREADY -> "EALREADY";
            default -> "errno " + errno;
        };
    }

    /** {@code "EINVAL (22)"} for a positive errno value. */
    public static String describe(int errno) {
        String name = name(errno);
        return name.startsWith("errno ") ? name : name + " (" + errno + ")";
    }
}
