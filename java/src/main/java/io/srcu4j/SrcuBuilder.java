// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.Srcu4jProperties;
import io.srcu4j.internal.observe.DomainNames;
import io.srcu4j.internal.path.PathKind;

import java.time.Duration;
import java.util.Objects;

/**
 * Builds a {@link Srcu} domain: {@code Srcu.builder().name("routes").flavor(ReaderFlavor.FAST).build()}.
 * Every setting is optional; {@code Srcu.builder().build()} is {@link Srcu#create()}.
 *
 * <p>A builder is not thread-safe and may build any number of domains.
 */
public final class SrcuBuilder {

    private String name;
    private ReaderFlavor flavor = ReaderFlavor.CLASSIC;
    private Duration stallTimeout;
    private PathKind path;

    SrcuBuilder() {
    }

    /**
     * Names the domain: its {@code toString()}, error messages, stall warnings and JFR events
     * carry the name, and {@link #build()} registers the domain's {@link SrcuMXBean} as
     * {@code io.srcu4j:type=Srcu,name=<name>}. A name an open domain already has gets {@code #2},
     * {@code #3}, ... appended ({@link Srcu#name()} tells). Without a name the domain is
     * {@code srcu-<n>} and has no MXBean.
     *
     * @param name at most 200 characters, not blank, no control characters
     * @return this builder
     * @throws NullPointerException     when {@code name} is null
     * @throws IllegalArgumentException when {@code name} is blank, too long, or holds a control
     *                                  character
     */
    public SrcuBuilder name(String name) {
        this.name = DomainNames.check(name);
        return this;
    }

    /**
     * How the domain's readers order their counter updates; {@link ReaderFlavor#CLASSIC} unless
     * set.
     *
     * @param flavor the readers' flavor; {@link Srcu#flavor()} tells which one the domain runs
     * @return this builder
     * @throws NullPointerException when {@code flavor} is null
     */
    public SrcuBuilder flavor(ReaderFlavor flavor) {
        this.flavor = Objects.requireNonNull(flavor, "flavor is null");
        return this;
    }

    /**
     * How long a wait for a grace period goes on before the domain logs a stall warning, and
     * between its warnings (see {@link Srcu#stats()} and the README's "Operating it").
     * {@link Duration#ZERO} turns the warnings off. Unless set, the {@code srcu4j.stallTimeout}
     * property's value (whole milliseconds or an ISO-8601 duration) when the domain is built, or
     * 10 seconds.
     *
     * @param timeout the threshold, or {@link Duration#ZERO} for no warnings
     * @return this builder
     * @throws NullPointerException     when {@code timeout} is null
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public SrcuBuilder stallTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "stallTimeout is null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("stallTimeout " + timeout + " is negative; Duration.ZERO turns stall"
                    + " warnings off");
        }
        this.stallTimeout = timeout;
        return this;
    }

    /** The path to run on, whatever {@code srcu4j.path} says (for tests that run a contract on every path). */
    SrcuBuilder path(PathKind kind) {
        this.path = Objects.requireNonNull(kind, "path is null");
        return this;
    }

    /**
     * Creates the domain and starts its callback worker; registers its MXBean when it is named.
     * The path is the one {@link Srcu#describe()} names: the {@code srcu4j.path} property's, or
     * the fastest one available.
     *
     * @return a new open domain
     * @throws UnsatisfiedLinkError     when no path can run here, or the one asked for cannot
     *                                  ({@link Srcu4j#unavailabilityCause()} says why the native
     *                                  library did not load)
     * @throws IllegalArgumentException when {@code srcu4j.path} names no path, or
     *                                  {@code srcu4j.stallTimeout} is not a duration
     * @throws Srcu4jException          when the domain cannot be created
     */
    public Srcu build() {
        Duration stall = stallTimeout != null ? stallTimeout : Srcu4jProperties.stallTimeout(System::getProperty);
        return Srcu.create(name, flavor, stall, path);
    }
}
