// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.observe;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The names of the open domains, so that no two print alike: a domain built without one is
 * {@code srcu-<n>}; a name that an open domain already has gets {@code #2}, {@code #3}, ...
 * appended (logged at DEBUG). A name is given back when its domain closes (or, never closed,
 * becomes unreachable), and may then be handed out again.
 */
public final class DomainNames {

    private static final System.Logger LOG = System.getLogger("io.srcu4j");
    /** Longer names are refused: they are meant for log lines and JMX object names. */
    public static final int MAX_LENGTH = 200;

    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicLong UNNAMED = new AtomicLong();

    private DomainNames() {
    }

    /**
     * Checks a name asked for through the builder.
     *
     * @throws NullPointerException     when {@code name} is null
     * @throws IllegalArgumentException when it is blank, longer than {@value #MAX_LENGTH}
     *                                  characters, or holds a control character
     */
    public static String check(String name) {
        if (name == null) {
            throw new NullPointerException("name is null (leave it unset for a default name)");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("name \"" + name + "\" is blank");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("name is " + name.length() + " characters long; at most " + MAX_LENGTH
                    + " are allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new IllegalArgumentException("name \"" + name.replaceAll("\\p{Cntrl}", "?")
                        + "\" holds a control character at index " + i + " (names go into log lines)");
            }
        }
        return name;
    }

    /**
     * Takes a name no open domain has: {@code asked}, or with a suffix when it is taken, or
     * {@code srcu-<n>} when {@code asked} is null.
     */
    public static String claim(String asked) {
        if (asked == null) {
            for (;;) {
                String name = "srcu-" + UNNAMED.incrementAndGet();
                if (OPEN.add(name)) {
                    return name;
                }
            }
        }
        if (OPEN.add(asked)) {
            return asked;
        }
        for (int n = 2; ; n++) {
            String name = asked + "#" + n;
            if (OPEN.add(name)) {
                LOG.log(Level.DEBUG, () -> "srcu4j: an open domain is already named \"" + asked + "\"; this one is \""
                        + name + "\"");
                return name;
            }
        }
    }

    /** Gives {@code name} back; it may be claimed again. */
    public static void release(String name) {
        OPEN.remove(name);
    }
}
