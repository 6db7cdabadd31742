// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 axis over whole decades with a floor: values at or below the floor (zero, a missing
 * bar's base, an error bar's lower end below zero) are drawn at the floor instead of at minus
 * infinity, which JFreeChart's own log axis would turn into NaN coordinates. The range is fixed
 * from the data rather than auto-ranged, since auto-ranging falls back to the axis's smallest
 * value (1e-100) as soon as any error bar reaches below zero. Public for the hardware study's charts.
 */
public final class FlooredLogAxis extends LogAxis {

    /** Up to this many decades the 2s and 5s are labelled too. */
    private static final double LABELLED_125_DECADES = 3.5;

    private final double floor;

    /**
     * An axis from the power of ten below {@code min} (strictly: a bar at {@code min} must have
     * some height) to the one at or above {@code max}.
     */
    public FlooredLogAxis(String label, double min, double max) {
        super(label);
        if (!(min > 0) || !(max >= min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("log axis needs 0 < min <= max, got " + min + ", " + max);
        }
        this.floor = Math.pow(10, Math.ceil(Math.log10(min)) - 1);
        double ceiling = Math.pow(10, Math.ceil(Math.log10(max)));
        setSmallestValue(floor);
        setAutoRange(false);
        // A decade at least, so there are always two labelled ticks.
        setRange(floor, Math.max(ceiling, floor * 10));
        setMinorTickMarksVisible(true);
        setNumberFormatOverride(new TickFormat());
    }

    /**
     * Ticks at 1, 2 and 5 times each power of ten while the axis spans a few decades, at the
     * powers alone beyond; the other integer multiples as unlabelled minor ticks. LogAxis's own
     * ticks sit at equal steps of the logarithm, which labels them 1.585, 2.512 and so on.
     */
    @Override
    protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        List<ValueTick> ticks = new ArrayList<>();
        double low = getLowerBound();
        double high = getUpperBound() * (1 + 1e-9);
        boolean fine = Math.log10(high / low) <= LABELLED_125_DECADES;
        TextAnchor anchor = edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT;
        for (double decade = floor; decade <= high; decade *= 10) {
            for (int m = 1; m <= 9; m++) {
                double v = decade * m;
                if (v < low * (1 - 1e-9) || v > high) {
                    continue;
                }
                boolean major = m == 1 || (fine && (m == 2 || m == 5));
                ticks.add(new NumberTick(major ? TickType.MAJOR : TickType.MINOR, v,
                        major ? getNumberFormatOverride().format(v) : "", anchor, anchor, 0));
            }
        }
        return ticks;
    }

    double floor() {
        return floor;
    }

    @Override
    public double valueToJava2D(double value, Rectangle2D area, RectangleEdge edge) {
        return super.valueToJava2D(Math.max(value, floor), area, edge);
    }

    /** Tick labels as plain numbers ("0.02", "1", "5,000") where short, "1E-6" beyond. */
    private static final class TickFormat extends NumberFormat {

        private final DecimalFormat plain = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
        private final DecimalFormat sci = new DecimalFormat("0.##E0", DecimalFormatSymbols.getInstance(Locale.ROOT));

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            double a = Math.abs(number);
            return (a == 0 || (a >= 1e-3 && a < 1e7) ? plain : sci).format(number, to, pos);
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return format((double) number, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            return plain.parse(source, pos);
        }
    }
}
