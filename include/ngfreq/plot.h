// Pictures of sweeps and scaling runs, drawn by gnuplot.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ngfreq {

/// One line of a line chart.
struct PlotLine {
  std::string title;
  std::vector<std::pair<double, double>> points;  // (x, y)
  bool dashed = false;                            // e.g. the ideal line
};

/// One panel: either a line chart (`lines`) or, when `bar_labels` is not
/// empty, stacked bars: bar i is labelled bar_labels[i] and stacks
/// lines[k].points[i].second for every k.
struct PlotPanel {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  std::vector<PlotLine> lines;
  std::vector<std::string> bar_labels;
};

/// A picture of one or more panels side by side, written to `path`: SVG
/// when the name ends in .svg, PNG when it ends in .png.
struct Plot {
  std::string path;
  std::vector<PlotPanel> panels;
};

/// Whether a `gnuplot` executable is on PATH.
bool gnuplot_available();

/// Throws UsageError unless `path` ends in .svg or .png.
void check_plot_path(const std::string& path);

/// Writes a gnuplot script for `plot` to a temporary file and runs gnuplot
/// on it. Throws UsageError for a name ending in neither .svg nor .png and
/// Error when gnuplot is missing or fails.
void draw_plot(const Plot& plot);

}  // namespace ngfreq
