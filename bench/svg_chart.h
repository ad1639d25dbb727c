// SweepChart: the picture of a sweep, as SVG text: one bar per value of the
// varied setting (throughput, left axis) and a line with markers through the
// p99 latencies (right axis), values printed on the bars and the points, a
// title, axis labels and a legend. The x axis is categorical (the values in
// the order given: 1, 4, 16, 64 sit evenly spaced), which suits settings
// swept in powers. Pure: text in, text out.
#pragma once

#include <string>
#include <vector>

namespace om::bench {

struct ChartPoint {
  std::string label;     // the varied value, as given ("16", "async")
  double throughput = 0; // per second; bar height
  double p99_us = -1;    // latency; < 0: none (no point drawn)
  bool ok = true;        // the run passed its self-check; a failed one is marked "FAILED"
};

struct SweepChart {
  std::string title;            // "node.credit sweep: 2 nodes, --rate max"
  std::string x_label;          // "node.credit"
  std::string throughput_label; // "completed orders/s"
  std::string latency_label;    // "completion p99"
  std::string footnote;         // machine, load, date: small print under the chart
  std::vector<ChartPoint> points;
};

// The whole SVG document (800 x 480 user units).
std::string RenderSvg(const SweepChart& chart);

// The smallest "nice" axis maximum >= v and its tick step (1, 2 or 5 x 10^k);
// v <= 0 gives {1, 0.2}.
void NiceAxis(double v, double* max, double* step);

// XML text escaping for labels.
std::string XmlEscape(const std::string& s);

}  // namespace om::bench
