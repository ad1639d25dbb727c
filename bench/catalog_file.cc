#include "bench/catalog_file.h"

namespace om::bench {

std::string CatalogToml(int products, int64_t price_cents, const std::string& currency) {
  std::string t = "# Written by ordermesh-bench for a --spawn run.\ncurrency = \"" + currency + "\"\n";
  for (int i = 1; i <= products; ++i) {
    const std::string id = "sku-" + std::to_string(i);
    t += "\n[[products]]\nid = \"" + id + "\"\nname = \"Bench product " + std::to_string(i) +
         "\"\nunit_price_cents = " + std::to_string(price_cents) + "\nstock = " + std::to_string(kBenchStock) + "\n";
  }
  return t;
}

bool PipelineNeedsCatalog(const std::string& pipeline) {
  size_t start = 0;
  while (start <= pipeline.size()) {
    size_t comma = pipeline.find(',', start);
    std::string step = pipeline.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!step.empty() && step.front() == ' ') step.erase(0, 1);
    while (!step.empty() && step.back() == ' ') step.pop_back();
    if (step == "validate" || step == "price" || step == "reserve") return true;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}

std::string PipelineOf(const std::vector<std::string>& flags) {
  for (size_t i = 0; i < flags.size(); ++i) {
    if (flags[i] == "--pipeline" && i + 1 < flags.size()) return flags[i + 1];
    if (flags[i].rfind("--pipeline=", 0) == 0) return flags[i].substr(11);
  }
  return "";
}

}  // namespace om::bench
