// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Every {@code srcu4j.*} system property, read in this one place and logged at DEBUG.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><th>Property</th><th>Default</th><th>Effect</th></tr>
 *   <tr><td>{@value #NATIVE_PATH}</td><td>unset</td>
 *       <td>load this file instead of the library carried in the jar (no extraction)</td></tr>
 *   <tr><td>{@value #NATIVE_WORKDIR}</td><td>{@code java.io.tmpdir}</td>
 *       <td>directory the library is extracted to; it must allow execution (not {@code noexec})</td></tr>
 *   <tr><td>{@value #NATIVE_KEEP_TEMP}</td><td>{@code false}</td>
 *       <td>keep the extracted file after the JVM exits (for debuggers and profilers)</td></tr>
 *   <tr><td>{@value #NATIVE_DISABLE}</td><td>{@code false}</td>
 *       <td>never load the native library; the native path reports itself unavailable</td></tr>
 *   <tr><td>{@value #PATH}</td><td>unset: the fastest path available</td>
 *       <td>the path every new domain runs; creating a domain fails when it cannot run</td></tr>
 *   <tr><td>{@value #STALL_TIMEOUT}</td><td>10 s</td>
 *       <td>how long a wait for a grace period goes on before a stall warning, and between
 *       warnings: whole milliseconds ({@code 500}) or an ISO-8601 duration ({@code PT0.5S});
 *       {@code 0} turns the warnings off. Read when a domain is built that does not set its own</td></tr>
 *   <tr><td>{@value #DEBUG_SECTIONS}</td><td>{@code false}</td>
 *       <td>record where each read section began (thread and stack) so that stall warnings name
 *       them; costs a stack capture per section. Read once, when srcu4j first needs it</td></tr>
 * </table>
 *
 * @param nativePath    the file named by {@value #NATIVE_PATH}, or {@code null}
 * @param nativeWorkdir where the library is extracted
 * @param keepTemp      whether the extracted file outlives the JVM
 * @param nativeDisable whether loading is refused
 * @param path          the path named by {@value #PATH}, or {@code null}
 */
public record Srcu4jProperties(Path nativePath, Path nativeWorkdir, boolean keepTemp, boolean nativeDisable,
                               String path) {

    /** Loads the given file instead of the jar's library. */
    public static final String NATIVE_PATH = "srcu4j.native.path";
    /** Directory the jar's library is extracted into (it must exist; default java.io.tmpdir). */
    public static final String NATIVE_WORKDIR = "srcu4j.native.workdir";
    /** {@code true} keeps the extracted library (otherwise deleted once loaded). */
    public static final String NATIVE_KEEP_TEMP = "srcu4j.native.keepTemp";
    /** {@code true} refuses to load the native library at all. */
    public static final String NATIVE_DISABLE = "srcu4j.native.disable";
    /** Forces one path for every new domain (see {@code io.srcu4j.Srcu#describe()}). */
    public static final String PATH = "srcu4j.path";
    /** Stall-warning threshold: whole milliseconds or an ISO-8601 duration; 0 turns warnings off. */
    public static final String STALL_TIMEOUT = "srcu4j.stallTimeout";
    /** {@code true} records where each read section began, for stall warnings. */
    public static final String DEBUG_SECTIONS = "srcu4j.debug.sections";

    /** The stall-warning threshold when neither the builder nor {@value #STALL_TIMEOUT} sets one. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger("io.srcu4j");

    public Srcu4jProperties {
        Objects.requireNonNull(nativeWorkdir, "nativeWorkdir");
    }

    /** The properties of this JVM, read now. */
    public static Srcu4jProperties fromSystem() {
        Srcu4jProperties p = from(System::getProperty);
        LOG.log(Level.DEBUG, () -> "srcu4j properties: " + NATIVE_PATH + "=" + p.nativePath() + ", "
                + NATIVE_WORKDIR + "=" + p.nativeWorkdir() + ", " + NATIVE_KEEP_TEMP + "=" + p.keepTemp()
                + ", " + NATIVE_DISABLE + "=" + p.nativeDisable() + ", " + PATH + "=" + p.path());
        return p;
    }

    /** {@value #PATH} as the system properties give it now, or null. */
    public static String forcedPath() {
        return blankToNull(System.getProperty(PATH));
    }

    /** The properties as {@code lookup} answers them (tests pass a map's {@code get}). */
    public static Srcu4jProperties from(UnaryOperator<String> lookup) {
        String path = blankToNull(lookup.apply(NATIVE_PATH));
        String workdir = blankToNull(lookup.apply(NATIVE_WORKDIR));
        if (workdir == null) {
            workdir = Objects.requireNonNullElse(lookup.apply("java.io.tmpdir"), System.getProperty("java.io.tmpdir"));
        }
        return new Srcu4jProperties(
                path == null ? null : Path.of(path),
                Path.of(workdir),
                Boolean.parseBoolean(lookup.apply(NATIVE_KEEP_TEMP)),
                Boolean.parseBoolean(lookup.apply(NATIVE_DISABLE)),
                blankToNull(lookup.apply(PATH)));
    }

    /**
     * The stall-warning threshold {@value #STALL_TIMEOUT} gives ({@link #DEFAULT_STALL_TIMEOUT}
     * when unset); {@link Duration#ZERO} turns warnings off.
     *
     * @throws IllegalArgumentException when the value is neither a whole number of milliseconds
     *                                  nor an ISO-8601 duration, or is negative
     */
    public static Duration stallTimeout(UnaryOperator<String> lookup) {
        String value = blankToNull(lookup.apply(STALL_TIMEOUT));
        if (value == null) {
            return DEFAULT_STALL_TIMEOUT;
        }
        Duration timeout;
        try {
            timeout = value.chars().allMatch(c -> c >= '0' && c <= '9') ? Duration.ofMillis(Long.parseLong(value))
                    : Duration.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(STALL_TIMEOUT + "=" + value + " is neither a whole number of"
                    + " milliseconds nor an ISO-8601 duration such as PT10S", e);
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(STALL_TIMEOUT + "=" + value
                    + " is negative; 0 turns stall warnings off");
        }
        return timeout;
    }

    /** Whether {@value #DEBUG_SECTIONS} asks for read sections' origins to be recorded. */
    public static boolean debugSections(UnaryOperator<String> lookup) {
        return Boolean.parseBoolean(blankToNull(lookup.apply(DEBUG_SECTIONS)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
