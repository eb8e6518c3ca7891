// Implements scan_progress.h.
#include "scan_progress.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>

namespace sigrun::cli {

namespace {

constexpr int kBarWidth = 24;
constexpr size_t kMostCostly = 10;

std::string megabytes(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(bytes) / 1e6);
  return buf;
}

}  // namespace

std::unique_ptr<ProgressBar> ProgressBar::create(std::FILE* input) {
  if (input == nullptr || ::isatty(STDERR_FILENO) == 0)
    return nullptr;
  struct stat st {};
  if (::fstat(::fileno(input), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
    return nullptr;
  return std::unique_ptr<ProgressBar>(new ProgressBar(static_cast<uint64_t>(st.st_size)));
}

ProgressBar::ProgressBar(uint64_t total_bytes)
    : total_bytes_(total_bytes), started_(std::chrono::steady_clock::now()), last_draw_(started_) {}

void ProgressBar::update(const ScanStats& stats) {
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100))
    return;
  last_draw_ = now;
  drawn_ = true;
  const double fraction =
      std::min(1.0, static_cast<double>(stats.bytes_read) / static_cast<double>(total_bytes_));
  const int filled = static_cast<int>(fraction * kBarWidth);
  const double seconds = std::chrono::duration<double>(now - started_).count();
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kBarWidth - filled), '.');
  // \r and "erase to end of line": the bar is redrawn over itself.
  std::fprintf(stderr, "\rsigrun: [%s] %3d%%  %s of %s MB  %.0f events/s  %llu matches\x1b[K", bar.c_str(),
               static_cast<int>(fraction * 100), megabytes(stats.bytes_read).c_str(),
               megabytes(total_bytes_).c_str(),
               seconds > 0 ? static_cast<double>(stats.events_read) / seconds : 0.0,
               static_cast<unsigned long long>(stats.matches));
  std::fflush(stderr);
}

void ProgressBar::clear() {
  if (!drawn_)
    return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

void print_rule_costs(const Engine& engine, const std::vector<RuleCost>& costs) {
  std::vector<size_t> order;
  uint64_t total = 0;
  for (size_t r = 0; r < costs.size(); ++r) {
    if (costs[r].evaluations == 0)
      continue;
    order.push_back(r);
    total += costs[r].nanoseconds;
  }
  if (order.empty())
    return;
  const auto mean = [&](size_t r) {
    return static_cast<double>(costs[r].nanoseconds) / static_cast<double>(costs[r].evaluations);
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return mean(a) > mean(b); });
  std::fprintf(
      stderr,
      "sigrun: rule cost, sampled (1 event in %llu, each rule %llu times): mean time per evaluation, "
      "share of the time sampled; the %zu costliest rules:\n",
      static_cast<unsigned long long>(StreamOptions::kCostSampleInterval),
      static_cast<unsigned long long>(StreamOptions::kCostRepeats), std::min(order.size(), kMostCostly));
  for (size_t i = 0; i < order.size() && i < kMostCostly; ++i) {
    const size_t r = order[i];
    const program::RuleInfo& rule = engine.program().rules[r];
    std::fprintf(
        stderr, "sigrun:   %10.1f ns  %5.1f%%  %s  %s\n", mean(r),
        total > 0 ? 100.0 * static_cast<double>(costs[r].nanoseconds) / static_cast<double>(total) : 0.0,
        rule.id.c_str(), rule.title.c_str());
  }
}

}  // namespace sigrun::cli
