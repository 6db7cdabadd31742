// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    private static final double NAN = Double.NaN;

    @TempDir
    Path dir;

    /** Reads {@code file} as a PNG of the charts' size and returns it. */
    static BufferedImage assertPng(Path file) throws IOException {
        assertTrue(Files.size(file) > 1000, file + " is too small to hold a chart");
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, "PNG signature");
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
        return image;
    }

    @Test
    void barChartWithErrorsIsAPngOfTheChartSize() throws IOException {
        Path out = dir.resolve("bar.png");
        Charts.bar(out, "Read pair", "ns/op", List.of("A", "B", "C"), List.of(
                new ChartSeries("1 thread", List.of(2.0, 4.0, 120.0), List.of(0.1, 0.5, 10.0)),
                new ChartSeries("2 threads", List.of(2.5, 4.5, 300.0), List.of())), true);
        BufferedImage image = assertPng(out);
        assertTrue(distinctColours(image) > 3, "the chart has more than a background");
    }

    @Test
    void missingValuesAndErrorsAreSkipped() throws IOException {
        Path bar = dir.resolve("gaps.png");
        Charts.bar(bar, "gaps", "ns/op", List.of("A", "B"), List.of(
                new ChartSeries("x", List.of(NAN, 3.0), List.of(NAN, NAN)),
                new ChartSeries("y", List.of(NAN, NAN), null)), false);
        assertPng(bar);
        Path line = dir.resolve("gaps-line.png");
        Charts.line(line, "gaps", "threads", "ns/op", List.of(1.0, 2.0, 4.0), List.of(
                new ChartSeries("x", List.of(1.0, NAN, 3.0), List.of(0.1, 0.2, NAN)),
                new ChartSeries("nothing", List.of(NAN, NAN, NAN), List.of())), true);
        assertPng(line);
    }

    @Test
    void logAxisTakesTinyValuesZeroAndErrorBarsReachingBelowZero() throws IOException {
        Path out = dir.resolve("tiny.png");
        Charts.bar(out, "tiny", "ns/op", List.of("a", "b", "c", "d"), List.of(new ChartSeries("s",
                List.of(1e-6, 0.003, 0.0, 0.5), List.of(5e-6, 0.01, 0.0, 1.0))), true);
        assertPng(out);
        Path line = dir.resolve("tiny-line.png");
        Charts.line(line, "tiny", "x", "ns/op", List.of(0.5, 1.0), List.of(
                new ChartSeries("s", List.of(0.0001, -1.0), List.of(0.001, NAN))), true);
        assertPng(line);
    }

    @Test
    void logAxisSpansWholeDecadesAndDrawsLowValuesAtItsFloor() {
        FlooredLogAxis axis = new FlooredLogAxis("y", 0.003, 42);
        assertEquals(0.001, axis.getLowerBound(), 1e-12);
        assertEquals(100, axis.getUpperBound(), 1e-9);
        var area = new java.awt.geom.Rectangle2D.Double(0, 0, 100, 100);
        assertEquals(axis.valueToJava2D(0.001, area, org.jfree.chart.ui.RectangleEdge.LEFT),
                axis.valueToJava2D(-5, area, org.jfree.chart.ui.RectangleEdge.LEFT));
        assertEquals(1e-7, new FlooredLogAxis("y", 1e-6, 1).getLowerBound(), 1e-20, "below the smallest value");
        FlooredLogAxis flat = new FlooredLogAxis("y", 5, 5);
        assertEquals(10, flat.getUpperBound() / flat.getLowerBound(), 1e-9, "at least one decade");
    }

    @Test
    void nothingToShowStillGivesAChart() throws IOException {
        Path out = dir.resolve("empty.png");
        Charts.bar(out, "empty", "ns/op", List.of("A"), List.of(new ChartSeries("s", List.of(NAN), null)), true);
        assertPng(out);
    }

    @Test
    void aSeriesOfTheWrongLengthIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Charts.bar(dir.resolve("x.png"), "t", "y",
                List.of("A", "B"), List.of(new ChartSeries("short", List.of(1.0), null)), false));
        assertTrue(e.getMessage().contains("'short' has 1 values for 2 categories"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ChartSeries("s", List.of(1.0, 2.0), List.of(0.1)));
    }

    @Test
    void anUnwritableFileIsAChartException() throws IOException {
        Path out = Files.createDirectory(dir.resolve("taken.png"));
        var e = assertThrows(ChartException.class, () -> Charts.bar(out, "t", "y", List.of("A"),
                List.of(new ChartSeries("s", List.of(1.0), null)), false));
        assertTrue(e.getMessage().contains("cannot write chart " + out), e.getMessage());
    }

    @Test
    void theNoFontMessageNamesThePackagesToInstall() {
        String message = Charts.noFontMessage(new InternalError("Fontconfig head is null"));
        assertTrue(message.contains("apt-get install fontconfig fonts-dejavu-core"), message);
        assertTrue(message.contains("Fontconfig head is null"), message);
    }

    private static long distinctColours(BufferedImage image) {
        return java.util.stream.IntStream.range(0, image.getWidth() * image.getHeight())
                .map(i -> image.getRGB(i % image.getWidth(), i / image.getWidth())).distinct().limit(10).count();
    }
}
