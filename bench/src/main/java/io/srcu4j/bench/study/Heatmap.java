// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import io.srcu4j.bench.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * The core-to-core heatmap: one cell per pair of allowed CPUs, its colour the one-way latency. The
 * CPUs are ordered by NUMA node, LLC and core, so each node and each LLC is a block: thin lines
 * mark LLC boundaries, thick ones NUMA boundaries, a dot marks SMT siblings, grey is a pair not
 * measured (the diagonal, and pairs a sample left out). A pair is measured one way and drawn in
 * both cells (a ping-pong's round trip is the same either way). The image grows with the CPUs,
 * and the axes label every CPU while there are at most 32, else evenly spaced ones.
 */
final class Heatmap {

    /** Cells carry their value as text while there are at most this many CPUs. */
    static final int LABELLED_CELLS = 16;
    /** Every CPU is a tick while there are at most this many. */
    static final int ALL_TICKS = 32;
    static final Color NOT_MEASURED = new Color(0xD9D9D9);

    private Heatmap() {
    }

    /**
     * Pixel width and height for {@code n} CPUs: room for the axes and legends plus a cell of
     * 12 pixels per CPU up to 256 CPUs (28 up to 16, 16 up to 64), then less so the side stays
     * under 3000; at least 700.
     */
    static int[] size(int n) {
        int cell = n <= 16 ? 28 : n <= 64 ? 16 : n <= 256 ? 12 : Math.max(1, 2740 / n);
        int side = Math.max(700, 260 + cell * n);
        return new int[] {side + 160, side};
    }

    /** The CPUs in drawing order: by node, LLC, core, then number. */
    static List<Integer> order(CpuLayout layout) {
        List<Integer> cpus = new ArrayList<>(layout.cpus());
        cpus.sort(Comparator.<Integer>comparingInt(c -> layout.node().getOrDefault(c, -1))
                .thenComparingInt(c -> layout.llc().getOrDefault(c, -1))
                .thenComparingInt(c -> layout.core().getOrDefault(c, -1))
                .thenComparingInt(c -> c));
        return cpus;
    }

    /**
     * Draws the heatmap of {@code values} (ns per pair, keyed "a:b" with a < b) over
     * {@code layout}'s CPUs into {@code out}.
     *
     * @throws io.srcu4j.bench.ChartException when it cannot be drawn or written
     */
    static void draw(Path out, String title, CpuLayout layout, Map<String, Double> values) {
        List<Integer> cpus = order(layout);
        int n = cpus.size();
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(cpus.get(i), i);
        }
        double[][] xyz = new double[3][n * n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int a = Math.min(cpus.get(i), cpus.get(j));
                int b = Math.max(cpus.get(i), cpus.get(j));
                double v = a == b ? Double.NaN : values.getOrDefault(a + ":" + b, Double.NaN);
                xyz[0][i * n + j] = i;
                xyz[1][i * n + j] = j;
                xyz[2][i * n + j] = v;
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            lo = 0;
            hi = 1;
        } else if (hi - lo < 0.1 * hi) {
            // Values within 10 % of each other (or one pair): a scale from zero, not a stretched sliver.
            lo = 0;
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("latency", xyz);
        Scale scale = new Scale(lo, hi);
        XYBlockRenderer cells = new XYBlockRenderer();
        cells.setPaintScale(scale);
        int[] size = size(n);
        float zoom = fontZoom(size[1]);
        NumberAxis x = axis("CPU (measuring thread)", cpus);
        NumberAxis y = axis("CPU (partner thread)", cpus);
        y.setInverted(true);
        XYPlot plot = new XYPlot(data, x, y, cells);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setDomainAxisLocation(AxisLocation.TOP_OR_LEFT);
        marks(plot, layout, cpus);
        if (n <= LABELLED_CELLS) {
            Font font = new Font(Font.SANS_SERIF, Font.BOLD, n <= 4 ? 18 : 12);    // n <= 16: zoom is 1
            for (int k = 0; k < n * n; k++) {
                double v = xyz[2][k];
                if (Double.isFinite(v)) {
                    XYTextAnnotation text = new XYTextAnnotation(String.format(Locale.ROOT, "%.0f", v), xyz[0][k], xyz[1][k]);
                    text.setFont(font);
                    text.setPaint(scale.textOn(v));
                    plot.addAnnotation(text);
                }
            }
        }
        JFreeChart chart = Charts.chart(title, plot, cells);
        // After Charts.chart, which gives every axis the report's 12-point ticks.
        readable(x, zoom);
        readable(y, zoom);
        plot.setFixedLegendItems(legend(layout));
        List<String> unknown = new ArrayList<>();
        if (!layout.knowsCores()) {
            unknown.add("SMT siblings");
        }
        if (!layout.knowsCaches()) {
            unknown.add("LLCs");
        }
        if (!layout.knowsNodes()) {
            unknown.add("NUMA nodes");
        }
        if (!unknown.isEmpty()) {
            TextTitle note = new TextTitle("not marked, the kernel does not tell them: " + String.join(", ", unknown),
                    new Font(Font.SANS_SERIF, Font.ITALIC, Math.round(12 * zoom)));
            note.setPosition(RectangleEdge.BOTTOM);
            chart.addSubtitle(note);
        }
        NumberAxis scaleAxis = new NumberAxis("one-way latency, ns");
        scaleAxis.setRange(lo, hi);
        scaleAxis.setTickUnit(new NumberTickUnit(niceStep((hi - lo) / 10)));
        readable(scaleAxis, zoom);
        chart.getTitle().setFont(chart.getTitle().getFont().deriveFont(chart.getTitle().getFont().getSize2D() * zoom));
        chart.getLegend().setItemFont(chart.getLegend().getItemFont().deriveFont(12 * zoom));
        PaintScaleLegend bar = new PaintScaleLegend(scale, scaleAxis);
        bar.setPosition(RectangleEdge.RIGHT);
        bar.setStripWidth(18 * zoom);
        bar.setMargin(8, 8, 8, 8);
        chart.addSubtitle(bar);
        Charts.save(out, chart, size[0], size[1]);
    }

    /** The legend: grey for not measured, and each mark the layout can show. */
    private static LegendItemCollection legend(CpuLayout layout) {
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(new LegendItem("not measured", null, null, null, new Rectangle2D.Double(-5, -5, 10, 10), NOT_MEASURED));
        if (layout.knowsCores()) {
            legend.add(new LegendItem("SMT siblings", null, null, null, new Ellipse2D.Double(-4, -4, 8, 8), Color.WHITE,
                    new BasicStroke(1), Color.BLACK));
        }
        if (layout.knowsCaches()) {
            legend.add(new LegendItem("LLC boundary", null, null, null, new Line2D.Double(-7, 0, 7, 0),
                    new BasicStroke(1.5f), Color.DARK_GRAY));
        }
        if (layout.knowsNodes()) {
            legend.add(new LegendItem("NUMA boundary", null, null, null, new Line2D.Double(-7, 0, 7, 0),
                    new BasicStroke(4f), Color.BLACK));
        }
        return legend;
    }

    /** An axis over cell indices that shows CPU numbers. */
    private static NumberAxis axis(String title, List<Integer> cpus) {
        int n = cpus.size();
        NumberAxis axis = new NumberAxis(title);
        axis.setRange(-0.5, n - 0.5);
        axis.setTickUnit(new NumberTickUnit(n <= ALL_TICKS ? 1 : Math.ceil(n / 16.0)));
        axis.setNumberFormatOverride(new CpuLabels(cpus));
        return axis;
    }

    /** Text grows with the image, so a 2,500-pixel heatmap reads like a 1,000-pixel chart. */
    static float fontZoom(int side) {
        return Math.max(1f, side / 1100f);
    }

    private static void readable(NumberAxis axis, float zoom) {
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(12 * zoom)));
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(14 * zoom)));
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}: a colour-scale step people read. */
    static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double decade = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * decade >= rough) {
                return m * decade;
            }
        }
        return 10 * decade;
    }

    /** LLC and NUMA boundaries as lines, SMT siblings as dots. */
    private static void marks(XYPlot plot, CpuLayout layout, List<Integer> cpus) {
        int n = cpus.size();
        for (int i = 1; i < n; i++) {
            int prev = cpus.get(i - 1);
            int cur = cpus.get(i);
            boolean node = !layout.node().getOrDefault(prev, -1).equals(layout.node().getOrDefault(cur, -1));
            boolean llc = !layout.llc().getOrDefault(prev, -1).equals(layout.llc().getOrDefault(cur, -1));
            if (node || llc) {
                BasicStroke stroke = new BasicStroke(node ? 4f : 1.5f);
                Paint paint = node ? Color.BLACK : Color.DARK_GRAY;
                double at = i - 0.5;
                plot.addAnnotation(new XYLineAnnotation(at, -0.5, at, n - 0.5, stroke, paint));
                plot.addAnnotation(new XYLineAnnotation(-0.5, at, n - 0.5, at, stroke, paint));
            }
        }
        double r = Math.min(0.3, Math.max(0.12, 3.0 / n));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j && layout.distance(cpus.get(i), cpus.get(j)) == Distance.SMT_SIBLING) {
                    plot.addAnnotation(new XYShapeAnnotation(new Ellipse2D.Double(i - r, j - r, 2 * r, 2 * r),
                            new BasicStroke(1), Color.BLACK, Color.WHITE));
                }
            }
        }
    }

    /** Light yellow (fast) to dark red (slow); grey for a pair not measured. */
    static final class Scale implements PaintScale {

        private static final Color FAST = new Color(0xFFF5B4);
        private static final Color SLOW = new Color(0x8B0A0A);
        private final double lo;
        private final double hi;

        Scale(double lo, double hi) {
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        public double getLowerBound() {
            return lo;
        }

        @Override
        public double getUpperBound() {
            return hi;
        }

        @Override
        public Paint getPaint(double value) {
            if (!Double.isFinite(value)) {
                return NOT_MEASURED;
            }
            double t = Math.max(0, Math.min(1, (value - lo) / (hi - lo)));
            return new Color(mix(FAST.getRed(), SLOW.getRed(), t), mix(FAST.getGreen(), SLOW.getGreen(), t),
                    mix(FAST.getBlue(), SLOW.getBlue(), t));
        }

        /** Black on the light half of the scale, white on the dark half. */
        Color textOn(double value) {
            return (value - lo) / (hi - lo) < 0.5 ? Color.BLACK : Color.WHITE;
        }

        private static int mix(int a, int b, double t) {
            return (int) Math.round(a + (b - a) * t);
        }
    }

    /** Tick labels: the CPU number at each cell index. */
    private static final class CpuLabels extends NumberFormat {

        private final List<Integer> cpus;

        CpuLabels(List<Integer> cpus) {
            this.cpus = cpus;
        }

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            return format(Math.round(number), to, pos);
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return number >= 0 && number < cpus.size() ? to.append(cpus.get((int) number)) : to;
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            return null;
        }
    }
}
