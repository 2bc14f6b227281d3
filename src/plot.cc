// Plots through gnuplot: ngfreq writes the data and a short script into one
// temporary file (data as inline "$name << EOD" blocks) and runs `gnuplot
// FILE` with posix_spawnp, no shell in between, so no path needs quoting
// for one; gnuplot draws into a second temporary file, which is then
// written where the user pointed like any other output (output-file.h). Drawing axes, log scales and
// SVG/PNG ourselves would be a second, worse gnuplot; the price is a
// runtime dependency that may be missing, which gnuplot_available() lets
// callers detect and report before they start measuring.
#include "ngfreq/plot.h"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include "ngfreq/common.h"
#include "ngfreq/output-file.h"
#include "ngfreq/spill-file.h"

extern char** environ;

namespace ngfreq {

bool gnuplot_available() {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    size_t colon = dirs.find(':');
    std::string_view dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? "" : dirs.substr(colon + 1);
    std::string file = fmt::format("{}/gnuplot", dir.empty() ? "." : dir);
    if (access(file.c_str(), X_OK) == 0) return true;
  }
  return false;
}

void check_plot_path(const std::string& path) {
  if (!path.ends_with(".svg") && !path.ends_with(".png"))
    throw UsageError(fmt::format("--plot: '{}' must end in .svg or .png", path));
}

// A gnuplot string literal: single quotes, in which only '' needs escaping.
static std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += '\'';
    q += c;
  }
  q += '\'';
  return q;
}

static void add_panel(std::string& script, const PlotPanel& panel, int index) {
  script += "reset\n";
  script += fmt::format("set title {}\nset xlabel {}\nset ylabel {}\nset key top left\nset grid\n",
                        quote(panel.title), quote(panel.x_label), quote(panel.y_label));
  if (panel.log_x) script += "set logscale x 2\n";
  std::string plots;
  if (!panel.bar_labels.empty()) {
    // Stacked bars: one data row a bar, one column a layer.
    script += fmt::format("$p{} << EOD\n", index);
    for (i64 i = 0; i < i64(panel.bar_labels.size()); i++) {
      // Data files quote with double quotes, which a label cannot contain.
      std::string label = panel.bar_labels[i];
      std::replace(label.begin(), label.end(), '"', '\'');
      script += '"';
      script += label;
      script += '"';
      for (const PlotLine& l : panel.lines) script += fmt::format(" {}", l.points.at(i).second);
      script += '\n';
    }
    script += "EOD\n";
    script += "set style data histograms\nset style histogram rowstacked\n";
    script += "set style fill solid 0.8 border -1\nset boxwidth 0.6\nset yrange [0:*]\n";
    for (i64 k = 0; k < i64(panel.lines.size()); k++)
      plots += fmt::format("{}$p{} using {}:xtic(1) title {}", k ? ", " : "", index, k + 2,
                           quote(panel.lines[k].title));
  } else {
    for (i64 k = 0; k < i64(panel.lines.size()); k++) {
      const PlotLine& l = panel.lines[k];
      script += fmt::format("$p{}_{} << EOD\n", index, k);
      for (auto [x, y] : l.points) script += fmt::format("{} {}\n", x, y);
      script += "EOD\n";
      plots += fmt::format("{}$p{}_{} using 1:2 with {} title {}", k ? ", " : "", index, k,
                           l.dashed               ? "lines dashtype 2 lc rgb 'gray40'"
                           : l.points.size() > 50 ? "lines linewidth 2"  // a curve, not a sweep
                                                  : "linespoints pointtype 7",
                           quote(l.title));
    }
  }
  script += "plot " + plots + "\n";
}

// Runs `gnuplot script_path` and waits; throws Error unless it exits 0.
static void run_gnuplot(const std::string& script_path) {
  std::string prog = "gnuplot";
  char* argv[] = {prog.data(), const_cast<char*>(script_path.c_str()), nullptr};
  pid_t pid;
  int err = posix_spawnp(&pid, "gnuplot", nullptr, nullptr, argv, environ);
  if (err) throw Error(fmt::format("cannot run gnuplot: {}", std::strerror(err)));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw Error(fmt::format("waitpid gnuplot: {}", errno_string()));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error(fmt::format("gnuplot failed on {} (status {})", script_path, status));
}

// A file in the temp directory, removed however the scope is left.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& suffix) {
    path = default_temp_dir() + "/ngfreq-plot-XXXXXX" + suffix;
    int fd = mkstemps(path.data(), int(suffix.size()));
    if (fd < 0)
      throw Error(
          fmt::format("cannot create a temporary file in '{}': {}", default_temp_dir(), errno_string()));
    close(fd);
  }
  ~TempFile() { unlink(path.c_str()); }

  void write(std::string_view text) const {
    OutputFile out(path);
    out.write(text);
    out.commit();
  }
  std::string read() const {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) throw Error(fmt::format("cannot read '{}'", path));
    return text.str();
  }
};

void draw_plot(const Plot& plot) {
  check_plot_path(plot.path);
  int width = 640 * int(std::max<size_t>(plot.panels.size(), 1)), height = 480;
  // noenhanced: titles are text as given (ACTOR_NOUN), not markup.
  std::string terminal =
      plot.path.ends_with(".svg")
          ? fmt::format("svg size {},{} dynamic background rgb 'white' noenhanced", width, height)
          : fmt::format("png size {},{} noenhanced", width, height);
  if (!gnuplot_available()) throw Error("gnuplot not found (apt-get install gnuplot-nox)");

  // gnuplot draws into a temporary file; the picture then goes where the
  // user pointed through OutputFile, as every output of ngfreq does, so a
  // link, a device or a failed run are handled alike.
  TempFile image(plot.path.ends_with(".svg") ? ".svg" : ".png");
  std::string script = fmt::format("set terminal {}\nset output {}\n", terminal, quote(image.path));
  script += fmt::format("set multiplot layout 1,{}\n", std::max<size_t>(plot.panels.size(), 1));
  for (i64 i = 0; i < i64(plot.panels.size()); i++) add_panel(script, plot.panels[i], i);
  script += "unset multiplot\nset output\n";
  TempFile gp(".gp");
  gp.write(script);
  run_gnuplot(gp.path);
  OutputFile out(plot.path);
  out.write(image.read());
  out.commit();
}

}  // namespace ngfreq
