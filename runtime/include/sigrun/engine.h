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
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "abi/program.h"
#include "program/program.h"
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
  // reported to `on_match` then. `line` is passed through to matches.
  bool scan(std::string_view json, uint64_t line, const MatchSink& on_match, std::string* reason = nullptr);

  // Reads NDJSON from `input` until end of file: one event per line, blank lines skipped, a trailing line
  // without newline included, CRLF accepted. A malformed line goes to `on_error` with its line number and
  // the stream goes on. Returns the counters; a read error of the stream itself is reported as an
  // EventError with line 0 and ends the scan.
  ScanStats scan_stream(std::FILE* input, const MatchSink& on_match, const ErrorSink& on_error);

  // The text of a field of the last event scanned, as a match message would show it; empty when absent.
  std::string field_text(std::string_view path) const;

  struct State;  // opaque per-thread scratch

 private:
  std::shared_ptr<const Engine> engine_;
  std::unique_ptr<State> state_;
};

}  // namespace sigrun
