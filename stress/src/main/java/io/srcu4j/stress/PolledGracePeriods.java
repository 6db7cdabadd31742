package io.srcu4j.stress;

import io.srcu4j.Srcu;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * {@code Srcu.startPoll()} and {@code Srcu.poll(long)}, looked up at run time so that this module
 * builds against an API that does not have polled grace periods yet. Where they are missing,
 * {@link #available()} is false and the test that uses them says so in its outcome.
 */
final class PolledGracePeriods {

    private static final MethodHandle START_POLL = find("startPoll", MethodType.methodType(long.class));
    private static final MethodHandle POLL = find("poll", MethodType.methodType(boolean.class, long.class));

    private PolledGracePeriods() {
    }

    static boolean available() {
        return START_POLL != null && POLL != null;
    }

    /** A cookie for a grace period that starts after this call, which the domain then runs. */
    static long startPoll(Srcu srcu) {
        try {
            return (long) START_POLL.invokeExact(srcu);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    /** Whether the grace period the cookie names has ended. */
    static boolean poll(Srcu srcu, long cookie) {
        try {
            return (boolean) POLL.invokeExact(srcu, cookie);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    private static MethodHandle find(String name, MethodType type) {
        try {
            return MethodHandles.publicLookup().findVirtual(Srcu.class, name, type);
        } catch (NoSuchMethodException | IllegalAccessException absent) {
            return null;
        }
    }

    private static RuntimeException rethrown(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
