package io.srcu4j.internal.path;

import io.srcu4j.internal.Srcu4jProperties;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which path new domains run, and why: the one {@code srcu4j.path} names, or else the first
 * {@link PathKind} available here, with the reasons the faster ones were passed over.
 *
 * @param kind   the path
 * @param reason why it was chosen, for {@code Srcu.describe()}
 */
public record PathSelection(PathKind kind, String reason) {

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
            String unavailable = kind.unavailableReason();
            if (unavailable != null) {
                throw new UnsatisfiedLinkError(Srcu4jProperties.PATH + "=" + forced + " cannot run here: " + unavailable);
            }
            return new PathSelection(kind, "forced by " + Srcu4jProperties.PATH + "=" + forced);
        }
        StringBuilder passedOver = new StringBuilder();
        for (PathKind kind : PathKind.values()) {
            String unavailable = kind.unavailableReason();
            if (unavailable == null) {
                return new PathSelection(kind, passedOver.isEmpty() ? "the fastest path available"
                        : "the fastest path available (" + passedOver + ")");
            }
            passedOver.append(passedOver.isEmpty() ? "" : "; ").append(kind.propertyName()).append(": ").append(unavailable);
        }
        throw new UnsatisfiedLinkError("no srcu4j path can run here: " + passedOver);
    }
}
