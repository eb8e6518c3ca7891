// Implements sigrun::Scanner (engine.h): per-thread scratch, one pass of extraction per event, then every
// rule through the engine's backend (native functions when present, else the interpreter).
#include <cstring>
#include <optional>
#include <string>

#include "engine/engine_internal.h"
#include "extract/field_extractor.h"
#include "extract/line_reader.h"
#include "interp/interpreter.h"
#include "output/output.h"
#include "sigrun/engine.h"

namespace sigrun {

struct Scanner::State {
  explicit State(const Engine& engine) : extractor(engine.program().fields) {}

  extract::FieldExtractor extractor;
  extract::ExtractedEvent event;
  std::string padded;  // copy of an event passed to scan(), with padding after it
  std::string reason;
  std::string message;
};

namespace {

// The text of a slot for messages: values joined by ", " (arrays), nothing when absent.
std::optional<std::string> slot_text(const extract::ExtractedEvent& event, uint32_t slot) {
  const SigrunSlot& s = event.slots[slot];
  if (s.first == kSigrunAbsent)
    return std::nullopt;
  std::string text;
  for (uint32_t k = 0; k < s.count; ++k) {
    const SigrunValue& v = event.values[s.first + k];
    if (k != 0)
      text += ", ";
    text.append(v.text, v.text_len);
  }
  return text;
}

// Evaluates every rule on the extracted event and reports the matches.
void evaluate(const Engine& engine, Scanner::State& state, std::string_view json, uint64_t line,
              const MatchSink& on_match, uint64_t& match_count) {
  const program::Program& program = engine.program();
  const SigrunEvent view = state.event.view();
  const SigrunOperand* operands = engine.operands();
  const NativeCode* native = engine.native();
  const auto& slots = engine_internals(engine).slot_by_path;
  for (uint32_t r = 0; r < program.rules.size(); ++r) {
    const bool matched =
        native ? native->rules[r](&view, operands) : interp::evaluate_rule(program, operands, r, view);
    if (!matched)
      continue;
    ++match_count;
    if (!on_match)
      continue;
    const program::RuleInfo& rule = program.rules[r];
    state.message =
        output::render_message(rule.message, [&](std::string_view path) -> std::optional<std::string> {
          auto it = slots.find(std::string(path));
          if (it == slots.end())
            return std::nullopt;
          return slot_text(state.event, it->second);
        });
    on_match(Match{&rule, json, line, state.message});
  }
}

}  // namespace

Scanner::Scanner(std::shared_ptr<const Engine> engine)
    : engine_(std::move(engine)), state_(std::make_unique<State>(*engine_)) {}

Scanner::~Scanner() = default;

bool Scanner::scan(std::string_view json, uint64_t line, const MatchSink& on_match, std::string* reason) {
  state_->padded.assign(json);
  state_->padded.append(kPadding, '\0');
  const std::string_view padded_json(state_->padded.data(), json.size());
  if (!state_->extractor.extract(padded_json, state_->event, state_->reason)) {
    if (reason)
      *reason = state_->reason;
    return false;
  }
  uint64_t matches = 0;
  evaluate(*engine_, *state_, json, line, on_match, matches);
  return true;
}

ScanStats Scanner::scan_stream(std::FILE* input, const MatchSink& on_match, const ErrorSink& on_error) {
  ScanStats stats;
  extract::LineReader reader(input);
  std::string_view line;
  uint64_t line_number = 0;
  while (reader.next(line, line_number)) {
    ++stats.events_read;
    if (!state_->extractor.extract(line, state_->event, state_->reason)) {
      ++stats.events_rejected;
      if (on_error)
        on_error(EventError{line_number, state_->reason});
      continue;
    }
    ++stats.events_evaluated;
    evaluate(*engine_, *state_, line, line_number, on_match, stats.matches);
  }
  stats.bytes_read = reader.bytes_read();
  if (!reader.error().empty() && on_error)
    on_error(EventError{0, reader.error()});
  return stats;
}

std::string Scanner::field_text(std::string_view path) const {
  const auto& slots = engine_internals(*engine_).slot_by_path;
  auto it = slots.find(std::string(path));
  if (it == slots.end())
    return {};
  return slot_text(state_->event, it->second).value_or("");
}

}  // namespace sigrun
