// SPDX-License-Identifier: Apache-2.0
package io.srcu4j.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapTest {

    @TempDir
    Path dir;

    @Test
    void theImageGrowsWithTheCpusWithinBounds() {
        assertEquals(List.of(860, 700), List.of(Heatmap.size(2)[0], Heatmap.size(2)[1]));
        int[] big = Heatmap.size(192);
        assertEquals(260 + 12 * 192, big[1]);
        assertTrue(Heatmap.size(1024)[1] <= 3000);
        assertEquals(260 + 16 * 64, Heatmap.size(64)[1]);
    }

    @Test
    void cpusAreDrawnNodeByNodeLlcByLlcWithSiblingsSideBySide() {
        CpuLayout m = TestLayouts.server(2, 2, 3, 2);   // siblings are c and c + 12
        List<Integer> order = Heatmap.order(m);
        assertEquals(List.of(0, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17), order.subList(0, 12));
        for (int i = 1; i < order.size(); i++) {
            int prevNode = m.node().get(order.get(i - 1));
            assertTrue(prevNode <= m.node().get(order.get(i)), "nodes contiguous");
        }
    }

    @Test
    void aTwoCpuHeatmapIsWritten() throws IOException {
        Path out = dir.resolve("two.png");
        Heatmap.draw(out, "two CPUs", TestLayouts.twoCpuVm(), Map.of("0:1", 212.0));
        BufferedImage image = ImageIO.read(out.toFile());
        assertEquals(Heatmap.size(2)[0], image.getWidth());
        assertEquals(Heatmap.size(2)[1], image.getHeight());
    }

    /** A sampled 192-CPU machine: measured cells coloured, the rest grey, the image sized for 192. */
    @Test
    void a192CpuHeatmapOfASampleIsSizedForEveryCpu() throws IOException {
        CpuLayout m = TestLayouts.server(2, 4, 12, 2);
        PairSampler.Sample s = PairSampler.choose(m, 150, 18);
        Map<String, Double> values = new HashMap<>();
        for (int[] p : s.pairs()) {
            values.put(p[0] + ":" + p[1], 20.0 + 30 * m.distance(p[0], p[1]).ordinal());
        }
        Path out = dir.resolve("big.png");
        Heatmap.draw(out, "192 CPUs", m, values);
        BufferedImage image = ImageIO.read(out.toFile());
        int[] size = Heatmap.size(192);
        assertEquals(size[0], image.getWidth());
        assertEquals(size[1], image.getHeight());
        assertTrue(Files.size(out) > 10_000);
    }

    @Test
    void scaleStepsAndTextGrowWithTheImage() {
        assertEquals(20.0, Heatmap.niceStep(18.2));
        assertEquals(0.5, Heatmap.niceStep(0.31), 1e-12);
        assertEquals(100.0, Heatmap.niceStep(100));
        assertEquals(1.0, Heatmap.niceStep(0));
        assertEquals(1f, Heatmap.fontZoom(700));
        assertTrue(Heatmap.fontZoom(Heatmap.size(192)[1]) > 2);
    }

    @Test
    void theScaleGoesFromLightToDarkAndGreyForNothing() {
        Heatmap.Scale scale = new Heatmap.Scale(10, 110);
        assertEquals(Heatmap.NOT_MEASURED, scale.getPaint(Double.NaN));
        assertNotEquals(scale.getPaint(10), scale.getPaint(110));
        java.awt.Color fast = (java.awt.Color) scale.getPaint(10);
        java.awt.Color slow = (java.awt.Color) scale.getPaint(110);
        assertTrue(fast.getGreen() + fast.getBlue() > slow.getGreen() + slow.getBlue(), "slow is darker");
        assertEquals(scale.getPaint(110), scale.getPaint(500), "clamped above");
    }
}
