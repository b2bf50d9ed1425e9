package io.github.resquepool.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG line charts of throughput against worker count (XChart, headless Java2D).
 */
final class Charts {

	private Charts() {
	}

	/**
	 * One line of a chart.
	 *
	 * @param name the legend
	 * @param values one value per worker count, NaN where absent
	 * @param color its color
	 * @param dashed whether the line is dashed (ceilings and bounds)
	 */
	record Line(String name, List<Double> values, Color color, boolean dashed) {
	}

	static void throughput(Path file, String title, List<Integer> counts, List<Line> lines) throws IOException {
		System.setProperty("java.awt.headless", "true");
		CategoryChart chart = new CategoryChartBuilder().width(900)
			.height(520)
			.title(title)
			.xAxisTitle("workers")
			.yAxisTitle("jobs/s")
			.build();
		CategoryStyler styler = chart.getStyler();
		chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
		styler.setLegendPosition(Styler.LegendPosition.InsideNW);
		styler.setChartBackgroundColor(Color.WHITE);
		styler.setPlotBackgroundColor(Color.WHITE);
		styler.setPlotGridLinesColor(new Color(225, 225, 225));
		styler.setLegendBorderColor(new Color(200, 200, 200));
		styler.setYAxisMin(0.0);
		styler.setYAxisDecimalPattern("#,###");
		styler.setLocale(Locale.ROOT);
		styler.setMarkerSize(8);
		List<String> x = counts.stream().map(String::valueOf).toList();
		for (Line line : lines) {
			List<Double> y = new ArrayList<>();
			boolean any = false;
			for (Double v : line.values()) {
				y.add((v == null || v.isNaN()) ? null : v);
				any |= (v != null && !v.isNaN());
			}
			if (!any) {
				continue;
			}
			CategorySeries series = chart.addSeries(line.name(), x, y);
			series.setLineColor(line.color());
			series.setMarkerColor(line.color());
			series.setMarker(line.dashed() ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
			series.setLineStyle(line.dashed()
					? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] { 8f, 6f }, 0f)
					: new BasicStroke(2.5f));
		}
		Files.createDirectories(file.getParent());
		String base = file.toString().replaceFirst("\\.png$", "");
		BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
	}

}
