#include "bench/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace om::bench {
namespace {

constexpr double kWidth = 800, kHeight = 480;
constexpr double kLeft = 90, kRight = 90, kTop = 70, kBottom = 80;
constexpr const char* kBarColour = "#4C78A8";
constexpr const char* kLineColour = "#E45756";

std::string Num(double v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// "68,000", "1.5", "0.25": a short label for an axis or a value.
std::string Label(double v) {
  char buf[32];
  if (std::fabs(v) >= 1000) {
    const long long n = std::llround(v);
    std::string digits = std::to_string(n < 0 ? -n : n), s;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
      s += digits[i];
    }
    return (n < 0 ? "-" : "") + s;
  }
  if (std::fabs(v) >= 100) snprintf(buf, sizeof buf, "%.0f", v);
  else snprintf(buf, sizeof buf, "%g", std::round(v * 100) / 100);
  return buf;
}

std::string Text(double x, double y, const std::string& s, const char* anchor, int size, const char* extra = "") {
  return "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" +
         std::to_string(size) + "\"" + extra + ">" + XmlEscape(s) + "</text>\n";
}

}  // namespace

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void NiceAxis(double v, double* max, double* step) {
  if (!(v > 0)) {
    *max = 1;
    *step = 0.2;
    return;
  }
  const double raw = v / 5;  // about five ticks
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double s = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    s = m * mag;
    if (s >= raw) break;
  }
  *step = s;
  *max = std::ceil(v / s - 1e-9) * s;
}

std::string RenderSvg(const SweepChart& c) {
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const double bottom = kTop + plot_h;
  double t_max = 0, l_max = 0;
  for (const ChartPoint& p : c.points) {
    t_max = std::max(t_max, p.throughput);
    l_max = std::max(l_max, p.p99_us);
  }
  // Latency in ms once it reaches a millisecond.
  const bool ms = l_max >= 1000;
  const double l_scale = ms ? 1e-3 : 1;
  const std::string l_unit = ms ? "ms" : "µs";
  double t_top, t_step, l_top, l_step;
  NiceAxis(t_max, &t_top, &t_step);
  NiceAxis(l_max * l_scale, &l_top, &l_step);

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Num(kWidth) + "\" height=\"" +
                    Num(kHeight) + "\" viewBox=\"0 0 " + Num(kWidth) + " " + Num(kHeight) +
                    "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += Text(kWidth / 2, 28, c.title, "middle", 17, " font-weight=\"bold\"");
  // Legend.
  svg += "<rect x=\"" + Num(kLeft) + "\" y=\"42\" width=\"14\" height=\"10\" fill=\"" + kBarColour + "\"/>\n";
  svg += Text(kLeft + 20, 51, c.throughput_label + " (left)", "start", 12);
  const double lx = kLeft + plot_w / 2 + 20;
  svg += "<line x1=\"" + Num(lx) + "\" y1=\"47\" x2=\"" + Num(lx + 22) + "\" y2=\"47\" stroke=\"" + kLineColour +
         "\" stroke-width=\"2.5\"/><circle cx=\"" + Num(lx + 11) + "\" cy=\"47\" r=\"4\" fill=\"" + kLineColour +
         "\"/>\n";
  svg += Text(lx + 28, 51, c.latency_label + " " + l_unit + " (right)", "start", 12);

  // Grid and both axes' ticks.
  for (double v = 0; v <= t_top + t_step / 2; v += t_step) {
    const double y = bottom - v / t_top * plot_h;
    svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(y) + "\" x2=\"" + Num(kLeft + plot_w) + "\" y2=\"" + Num(y) +
           "\" stroke=\"#ddd\"/>\n";
    svg += Text(kLeft - 8, y + 4, Label(v), "end", 11);
    const double lv = v / t_top * l_top;
    svg += Text(kLeft + plot_w + 8, y + 4, Label(lv), "start", 11, (" fill=\"" + std::string(kLineColour) + "\"").c_str());
  }
  svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(bottom) + "\" x2=\"" + Num(kLeft + plot_w) + "\" y2=\"" +
         Num(bottom) + "\" stroke=\"#333\"/>\n";
  svg += Text(22, kTop + plot_h / 2, c.throughput_label, "middle", 13,
              (" transform=\"rotate(-90 22 " + Num(kTop + plot_h / 2) + ")\"").c_str());
  const double rx = kWidth - 18;
  svg += Text(rx, kTop + plot_h / 2, c.latency_label + " (" + l_unit + ")", "middle", 13,
              (" fill=\"" + std::string(kLineColour) + "\" transform=\"rotate(90 " + Num(rx) + " " +
               Num(kTop + plot_h / 2) + ")\"").c_str());
  svg += Text(kLeft + plot_w / 2, bottom + 44, c.x_label, "middle", 13, " font-weight=\"bold\"");
  if (!c.footnote.empty()) svg += Text(kLeft + plot_w / 2, kHeight - 12, c.footnote, "middle", 10, " fill=\"#666\"");

  // Bars, x labels, then the latency line on top.
  const size_t n = c.points.size();
  const double slot = n ? plot_w / static_cast<double>(n) : plot_w;
  std::string line_points;
  for (size_t i = 0; i < n; ++i) {
    const ChartPoint& p = c.points[i];
    const double cx = kLeft + slot * (static_cast<double>(i) + 0.5);
    const double h = p.throughput / t_top * plot_h;
    const double bw = std::min(slot * 0.6, 90.0);
    svg += "<rect x=\"" + Num(cx - bw / 2) + "\" y=\"" + Num(bottom - h) + "\" width=\"" + Num(bw) + "\" height=\"" +
           Num(h) + "\" fill=\"" + kBarColour + "\" fill-opacity=\"" + (p.ok ? "0.85" : "0.35") + "\"/>\n";
    svg += Text(cx, bottom - h - 6, p.ok ? Label(p.throughput) : Label(p.throughput) + " FAILED", "middle", 11);
    svg += Text(cx, bottom + 18, p.label, "middle", 12);
    if (p.p99_us >= 0) {
      const double y = bottom - (p.p99_us * l_scale) / l_top * plot_h;
      line_points += Num(cx) + "," + Num(y) + " ";
    }
  }
  if (!line_points.empty()) {
    svg += "<polyline points=\"" + line_points + "\" fill=\"none\" stroke=\"" + kLineColour + "\" stroke-width=\"2.5\"/>\n";
  }
  for (size_t i = 0; i < n; ++i) {
    const ChartPoint& p = c.points[i];
    if (p.p99_us < 0) continue;
    const double cx = kLeft + slot * (static_cast<double>(i) + 0.5);
    const double y = bottom - (p.p99_us * l_scale) / l_top * plot_h;
    svg += "<circle cx=\"" + Num(cx) + "\" cy=\"" + Num(y) + "\" r=\"4.5\" fill=\"" + kLineColour + "\"/>\n";
    // A white halo keeps the label readable over a bar.
    svg += Text(cx + 8, y - 8, Label(p.p99_us * l_scale) + " " + l_unit, "start", 11,
                (" fill=\"" + std::string(kLineColour) +
                 "\" font-weight=\"bold\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\"")
                    .c_str());
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace om::bench
