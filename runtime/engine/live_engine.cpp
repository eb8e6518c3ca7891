// Implements sigrun::LiveEngine and sigrun::LiveScanner (live_engine.h).
#include "sigrun/live_engine.h"

#include <cassert>
#include <string>

#include "engine/ndjson_lines.h"

namespace sigrun {

LiveEngine::LiveEngine(std::shared_ptr<const Engine> engine) : engine_(std::move(engine)) {
  assert(engine_ && "LiveEngine needs an engine");
}

std::shared_ptr<const Engine> LiveEngine::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return engine_;
}

std::pair<std::shared_ptr<const Engine>, uint64_t> LiveEngine::current_with_generation() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {engine_, generation_.load(std::memory_order_relaxed)};
}

uint64_t LiveEngine::replace(std::shared_ptr<const Engine> engine) {
  assert(engine && "LiveEngine::replace needs an engine");
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    engine_.swap(engine);
    generation = generation_.load(std::memory_order_relaxed) + 1;
    generation_.store(generation, std::memory_order_release);
  }
  // `engine` now holds the old engine: released here, outside the lock, when no scanner uses it.
  return generation;
}

LiveScanner::LiveScanner(const LiveEngine& live) : live_(live) {
  refresh();
}

LiveScanner::~LiveScanner() = default;

void LiveScanner::refresh() {
  if (scanner_ && live_.generation() == generation_)
    return;
  auto [engine, generation] = live_.current_with_generation();
  if (scanner_ && generation == generation_)
    return;
  scanner_.reset();  // the old scratch before the new one: at most one per thread at a time
  scanner_ = std::make_unique<Scanner>(engine);
  engine_ = std::move(engine);
  generation_ = generation;
}

bool LiveScanner::scan(std::string_view json, uint64_t line, const MatchSink& on_match, std::string* reason,
                       InputFormat format) {
  refresh();
  return scanner_->scan(json, line, on_match, reason, format);
}

ScanStats LiveScanner::scan_buffer(std::string_view ndjson, const MatchSink& on_match,
                                   const ErrorSink& on_error, InputFormat format) {
  return engine_detail::scan_lines(
      ndjson, format, on_match, on_error,
      [this](std::string_view line, uint64_t number, const MatchSink& sink, std::string* reason,
             InputFormat f) { return scan(line, number, sink, reason, f); });
}

}  // namespace sigrun
