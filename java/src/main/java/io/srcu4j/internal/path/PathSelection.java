// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal.path;

import io.srcu4j.internal.Srcu4jProperties;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which path new domains run, and why: the one {@code srcu4j.path} names, or else the first
 * {@link PathKind} available here, with the reason each unavailable path cannot run.
 *
 * @param kind   the path
 * @param reason why it was chosen, for {@code Srcu.describe()}
 */
public record PathSelection(PathKind kind, String reason) {

    /**
     * The default choice, once made: what each path needs (the native library, JNA) is found once
     * per JVM, so the choice cannot change, and each {@code create()} need not redo it.
     */
    private static volatile PathSelection defaultChoice;

    /**
     * Chooses a path for {@code forced} (the property's value, or {@code null} for the default).
     *
     * @throws IllegalArgumentException when {@code forced} names no path
     * @throws UnsatisfiedLinkError     when the forced path, or every path, cannot run here
     */
    public static PathSelection choose(String forced) {
        if (forced != null) {
            PathKind kind = PathKind.byPropertyName(forced);
            if (kind == null) {
                throw new IllegalArgumentException(Srcu4jProperties.PATH + "=" + forced + " names no path; the paths are "
                        + Arrays.stream(PathKind.values()).map(PathKind::propertyName).collect(Collectors.joining(", ")));
            }
            return require(kind, "forced by " + Srcu4jProperties.PATH + "=" + forced);
        }
        PathSelection made = defaultChoice;
        if (made == null) {
            // A race makes the same choice twice; the warning is logged once anyway.
            made = chooseDefault();
            defaultChoice = made;
        }
        return made;
    }

    private static PathSelection chooseDefault() {
        // The faster paths that cannot run are named: a fallback must say what it stands in for
        // (e.g. why the native library did not load). Slower ones nobody asked for are not.
        PathKind chosen = null;
        StringBuilder unavailable = new StringBuilder();
        for (PathKind kind : PathKind.values()) {
            String why = PathFactory.unavailableReason(kind);
            if (why == null) {
                chosen = kind;
                break;
            }
            unavailable.append(unavailable.isEmpty() ? "" : "; ").append(kind.propertyName()).append(": ").append(why);
        }
        if (chosen != null) {
            FallbackWarning.defaultChosen(chosen);
            return new PathSelection(chosen, unavailable.isEmpty() ? "the fastest path available"
                    : "the fastest path available; " + unavailable);
        }
        throw new UnsatisfiedLinkError("no srcu4j path can run here: " + unavailable);
    }

    /**
     * Selects {@code kind}, which someone asked for by name; {@code reason} says who.
     *
     * @throws UnsatisfiedLinkError when {@code kind} cannot run here (the message says why)
     */
    public static PathSelection require(PathKind kind, String reason) {
        String unavailable = PathFactory.unavailableReason(kind);
        if (unavailable != null) {
            throw new UnsatisfiedLinkError("path " + kind.propertyName() + " (" + reason + ") cannot run here: "
                    + unavailable);
        }
        return new PathSelection(kind, reason);
    }
}
