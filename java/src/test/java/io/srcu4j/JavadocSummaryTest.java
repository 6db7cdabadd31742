// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The summary javadoc shows for each element of the exported packages (in the member tables
 * and the index) is a whole sentence. Javadoc ends it at the first period followed by white
 * space outside an inline tag, so "e.g. {@code 0-3}" cut {@code CpuSet.parse}'s summary to
 * "Reads the kernel's CPU list format, e.g.". A comment that starts with {@code {@return}} has
 * that tag's text as its summary, whole.
 */
class JavadocSummaryTest {

    private static final Path SOURCES = Path.of(System.getProperty("srcu4j.test.mainSources", "src/main/java"));
    private static final List<String> EXPORTED = List.of("io/srcu4j", "io/srcu4j/cpu");
    private static final Pattern COMMENT = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    /** Abbreviations that end no sentence; one at the end of a summary means javadoc cut it there. */
    private static final Pattern CUT = Pattern.compile("(?i)\\b(e\\.g|i\\.e|cf|vs)\\.$");

    @Test
    void noSummaryOfTheExportedPackagesStopsAtAnAbbreviation() throws IOException {
        List<String> cut = new ArrayList<>();
        int comments = 0;
        for (String pkg : EXPORTED) {
            try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    Matcher m = COMMENT.matcher(Files.readString(file));
                    while (m.find()) {
                        comments++;
                        String summary = summary(m.group(1));
                        if (CUT.matcher(summary).find()) {
                            cut.add(SOURCES.relativize(file) + ": \"" + summary + "\"");
                        }
                    }
                }
            }
        }
        assertTrue(comments > 100, "found only " + comments + " doc comments under " + SOURCES.toAbsolutePath());
        assertEquals(List.of(), cut, "summaries javadoc cuts at an abbreviation");
    }

    @Test
    void theSummaryEndsWhereJavadocEndsIt() {
        assertEquals("Reads the kernel's CPU list format, e.g.",
                summary(" * Reads the kernel's CPU list format, e.g. {@code \"0-3\"}. More.\n"));
        assertEquals("A {@code a. b} c.", summary(" * A {@code a. b} c. Next.\n"));
        assertEquals("No period here", summary(" * No period here\n *\n * @param x x\n"));
        assertEquals("", summary(" * {@return the name, e.g. {@code x}}\n"));
    }

    /**
     * The first sentence of a doc comment's body as javadoc takes it: up to the first period that
     * is followed by white space or the end and is not inside an inline tag, or up to the first
     * block tag; empty for a comment that begins with {@code {@return}}.
     */
    static String summary(String body) {
        StringBuilder text = new StringBuilder();
        for (String line : body.split("\n")) {
            text.append(line.replaceFirst("^\\s*\\*? ?", "")).append('\n');
        }
        String s = text.toString().strip();
        if (s.startsWith("{@return")) {
            return "";
        }
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && i + 1 < s.length() && s.charAt(i + 1) == '@' || c == '{' && depth > 0) {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (depth == 0 && c == '.' && (i + 1 == s.length() || Character.isWhitespace(s.charAt(i + 1)))) {
                return s.substring(0, i + 1).replaceAll("\\s+", " ");
            } else if (depth == 0 && c == '@' && (i == 0 || s.charAt(i - 1) == '\n')) {
                return s.substring(0, i).strip().replaceAll("\\s+", " ");
            }
        }
        return s.replaceAll("\\s+", " ");
    }
}
