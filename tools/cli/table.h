// Table: aligned plain-text tables for the admin CLI's human-readable output.
//
// Columns are laid out two spaces apart, each as wide as its widest cell
// (counted in UTF-8 code points; wide East Asian glyphs count as one). Text
// columns are left-aligned and numeric ones right-aligned; the last column is
// not padded, so no line ends in spaces. Cells are made printable: control
// characters (a newline in a peer-supplied reason, say) become \n, \t or \xNN
// so that one row always stays one line.
//
// A table whose headers are all empty prints no header line: that is how the
// CLI prints "key  value" blocks.
//
// A plain value: not thread-safe, no shared state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace om::cli {

enum class Align { kLeft, kRight };

struct Column {
  std::string header;
  Align align = Align::kLeft;
};

class Table {
 public:
  explicit Table(std::vector<Column> columns);

  // Adds one row. Missing trailing cells are empty; extra cells are dropped.
  void AddRow(std::vector<std::string> cells);

  size_t rows() const { return rows_.size(); }

  // The header line (unless every header is empty), then one line per row,
  // each ending in '\n'.
  std::string Render() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Number of UTF-8 code points in text (bytes that are not continuation bytes).
size_t DisplayWidth(std::string_view text);

// text with control characters escaped (\n, \r, \t, \xNN); other bytes kept.
std::string Printable(std::string_view text);

}  // namespace om::cli
