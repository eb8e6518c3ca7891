// sigrun::LiveEngine and sigrun::LiveScanner: replace the rules (a new pack) while scanners keep running.
//
//   sigrun::Result<sigrun::Pack> pack = sigrun::Pack::load("rules.pack");
//   if (!pack) return fail(pack.error().message);
//   sigrun::LiveEngine live(pack->engine());
//
//   // on each scanning thread:
//   sigrun::LiveScanner scanner(live);
//   while (read_event(json))
//     scanner.scan(json, 0, [](const sigrun::Match& m) { forward(m.rule->id, m.event); });
//
//   // on any thread, whenever the rules change:
//   sigrun::Result<sigrun::Pack> next = sigrun::Pack::load("rules-v2.pack");
//   if (next) live.replace(next->engine());   // a failed load leaves the old rules running
//
// Semantics: every event is evaluated whole by one engine, the one current when its evaluation starts; an
// event that starts after replace() returned uses the new engine. No event is skipped or evaluated twice
// because of a replacement: the scanner only changes engines between events.
//
// Thread safety: a LiveEngine may be read and replaced from any number of threads at once. A LiveScanner
// belongs to one thread at a time. Lifetimes: the LiveEngine must outlive its scanners. A replaced engine
// (and its native code) is freed when the last scanner that used it has moved on to the new one or been
// destroyed. Cost: checking for a new engine is one atomic load per event; moving to it builds the new
// engine's per-thread scratch once.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "sigrun/engine.h"
#include "sigrun/input_format.h"
#include "sigrun/match.h"

namespace sigrun {

class LiveEngine {
 public:
  // Precondition: `engine` is not null.
  explicit LiveEngine(std::shared_ptr<const Engine> engine);
  LiveEngine(const LiveEngine&) = delete;
  LiveEngine& operator=(const LiveEngine&) = delete;

  // The engine new events use.
  std::shared_ptr<const Engine> current() const;

  // The current engine and its generation: 1 for the engine given to the constructor, one more for each
  // replace().
  std::pair<std::shared_ptr<const Engine>, uint64_t> current_with_generation() const;
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Makes `engine` current; returns the new generation. Precondition: `engine` is not null.
  uint64_t replace(std::shared_ptr<const Engine> engine);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Engine> engine_;  // guarded by mutex_
  std::atomic<uint64_t> generation_{1};   // written under mutex_, read without it
};

class LiveScanner {
 public:
  explicit LiveScanner(const LiveEngine& live);
  ~LiveScanner();
  LiveScanner(const LiveScanner&) = delete;
  LiveScanner& operator=(const LiveScanner&) = delete;

  // As Scanner::scan, with the engine current when the call starts.
  bool scan(std::string_view json, uint64_t line, const MatchSink& on_match, std::string* reason = nullptr,
            InputFormat format = InputFormat::Json);

  // As Scanner::scan_buffer; each event uses the engine current when its evaluation starts, so a buffer
  // may be split between two engines at an event boundary.
  ScanStats scan_buffer(std::string_view ndjson, const MatchSink& on_match, const ErrorSink& on_error,
                        InputFormat format = InputFormat::Auto);

  // The engine the last event used (the current one before the first event), and its generation.
  const Engine& engine() const { return *engine_; }
  uint64_t generation() const { return generation_; }

 private:
  // Moves to the live engine's current engine when it changed.
  void refresh();

  const LiveEngine& live_;
  std::shared_ptr<const Engine> engine_;
  uint64_t generation_ = 0;
  std::unique_ptr<Scanner> scanner_;
};

}  // namespace sigrun
