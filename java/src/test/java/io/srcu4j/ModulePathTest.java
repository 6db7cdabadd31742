// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * srcu4j as one JPMS module, {@code io.srcu4j}: its descriptor exports the two API packages and
 * nothing else, and an application of its own ({@code src/test/consumer}: {@code requires
 * io.srcu4j}) runs in a child JVM on the module path. Granted native access with
 * {@code --enable-native-access=io.srcu4j} alone it runs the native paths and the JVM prints no
 * warning; denied it, the loader says what to grant, and nothing fails at class initialisation.
 * The module is the build's exploded one (classes, descriptor and libraries), the same content
 * the jar gets.
 */
class ModulePathTest {

    private static final Set<String> EXPORTED = Set.of("io.srcu4j", "io.srcu4j.cpu");

    private static final Path MODULE = Path.of(System.getProperty("srcu4j.test.moduleDir", "target/classes"));
    private static final Path CONSUMER_SOURCES = Path.of(System.getProperty("srcu4j.test.consumerSources",
            "src/test/consumer"));

    @TempDir
    static Path work;

    private static Path consumer;

    @BeforeAll
    static void compileTheConsumer() throws IOException {
        consumer = work.resolve("consumer");
        List<String> args = new ArrayList<>(List.of("-d", consumer.toString(), "--module-path", MODULE.toString()));
        try (Stream<Path> files = Files.walk(CONSUMER_SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(messages, true, StandardCharsets.UTF_8);
        int rc = ToolProvider.findFirst("javac").orElseThrow().run(out, out, args.toArray(String[]::new));
        assertEquals(0, rc, "the consumer does not compile against module io.srcu4j:\n" + messages);
    }

    @Test
    void theDescriptorExportsTheApiPackagesOnly() {
        ModuleDescriptor module = ModuleFinder.of(MODULE).find("io.srcu4j").orElseThrow().descriptor();
        assertEquals(EXPORTED, module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(module.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), module.exports().toString());
        assertEquals(Set.of(), module.opens(), "opens nothing");
        assertFalse(module.isOpen());
        // The bindings are inside, not another module's: one grant covers every restricted call.
        assertTrue(module.packages().contains("io.srcu4j.bindings"), module.packages().toString());
        assertTrue(module.requires().stream().anyMatch(r -> r.name().equals("com.sun.jna")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)), module.requires().toString());
    }

    @Test
    void grantedNativeAccessTheConsumerRunsNativeWithoutAWarning() throws Exception {
        Run run = runConsumer("--enable-native-access=io.srcu4j");
        assertEquals(0, run.status, run.toString());
        assertEquals("true", run.values.get("available"), run.toString());
        assertEquals("native-direct", run.values.get("path"), run.toString());
        assertEquals("1", run.values.get("inside"), run.toString());
        assertEquals("1", run.values.get("callbacks"), run.toString());
        assertEquals("true", run.values.get("pinned"), run.toString());
        assertEquals("", run.stderr, "the JVM or srcu4j wrote to stderr (a warning?):\n" + run);
    }

    @Test
    void theJnaPathRunsOnTheModulePathWhenJnaIsResolvedAndGranted() throws Exception {
        Path jna = Path.of(com.sun.jna.Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Run run = runConsumer(List.of(jna), "--add-modules", "com.sun.jna",
                "--enable-native-access=io.srcu4j,com.sun.jna", "-Dsrcu4j.path=jna");
        assertEquals(0, run.status, run.toString());
        assertEquals("jna", run.values.get("path"), run.toString());
        assertEquals("1", run.values.get("callbacks"), run.toString());
        assertEquals("", run.stderr, "the JVM or srcu4j wrote to stderr (a warning?):\n" + run);
    }

    /**
     * Without the grant (and with illegal native access denied, as future JDKs will), the library
     * is unavailable with the reason and the option to fix it; domains fall back to the Java
     * path, and the CPU API says why it cannot pin, instead of an ExceptionInInitializerError.
     */
    @Test
    void deniedNativeAccessTheLoaderNamesTheGrantAndNothingFailsAtInitialisation() throws Exception {
        Run run = runConsumer("--illegal-native-access=deny");
        assertEquals(0, run.status, run.toString());
        assertEquals("false", run.values.get("available"), run.toString());
        assertTrue(run.values.get("cause").contains("native access is not enabled for io.srcu4j: run java with"
                + " --enable-native-access=io.srcu4j"), run.toString());
        assertEquals("java", run.values.get("path"), run.toString());
        assertEquals("1", run.values.get("callbacks"), run.toString());
        assertTrue(run.values.get("pinned").startsWith("UnsatisfiedLinkError: ")
                && run.values.get("pinned").contains("--enable-native-access=io.srcu4j"), run.toString());
        assertFalse((run.stdout + run.stderr).contains("ExceptionInInitializerError"), run.toString());
    }

    /** What one consumer JVM printed: its {@code key=value} lines, stdout and stderr. */
    private record Run(int status, Map<String, String> values, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static Run runConsumer(String... options) throws Exception {
        return runConsumer(List.of(), options);
    }

    /** The consumer on the module path (module io.srcu4j, {@code extraModules}, the consumer). */
    private static Run runConsumer(List<Path> extraModules, String... options) throws Exception {
        List<String> modulePath = new ArrayList<>(List.of(MODULE.toString()));
        extraModules.forEach(m -> modulePath.add(m.toString()));
        modulePath.add(consumer.toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("--module-path", String.join(File.pathSeparator, modulePath),
                "-m", "srcu4j.consumer/consumer.Main"));
        ProcessBuilder builder = new ProcessBuilder(command);
        // A JAVA_TOOL_OPTIONS of the environment would add its own line to stderr.
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = builder.start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String stdout = read(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the consumer JVM did not finish:\n" + stdout);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Run(p.exitValue(), values, stdout, stderr.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
