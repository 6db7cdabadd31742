package io.srcu4j.internal.path;

import io.srcu4j.internal.ffm.FfmDomain;
import io.srcu4j.internal.heap.HeapDomain;
import io.srcu4j.internal.loader.NativeLibrary;

/**
 * The paths a domain can run on, fastest first: {@link PathSelection} takes the first one
 * available unless the {@code srcu4j.path} property names another.
 */
public enum PathKind {

    /** Each read lock and unlock is one FFM critical downcall into libsrcu4j's rseq path. */
    NATIVE_DOWNCALL("native-downcall", "libsrcu4j through FFM, one critical downcall per read lock and unlock") {
        @Override
        public String unavailableReason() {
            Throwable cause = NativeLibrary.unavailabilityCause();
            return cause == null ? null : "libsrcu4j is not loaded: " + cause.getMessage();
        }

        @Override
        public DomainPath create(int flavor) {
            return FfmDomain.create(flavor);
        }
    },

    /** The same algorithm on the Java heap: striped counters with atomic adds, no native code. */
    JAVA("java", "the SRCU algorithm on the Java heap, atomic adds on striped counters, no native code") {
        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public DomainPath create(int flavor) {
            return HeapDomain.create(flavor);
        }
    };

    private final String propertyName;
    private final String summary;

    PathKind(String propertyName, String summary) {
        this.propertyName = propertyName;
        this.summary = summary;
    }

    /** The name the {@code srcu4j.path} property uses. */
    public String propertyName() {
        return propertyName;
    }

    /** One line on how the path works. */
    public String summary() {
        return summary;
    }

    /** Why this path cannot run here, or {@code null} when it can. */
    public abstract String unavailableReason();

    /** Creates a domain with the given reader flavor ({@code enum s4j_flavor} number). */
    public abstract DomainPath create(int flavor);

    /** The kind whose property name is {@code name}, or {@code null}. */
    static PathKind byPropertyName(String name) {
        for (PathKind kind : values()) {
            if (kind.propertyName.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
