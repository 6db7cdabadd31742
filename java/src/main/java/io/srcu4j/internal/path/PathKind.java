package io.srcu4j.internal.path;

import io.srcu4j.internal.ffm.FfmDomain;
import io.srcu4j.internal.heap.HeapDomain;
import io.srcu4j.internal.loader.NativeLibrary;

/**
 * The paths a domain can run on, fastest first (by measurement: see the comment on the
 * constants): {@link PathSelection} takes the first one available unless the {@code srcu4j.path}
 * property names another.
 */
public enum PathKind {

    /*
     * Order = preference, by the read pair of ReadPairBenchmark (-p impl=SRCU4J
     * -p path=native-downcall,java -wi 4 -i 20 -r 300ms, one run, 2-vCPU EPYC guest shared with
     * other work at load ~7, JDK 25), ns/op, median of iterations (fastest iteration):
     *                    1 thread       2 threads
     *   java            13.2 (12.2)    22.0 (17.0)
     *   native-downcall 21.2 (17.7)    27.5 (22.8)
     * Two locked adds on heap stripes cost less than two critical downcalls, each of which also
     * does the C side's fence and bookkeeping. The native path keeps what only it offers: fast
     * readers (membarrier), and domains shared with C readers.
     */

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
    },

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
