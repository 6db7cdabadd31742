// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import io.srcu4j.bench.Charts;
import io.srcu4j.bench.FlooredLogAxis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.statistics.BoxAndWhiskerItem;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The study's charts other than the heatmap, all of which show the spread of the repetitions
 * with the median: boxes (median line, quartile box, whiskers from the least to the greatest
 * repetition) over categories, and lines of medians over a number with whiskers from least to
 * greatest. Figures not measured are left out.
 */
final class SpreadCharts {

    /** One series of a chart: a spread per category or per x, in the same order. */
    record Series(String name, List<Spread> spreads) {
    }

    private SpreadCharts() {
    }

    /** Boxes over {@code categories}, one per series in each. */
    static void boxes(Path out, String title, String yTitle, List<String> categories, List<Series> series, boolean logY) {
        DefaultBoxAndWhiskerCategoryDataset data = new DefaultBoxAndWhiskerCategoryDataset();
        for (Series s : series) {
            check(s, categories.size());
            for (int i = 0; i < categories.size(); i++) {
                Spread sp = s.spreads().get(i);
                if (sp.measured() && (!logY || sp.min() > 0)) {
                    data.add(new BoxAndWhiskerItem(null, sp.median(), sp.q1(), sp.q3(), sp.min(), sp.max(), null, null,
                            List.of()), s.name(), categories.get(i));
                }
            }
        }
        CategoryAxis x = new CategoryAxis();
        if (categories.size() > 5) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        x.setMaximumCategoryLabelLines(3);
        BoxAndWhiskerRenderer boxes = new BoxAndWhiskerRenderer();
        boxes.setMeanVisible(false);
        boxes.setMedianVisible(true);
        boxes.setFillBox(true);
        boxes.setMaximumBarWidth(0.08);
        boxes.setItemMargin(0.05);
        boxes.setUseOutlinePaintForWhiskers(false);
        CategoryPlot plot = new CategoryPlot(data, x, yAxis(yTitle, logY, series), boxes);
        plot.setRangeGridlinesVisible(true);
        Charts.save(out, Charts.chart(title, plot, boxes), Charts.WIDTH, Charts.HEIGHT);
    }

    /** Medians over {@code xs}, one line per series, whiskers from least to greatest. */
    static void lines(Path out, String title, String xTitle, String yTitle, List<Double> xs, List<Series> series,
            boolean logY) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Series s : series) {
            check(s, xs.size());
            YIntervalSeries points = new YIntervalSeries(s.name());
            for (int i = 0; i < xs.size(); i++) {
                Spread sp = s.spreads().get(i);
                if (sp.measured() && (!logY || sp.min() > 0)) {
                    points.add(xs.get(i), sp.median(), sp.min(), sp.max());
                }
            }
            data.addSeries(points);
        }
        NumberAxis x = new NumberAxis(xTitle);
        x.setAutoRangeIncludesZero(true);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYErrorRenderer lines = Charts.lineRenderer();
        XYPlot plot = new XYPlot(data, x, yAxis(yTitle, logY, series), lines);
        Charts.save(out, Charts.chart(title, plot, lines), Charts.WIDTH, Charts.HEIGHT);
    }

    private static void check(Series s, int expected) {
        if (s.spreads().size() != expected) {
            throw new IllegalArgumentException("series '" + s.name() + "' has " + s.spreads().size() + " values for "
                    + expected + " places");
        }
    }

    /** A log axis over whole decades of what the series hold, or a linear one from zero. */
    private static ValueAxis yAxis(String title, boolean logY, List<Series> series) {
        if (logY) {
            double min = series.stream().flatMap(s -> s.spreads().stream()).filter(Spread::measured)
                    .mapToDouble(Spread::min).filter(v -> v > 0).min().orElse(1);
            double max = series.stream().flatMap(s -> s.spreads().stream()).filter(Spread::measured)
                    .mapToDouble(Spread::max).max().orElse(10);
            return new FlooredLogAxis(title, min, Math.max(min, max));
        }
        NumberAxis axis = new NumberAxis(title);
        axis.setAutoRangeIncludesZero(true);
        return axis;
    }

    /** The spreads of {@code rows}, in order; a null row is a gap. */
    static List<Spread> spreads(List<Row> rows) {
        List<Spread> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(r == null ? Spread.NONE : r.spread());
        }
        return out;
    }
}
