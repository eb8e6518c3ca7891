// `sigrun scan` extras: a progress line on stderr while a file is scanned, and the sampled per-rule cost
// table of `--stats`.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "sigrun/engine.h"

namespace sigrun::cli {

// A progress bar redrawn in place on stderr: bytes read of the file's size, events per second, matches.
class ProgressBar {
 public:
  // A bar for scanning `input`, or nullptr when there should be none: stderr is not a terminal, or
  // `input` is not a regular file of known size (standard input, a pipe).
  static std::unique_ptr<ProgressBar> create(std::FILE* input);

  // Redraws the bar, at most ten times a second.
  void update(const ScanStats& stats);
  // Erases the bar, so that other output starts on a clean line; the next update() draws it again.
  void clear();

 private:
  explicit ProgressBar(uint64_t total_bytes);

  uint64_t total_bytes_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

// Prints the rules that cost the most per evaluation (at most ten), from StreamOptions::rule_costs.
void print_rule_costs(const Engine& engine, const std::vector<RuleCost>& costs);

}  // namespace sigrun::cli
