// sigrun::Engine and sigrun::Scanner: evaluate a compiled program over JSON events.
//
//   auto engine = sigrun::Engine::create(std::move(program));      // once; share across threads
//   if (!engine) return fail(engine.error().message);
//   sigrun::Scanner scanner(engine.value());                         // one per thread
//   sigrun::ScanStats stats = scanner.scan_stream(stdin,
//       [](const sigrun::Match& m) { std::cout << m.rule->title << ": " << m.message << "\n"; },
//       [](const sigrun::EventError& e) { std::cerr << "line " << e.line << ": " << e.reason << "\n"; });
//
// Thread safety: an Engine is immutable after create() and may be used by any number of threads. A
// Scanner holds per-thread scratch (parser, extracted values) and must not be shared between threads.
// Lifetimes: a Scanner keeps its Engine alive; an Engine keeps its native code alive.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "abi/program.h"
#include "program/program.h"
#include "sigrun/input_format.h"
#include "sigrun/match.h"
#include "sigrun/result.h"

namespace sigrun {

// Native code for a program's rules, produced by a JIT or loaded from a pack. `rules[i]` evaluates
// program.rules[i]; `keep_alive` owns whatever holds the code (a JIT session, a mapped library).
struct NativeCode {
  std::vector<abi::RuleFunction> rules;
  std::shared_ptr<void> keep_alive;
  std::string backend;  // "jit", "aot": shown in stats and explain
};

class Engine {
 public:
  // Validates the program (program::verify), prepares every operand (compiles regexes) and, when
  // `native` is given, checks it has one function per rule.
  // Errors: InvalidProgram (what is out of range), InvalidRegex (which operand, RE2's reason),
  // InvalidArgument (native code does not fit the program).
  static Result<std::shared_ptr<const Engine>> create(program::Program program,
                                                      std::shared_ptr<const NativeCode> native = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const program::Program& program() const { return program_; }
  // The prepared operands, indexed like program().operands; what rule functions receive.
  const SigrunOperand* operands() const { return operands_.data(); }
  // "interp", or the native backend's name.
  std::string_view backend() const;
  const NativeCode* native() const { return native_.get(); }

 private:
  struct Compiled;
  friend const Compiled& engine_internals(const Engine& engine);
  Engine(program::Program program, std::shared_ptr<const NativeCode> native);

  program::Program program_;
  std::shared_ptr<const NativeCode> native_;
  std::vector<SigrunOperand> operands_;
  std::unique_ptr<Compiled> compiled_;  // owns the regex objects operands_ point to
};

// The sampled cost of one rule in a scan (StreamOptions::rule_costs).
struct RuleCost {
  uint64_t evaluations = 0;  // evaluations timed
  uint64_t nanoseconds = 0;  // their total time
};

// How scan_stream() reads its input.
struct StreamOptions {
  InputFormat format = InputFormat::Auto;
  // When set, one evaluated event in kCostSampleInterval has each rule evaluated kCostRepeats times in a
  // row and timed (rules are pure, so repeating one changes nothing but the time spent), and the time is
  // added to (*rule_costs)[rule], which is resized to the program's rules. Cost: about 1/64 of a scan.
  std::vector<RuleCost>* rule_costs = nullptr;
  static constexpr uint64_t kCostSampleInterval = 1024;
  static constexpr uint64_t kCostRepeats = 16;
  // When set, called on the scanning thread each time about kProgressInterval more events have been
  // read, with the counters so far (bytes_read: what has been consumed from the stream).
  std::function<void(const ScanStats&)> on_progress;
  static constexpr uint64_t kProgressInterval = 1024;
};

class Scanner {
 public:
  // Bytes a caller must leave readable after an event's last byte for scan_padded().
  static constexpr size_t kPadding = 64;

  explicit Scanner(std::shared_ptr<const Engine> engine);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Evaluates one JSON event (copied into padded scratch). Reports each matching rule to `on_match`.
  // Returns false and fills `*reason` (if given) when the event is not a JSON object; nothing is
  // reported to `on_match` then. `line` is passed through to matches. `format` says how the event names
  // its fields: EvtxJson translates Sigma names to the evtx_dump layout; Json and CloudTrail (one record)
  // read JSON names; Auto is EvtxJson when the event has `Event.System`, else Json. Cost: one parse and
  // one walk of the event, plus one walk of all its values when a rule has keywords.
  bool scan(std::string_view json, uint64_t line, const MatchSink& on_match, std::string* reason = nullptr,
            InputFormat format = InputFormat::Json);

  // Reads events from `input` until end of file and evaluates each. Blank lines are skipped, a trailing
  // line without newline is included, CRLF is accepted. Framing by `options.format`:
  // - Json, EvtxJson: one event per line.
  // - CloudTrail: one JSON document per line, or one spread over several lines (pretty-printed). A
  //   document whose root has a `Records` array gives one event per element: a match's `event` is the
  //   record's own text and its `line` the line where the document starts; an element that is not an
  //   object is rejected (reported and counted as one event). Any other object is one event.
  // - Auto: as the first document that is an object says (see InputFormat::Auto); until then, as
  //   CloudTrail. The format decided is in the returned ScanStats::format.
  // A malformed event or document goes to `on_error` with the line where it starts and the stream goes
  // on; events_read == events_evaluated + events_rejected. A read error of the stream itself is reported
  // as an EventError with line 0 and ends the scan.
  ScanStats scan_stream(std::FILE* input, const MatchSink& on_match, const ErrorSink& on_error,
                        const StreamOptions& options = {});

  // Evaluates every line of an NDJSON buffer in memory, as scan() one line at a time: each match's
  // `event` is a view into `ndjson` (nothing is copied for the caller), and its `line` the line's 1-based
  // number in the buffer. Lines are split as scan_stream() splits them (blank lines skipped, CRLF
  // accepted, a last line without newline included), but a line is always one event: Json and EvtxJson
  // name fields as given, Auto and CloudTrail decide per event as scan() does for Auto (a CloudTrail log
  // file `{"Records":[...]}` is not split into records; read those with scan_stream()). A line that is not
  // a JSON object goes to `on_error` and the scan goes on. The returned stats' `format` is `format`.
  ScanStats scan_buffer(std::string_view ndjson, const MatchSink& on_match, const ErrorSink& on_error,
                        InputFormat format = InputFormat::Auto);

  // A field of an event the caller has already parsed (for pipelines that parse events themselves): the
  // path as the rules name it (`userIdentity.arn`) and one value. Several entries with the same path are the
  // elements of an array. Views only: nothing is copied beyond the call.
  struct FieldValue {
    std::string_view path;
    std::string_view text;  // a string's characters, a number as written, "true"/"false", "null"
    SigrunValueKind kind = kSigrunString;
  };

  // Evaluates one event given as already-extracted fields, with no JSON parsing: fields the rules do not
  // read are ignored, fields not given are absent. Reports each matching rule to `on_match`; Match::event
  // is empty (there is no JSON text). Cost: one hash lookup per given field, plus folding of the texts of
  // case-insensitively compared fields.
  void scan_fields(const std::vector<FieldValue>& fields, uint64_t line, const MatchSink& on_match);

  // The text of a field of the last event scanned, as a match message would show it; empty when absent.
  std::string field_text(std::string_view path) const;

  struct State;  // opaque per-thread scratch

 private:
  std::shared_ptr<const Engine> engine_;
  std::vector<uint32_t> field_slots_;  // scan_fields: the slot of each given field
  std::unique_ptr<State> state_;
};

}  // namespace sigrun
