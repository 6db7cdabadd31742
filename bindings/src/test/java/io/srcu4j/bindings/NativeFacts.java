// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bindings;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the tests need from outside the JVM (the library, the layout probe, {@code nm}) and from
 * the bindings themselves (their classes, found by listing the package, never by a hand-kept list).
 */
final class NativeFacts {

    static final String LIBRARY_PROPERTY = "srcu4j.native.path";
    static final String PROBE_PROPERTY = "srcu4j.layout.probe";

    /** Enum constants and macros become upper-case getters of the header class. */
    private static final Pattern CONSTANT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    private static final String PACKAGE = srcu4j_h.class.getPackageName();

    private NativeFacts() {
    }

    /** The file a system property names; fails with a clear message when it is unset or absent. */
    static Path requiredFile(String property, String what) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            fail("System property " + property + " (the " + what + ") is not set; run the tests through"
                    + " Maven (mvn -pl bindings -am verify), whose native module builds it.");
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            fail("The " + what + " " + path + " (system property " + property + ") does not exist; it is"
                    + " built by the native module (mvn -pl bindings -am verify builds it first).");
        }
        return path;
    }

    /** Runs a command and returns its standard output; fails on a non-zero exit or a timeout. */
    static List<String> run(List<String> command, String missingHint) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return fail("Cannot run " + command.getFirst() + ": " + e.getMessage() + ". " + missingHint, e);
        }
        try (InputStream out = process.getInputStream(); InputStream err = process.getErrorStream()) {
            // The outputs here are a few hundred bytes, far below any pipe buffer.
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 60 s");
            }
            String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " exited with " + process.exitValue() + ": " + stderr);
            }
            return stdout.lines().toList();
        } catch (IOException e) {
            return fail("Reading the output of " + String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("Interrupted while running " + String.join(" ", command), e);
        }
    }

    /** The layout probe's facts, key to value, in the order it printed them. */
    static Map<String, Long> probeFacts() {
        Path probe = requiredFile(PROBE_PROPERTY, "layout probe");
        Map<String, Long> facts = new LinkedHashMap<>();
        for (String line : run(List.of(probe.toString()), "The probe is native/tests/layout_probe.c.")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2) {
                fail("Malformed probe line (want \"<key> <value>\"): " + line);
            }
            long value;
            try {
                value = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                return fail("Probe value is not a number: " + line, e);
            }
            if (facts.put(parts[0], value) != null) {
                fail("The probe printed " + parts[0] + " twice");
            }
        }
        if (facts.isEmpty()) {
            fail("The probe " + probe + " printed nothing");
        }
        return facts;
    }

    /** Facts about enum constants (keys without a dot). */
    static Map<String, Long> constantFacts(Map<String, Long> facts) {
        Map<String, Long> constants = new TreeMap<>();
        facts.forEach((k, v) -> {
            if (!k.contains(".")) {
                constants.put(k, v);
            }
        });
        return constants;
    }

    /** The constant getters of the header class: public static, no parameters, upper-case names. */
    static List<Method> constantGetters() {
        return Stream.of(srcu4j_h.class.getMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0)
                .filter(m -> CONSTANT_NAME.matcher(m.getName()).matches())
                .filter(m -> m.getReturnType() == int.class || m.getReturnType() == long.class)
                .sorted(Comparator.comparing(Method::getName))
                .toList();
    }

    /** Every top-level class of the bindings package, found by listing where srcu4j_h was loaded from. */
    static List<Class<?>> bindingClasses() {
        URL location = srcu4j_h.class.getProtectionDomain().getCodeSource().getLocation();
        String dir = PACKAGE.replace('.', '/') + "/";
        List<String> names = new ArrayList<>();
        try {
            Path root = Path.of(location.toURI());
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.list(root.resolve(dir))) {
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".class"))
                            .forEach(n -> names.add(n.substring(0, n.length() - ".class".length())));
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (n.startsWith(dir) && n.endsWith(".class") && n.indexOf('/', dir.length()) < 0) {
                            names.add(n.substring(dir.length(), n.length() - ".class".length()));
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            return fail("Cannot list the classes of " + PACKAGE + " at " + location, e);
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            Class<?> c;
            try {
                c = Class.forName(PACKAGE + "." + name, false, srcu4j_h.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return fail("Listed class " + name + " cannot be loaded", e);
            }
            if (c.getEnclosingClass() == null) {
                classes.add(c);
            }
        }
        classes.sort(Comparator.comparing(Class::getName));
        return classes;
    }

    /** Struct classes: top-level classes with a public static {@code GroupLayout layout()}. */
    static List<Class<?>> structClasses() {
        List<Class<?>> structs = new ArrayList<>();
        for (Class<?> c : bindingClasses()) {
            try {
                Method layout = c.getMethod("layout");
                if (Modifier.isStatic(layout.getModifiers())
                        && java.lang.foreign.GroupLayout.class.isAssignableFrom(layout.getReturnType())) {
                    structs.add(c);
                }
            } catch (NoSuchMethodException e) {
                // not a struct
            }
        }
        return structs;
    }
}
