// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.AbstractRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.RangeType;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG charts for the report: grouped bars over categories, and lines over a numeric x, each with
 * a title, axis titles, a legend and error bars where the series have errors. Missing values
 * (NaN) are left out. Every failure, missing fonts included, is a {@link ChartException}. The
 * look ({@link #chart}) and the writing ({@link #save(Path, JFreeChart, int, int)}) are public for
 * the hardware study's own charts (io.srcu4j.bench.study).
 */
public final class Charts {

    static {
        // The report runs on servers and in CI: no display. First in the class, since the Color
        // and Font constants below already make AWT decide whether it is headless; an explicit
        // -Djava.awt.headless=... still wins.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    public static final int WIDTH = 1000;
    public static final int HEIGHT = 560;
    /** What a minimal Debian needs for the JDK to render text: ensure-tools.sh installs the same. */
    static final String FONT_PACKAGES = "fontconfig fonts-dejavu-core";

    /**
     * Series colours, distinct for up to ten series and none too pale on white (JFreeChart's
     * defaults include a yellow that vanishes); beyond ten, JFreeChart's own follow.
     */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x59A14F),
        new Color(0x76B7B2), new Color(0xB07AA1), new Color(0x9C755F), new Color(0xD4A017),
        new Color(0xFF9DA7), new Color(0x7F7F7F),
    };

    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    /** More categories than this and their labels are slanted so they do not overlap. */
    private static final int UPRIGHT_LABELS = 6;

    private Charts() {
    }

    /**
     * Grouped bars: one group per category, one bar per series in each.
     *
     * @param logY a log Y axis (for values that span decades); values at or below zero are drawn
     *             at its floor
     */
    static void bar(Path out, String title, String yAxisTitle, List<String> categories,
            List<ChartSeries> series, boolean logY) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (ChartSeries s : series) {
            checkLength(s, categories.size(), "categories");
            for (int i = 0; i < categories.size(); i++) {
                if (Double.isFinite(s.value(i))) {
                    data.add((Number) s.value(i), errorOrNull(s, i), s.name(), categories.get(i));
                }
            }
        }
        CategoryAxis x = new CategoryAxis();
        if (categories.size() > UPRIGHT_LABELS) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        x.setMaximumCategoryLabelLines(3);
        StatisticalBarRenderer bars = new StatisticalBarRenderer();
        // Flat bars: the default gradient reads as a value change along the bar.
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setErrorIndicatorPaint(Color.BLACK);
        bars.setItemMargin(0.05);
        CategoryPlot plot = new CategoryPlot(data, x, yAxis(yAxisTitle, series, logY), bars);
        plot.setRangeGridlinesVisible(true);
        save(out, chart(title, plot, bars));
    }

    /** Lines with point markers over {@code xs}, one per series. */
    static void line(Path out, String title, String xTitle, String yTitle, List<Double> xs,
            List<ChartSeries> series, boolean logY) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (ChartSeries s : series) {
            checkLength(s, xs.size(), "x values");
            YIntervalSeries points = new YIntervalSeries(s.name());
            for (int i = 0; i < xs.size(); i++) {
                double v = s.value(i);
                if (Double.isFinite(v) && xs.get(i) != null && Double.isFinite(xs.get(i))) {
                    double e = Double.isFinite(s.error(i)) ? s.error(i) : 0;
                    points.add(xs.get(i), v, v - e, v + e);
                }
            }
            data.addSeries(points);
        }
        NumberAxis x = new NumberAxis(xTitle);
        x.setAutoRangeIncludesZero(false);
        if (xs.stream().allMatch(v -> v != null && v == Math.rint(v))) {
            // Thread counts and the like: no "1.5 threads" ticks.
            x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        XYErrorRenderer lines = lineRenderer();
        XYPlot plot = new XYPlot(data, x, yAxis(yTitle, series, logY), lines);
        save(out, chart(title, plot, lines));
    }

    /** Lines with point markers and vertical error bars (YIntervalSeries), as every line chart draws them. */
    public static XYErrorRenderer lineRenderer() {
        XYErrorRenderer lines = new XYErrorRenderer();
        lines.setDrawXError(false);
        lines.setDefaultShapesVisible(true);
        lines.setDefaultLinesVisible(true);
        lines.setDefaultStroke(new BasicStroke(2f));
        lines.setAutoPopulateSeriesStroke(false);
        lines.setCapLength(6);
        return lines;
    }

    private static void checkLength(ChartSeries s, int expected, String what) {
        if (s.values().size() != expected) {
            throw new IllegalArgumentException("series '" + s.name() + "' has " + s.values().size()
                    + " values for " + expected + " " + what);
        }
    }

    private static Double errorOrNull(ChartSeries s, int i) {
        // null, not NaN: the bar renderer skips a null error but would draw a NaN one.
        return Double.isFinite(s.error(i)) ? s.error(i) : null;
    }

    private static ValueAxis yAxis(String title, List<ChartSeries> series, boolean logY) {
        if (logY) {
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (ChartSeries s : series) {
                for (int i = 0; i < s.values().size(); i++) {
                    double v = s.value(i);
                    if (Double.isFinite(v) && v > 0) {
                        double e = Double.isFinite(s.error(i)) ? s.error(i) : 0;
                        min = Math.min(min, v - e > 0 ? v - e : v);
                        max = Math.max(max, v + e);
                    }
                }
            }
            if (min == Double.POSITIVE_INFINITY) {
                // Nothing positive to place: an empty 1..10 axis rather than no chart.
                min = 1;
                max = 10;
            }
            return new FlooredLogAxis(title, min, max);
        }
        NumberAxis axis = new NumberAxis(title);
        axis.setAutoRangeIncludesZero(true);
        // Times and rates are never negative: an error bar reaching below zero is cut at zero
        // instead of stretching the axis into values nothing can take.
        axis.setRangeType(RangeType.POSITIVE);
        return axis;
    }

    /** The chart around {@code plot}, with the look every report chart shares. */
    public static JFreeChart chart(String title, Plot plot, AbstractRenderer renderer) {
        for (int i = 0; i < PALETTE.length; i++) {
            renderer.setSeriesPaint(i, PALETTE[i]);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        chart.getPlot().setOutlinePaint(Color.GRAY);
        if (chart.getPlot() instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(Color.LIGHT_GRAY);
            readable(p.getDomainAxis());
            readable(p.getRangeAxis());
        } else if (chart.getPlot() instanceof XYPlot p) {
            p.setRangeGridlinePaint(Color.LIGHT_GRAY);
            p.setDomainGridlinePaint(Color.LIGHT_GRAY);
            readable(p.getDomainAxis());
            readable(p.getRangeAxis());
        }
        chart.getLegend().setItemFont(TICK_FONT);
        return chart;
    }

    /** JFreeChart's 10-point tick labels are hard to read at this size. */
    private static void readable(Axis axis) {
        axis.setTickLabelFont(TICK_FONT);
        axis.setLabelFont(LABEL_FONT);
    }

    private static void save(Path out, JFreeChart chart) {
        save(out, chart, WIDTH, HEIGHT);
    }

    /**
     * Writes {@code chart} as a PNG of {@code width} x {@code height} pixels.
     *
     * @throws ChartException when it cannot be drawn (no usable font, among others) or written
     */
    public static void save(Path out, JFreeChart chart, int width, int height) {
        Fonts.check();
        try (OutputStream file = Files.newOutputStream(out)) {
            ChartUtils.writeChartAsPNG(file, chart, width, height);
        } catch (IOException e) {
            throw new ChartException("cannot write chart " + out + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            rethrowIfFatal(e);
            throw new ChartException("could not draw chart '" + chart.getTitle().getText() + "' (" + out
                    + "): " + RunReport.describe(e), e);
        }
    }

    /**
     * Out of memory or stack: not the chart's fault. InternalError is a VirtualMachineError too,
     * but font setup throws it ("Fontconfig head is null") and it only means no chart.
     */
    private static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof InternalError)) {
            throw (VirtualMachineError) e;
        }
    }

    /** What to tell the user when text cannot be rendered. */
    static String noFontMessage(Throwable cause) {
        return "cannot render chart text, the JDK found no usable font (" + RunReport.describe(cause)
                + "); install fontconfig and a font, on Debian/Ubuntu: apt-get install " + FONT_PACKAGES
                + " (scripts/ensure-tools.sh does this when run as root)";
    }

    /**
     * Whether the JDK can render text at all; asked once, before the first chart. Private and
     * reached only through {@link #save}, so the headless property above is set before it loads AWT.
     */
    private static final class Fonts {

        private static final Throwable FAILURE = probe();

        private Fonts() {
        }

        static void check() {
            if (FAILURE != null) {
                throw new ChartException(noFontMessage(FAILURE), FAILURE);
            }
        }

        private static Throwable probe() {
            // A JDK on a minimal system without fontconfig or any font fails here, with an
            // Error or an exception from deep inside sun.font, the first time text is drawn.
            try {
                BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                try {
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                    g.drawString("0", 0, 8);
                    g.getFontMetrics().stringWidth("ns/op");
                } finally {
                    g.dispose();
                }
                return null;
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                return e;
            }
        }
    }
}
