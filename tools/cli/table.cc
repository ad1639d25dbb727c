#include "tools/cli/table.h"

#include <algorithm>
#include <cstdio>

namespace om::cli {

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (std::string& cell : cells) cell = Printable(cell);
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  const bool with_header = std::any_of(columns_.begin(), columns_.end(),
                                       [](const Column& c) { return !c.header.empty(); });
  std::vector<size_t> widths(columns_.size(), 0);
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (with_header) widths[c] = DisplayWidth(columns_[c].header);
    for (const auto& row : rows_) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }

  std::string out;
  auto line = [&](auto cell_at) {
    std::string text;
    for (size_t c = 0; c < columns_.size(); ++c) {
      const std::string& cell = cell_at(c);
      const size_t pad = widths[c] - DisplayWidth(cell);
      const bool last = c + 1 == columns_.size();
      if (c > 0) text += "  ";
      if (columns_[c].align == Align::kRight) text.append(pad, ' ');
      text += cell;
      if (columns_[c].align == Align::kLeft && !last) text.append(pad, ' ');
    }
    // A trailing empty left-aligned column would leave spaces behind.
    text.erase(text.find_last_not_of(' ') + 1);
    out += text;
    out += '\n';
  };
  if (with_header) line([&](size_t c) -> const std::string& { return columns_[c].header; });
  for (const auto& row : rows_) line([&](size_t c) -> const std::string& { return row[c]; });
  return out;
}

size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace om::cli
