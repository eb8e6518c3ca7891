// Implements sigrun::Scanner (engine.h): per-thread scratch, one pass of extraction per event, then every
// rule through the engine's backend (native functions when present, else the interpreter). Streams are
// read a line at a time (json, evtx-json) or a document at a time (cloudtrail, and auto until the first
// object decides the format); a CloudTrail log file is parsed once and its records extracted in turn.
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine_internal.h"
#include "extract/document_reader.h"
#include "extract/field_extractor.h"
#include "extract/json_framer.h"
#include "interp/case_fold.h"
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
  std::vector<extract::Span> record_spans;  // of the CloudTrail document being scanned
  std::string record_text;                  // a record re-serialised when its text cannot be located
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

// Evaluates every rule on the extracted event and reports the matches. `event_text()` gives the event's
// JSON text for a match; it is called only when a rule matches. With `costs`, each rule is evaluated
// StreamOptions::kCostRepeats times and timed (see StreamOptions::rule_costs).
template <typename EventText>
void evaluate(const Engine& engine, Scanner::State& state, const EventText& event_text, uint64_t line,
              const MatchSink& on_match, uint64_t& match_count, std::vector<RuleCost>* costs = nullptr) {
  const program::Program& program = engine.program();
  const SigrunEvent view = state.event.view();
  const SigrunOperand* operands = engine.operands();
  const NativeCode* native = engine.native();
  const auto& slots = engine_internals(engine).slot_by_path;
  const auto run = [&](uint32_t r) {
    return native ? native->rules[r](&view, operands) : interp::evaluate_rule(program, operands, r, view);
  };
  for (uint32_t r = 0; r < program.rules.size(); ++r) {
    bool matched = false;
    if (costs == nullptr) {
      matched = run(r);
    } else {
      const auto start = std::chrono::steady_clock::now();
      for (uint64_t k = 0; k < StreamOptions::kCostRepeats; ++k)
        matched = run(r);
      const auto elapsed = std::chrono::steady_clock::now() - start;
      (*costs)[r].evaluations += StreamOptions::kCostRepeats;
      (*costs)[r].nanoseconds +=
          static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count());
    }
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
    on_match(Match{&rule, event_text(), line, state.message});
  }
}

extract::EventLayout layout_of(InputFormat format) {
  return format == InputFormat::EvtxJson ? extract::EventLayout::Evtx : extract::EventLayout::Flat;
}

// Reads events in one format (or Auto until the first object decides it) and counts them.
class StreamScan {
 public:
  StreamScan(const Engine& engine, Scanner::State& state, std::FILE* input, const MatchSink& on_match,
             const ErrorSink& on_error, const StreamOptions& options)
      : engine_(engine),
        state_(state),
        reader_(input),
        on_match_(on_match),
        on_error_(on_error),
        options_(options) {
    stats_.format = options.format;
    if (options.rule_costs != nullptr)
      options.rule_costs->resize(engine.program().rules.size());
  }

  ScanStats run() {
    std::string_view line;
    uint64_t line_number = 0;
    while (reader_.next_line(line, line_number)) {
      report_progress();
      if (stats_.format == InputFormat::Json || stats_.format == InputFormat::EvtxJson) {
        ++stats_.events_read;
        if (!state_.extractor.extract(line, state_.event, state_.reason, layout_of(stats_.format))) {
          reject(line_number);
          continue;
        }
        accept(line, line_number);
        continue;
      }
      scan_document(line, line_number);
    }
    if (stats_.format == InputFormat::Auto)
      stats_.format = InputFormat::Json;
    stats_.bytes_read = reader_.bytes_read();
    if (!reader_.error().empty() && on_error_)
      on_error_(EventError{0, reader_.error()});
    return stats_;
  }

 private:
  // A whole JSON document starting with `line`: CloudTrail framing, also used by Auto until it decides.
  void scan_document(std::string_view line, uint64_t line_number) {
    extract::FieldExtractor& extractor = state_.extractor;
    std::string_view document = line;
    bool several_lines = false;
    if (!extractor.parse(line, state_.reason)) {
      switch (reader_.join(line, document, state_.reason)) {
        case extract::DocumentReader::Join::NotContinued:
        case extract::DocumentReader::Join::Malformed:
          ++stats_.events_read;
          reject(line_number);
          return;
        case extract::DocumentReader::Join::Joined:
          several_lines = true;
          if (!extractor.parse(document, state_.reason)) {
            ++stats_.events_read;
            reject(line_number);
            return;
          }
          break;
      }
    }
    if (stats_.format == InputFormat::Auto && extractor.root_is_object()) {
      if (extractor.root_is_evtx_event()) {
        stats_.format = InputFormat::EvtxJson;
      } else if (extractor.load_records() || several_lines) {
        stats_.format = InputFormat::CloudTrail;
      } else {
        stats_.format = InputFormat::Json;
      }
    }
    if (stats_.format != InputFormat::CloudTrail && stats_.format != InputFormat::Auto) {
      ++stats_.events_read;
      if (!extractor.extract_root(state_.event, state_.reason, layout_of(stats_.format))) {
        reject(line_number);
        return;
      }
      accept(document, line_number);
      return;
    }
    if (!extractor.load_records()) {
      ++stats_.events_read;
      if (!extractor.extract_root(state_.event, state_.reason, extract::EventLayout::Flat)) {
        reject(line_number);
        return;
      }
      accept(document, line_number);
      return;
    }
    scan_records(document, line_number);
  }

  // The records of a CloudTrail log file. A match reports the record's own text, located in the document
  // only when the first match needs it.
  void scan_records(std::string_view document, uint64_t line_number) {
    extract::FieldExtractor& extractor = state_.extractor;
    const size_t count = extractor.record_count();
    enum class Spans { Unknown, Located, Unavailable } spans = Spans::Unknown;
    for (size_t i = 0; i < count; ++i) {
      ++stats_.events_read;
      if (!extractor.extract_record(i, state_.event, state_.reason)) {
        reject(line_number);
        continue;
      }
      std::string_view text;
      const auto record_text = [&]() -> std::string_view {
        if (!text.empty())
          return text;
        if (spans == Spans::Unknown) {
          const bool located = extract::member_array_elements(document, "Records", state_.record_spans) &&
                               state_.record_spans.size() == count;
          spans = located ? Spans::Located : Spans::Unavailable;
        }
        if (spans == Spans::Located) {
          const extract::Span& span = state_.record_spans[i];
          text = document.substr(span.begin, span.end - span.begin);
        } else {
          state_.record_text.clear();
          extractor.append_record_json(i, state_.record_text);
          text = state_.record_text;
        }
        return text;
      };
      ++stats_.events_evaluated;
      evaluate(engine_, state_, record_text, line_number, on_match_, stats_.matches, sampled_costs());
    }
  }

  void accept(std::string_view text, uint64_t line_number) {
    ++stats_.events_evaluated;
    evaluate(
        engine_, state_, [text] { return text; }, line_number, on_match_, stats_.matches, sampled_costs());
  }

  // The cost table when this event is one to time (the first evaluated, then every kCostSampleInterval).
  std::vector<RuleCost>* sampled_costs() const {
    return stats_.events_evaluated % StreamOptions::kCostSampleInterval == 1 ? options_.rule_costs : nullptr;
  }

  void report_progress() {
    if (!options_.on_progress || stats_.events_read < next_progress_)
      return;
    next_progress_ = stats_.events_read + StreamOptions::kProgressInterval;
    stats_.bytes_read = reader_.bytes_read();
    options_.on_progress(stats_);
  }

  void reject(uint64_t line_number) {
    ++stats_.events_rejected;
    if (on_error_)
      on_error_(EventError{line_number, state_.reason});
  }

  const Engine& engine_;
  Scanner::State& state_;
  extract::DocumentReader reader_;
  const MatchSink& on_match_;
  const ErrorSink& on_error_;
  const StreamOptions& options_;
  ScanStats stats_;
  uint64_t next_progress_ = StreamOptions::kProgressInterval;
};

}  // namespace

Scanner::Scanner(std::shared_ptr<const Engine> engine)
    : engine_(std::move(engine)), state_(std::make_unique<State>(*engine_)) {}

Scanner::~Scanner() = default;

bool Scanner::scan(std::string_view json, uint64_t line, const MatchSink& on_match, std::string* reason,
                   InputFormat format) {
  state_->padded.assign(json);
  state_->padded.append(kPadding, '\0');
  const std::string_view padded_json(state_->padded.data(), json.size());
  extract::FieldExtractor& extractor = state_->extractor;
  const bool parsed = extractor.parse(padded_json, state_->reason);
  const bool evtx = format == InputFormat::EvtxJson ||
                    (format == InputFormat::Auto && parsed && extractor.root_is_evtx_event());
  if (!parsed || !extractor.extract_root(state_->event, state_->reason,
                                         evtx ? extract::EventLayout::Evtx : extract::EventLayout::Flat)) {
    if (reason)
      *reason = state_->reason;
    return false;
  }
  uint64_t matches = 0;
  evaluate(
      *engine_, *state_, [json] { return json; }, line, on_match, matches);
  return true;
}

ScanStats Scanner::scan_stream(std::FILE* input, const MatchSink& on_match, const ErrorSink& on_error,
                               const StreamOptions& options) {
  return StreamScan(*engine_, *state_, input, on_match, on_error, options).run();
}

void Scanner::scan_fields(const std::vector<FieldValue>& fields, uint64_t line, const MatchSink& on_match) {
  const program::Program& program = engine_->program();
  const auto& slot_by_path = engine_internals(*engine_).slot_by_path;
  extract::ExtractedEvent& event = state_->event;
  const size_t slot_count = program.fields.size();
  // The all-values slot (keyword search) sees every given field; named slots see their own.
  const auto all_values = slot_by_path.find(std::string());
  const uint32_t keyword_slot = all_values == slot_by_path.end() ? kSigrunAbsent : all_values->second;

  // Two passes so each slot's values are one run: count, then place.
  std::vector<uint32_t>& slot_of = field_slots_;
  slot_of.assign(fields.size(), kSigrunAbsent);
  event.slots.assign(slot_count, SigrunSlot{kSigrunAbsent, 0});
  std::vector<uint32_t> counts(slot_count, 0);
  for (size_t i = 0; i < fields.size(); ++i) {
    auto it = slot_by_path.find(std::string(fields[i].path));
    if (it != slot_by_path.end() && it->second != keyword_slot) {
      slot_of[i] = it->second;
      ++counts[it->second];
    }
    if (keyword_slot != kSigrunAbsent && fields[i].kind != kSigrunNull && fields[i].kind != kSigrunObject) {
      ++counts[keyword_slot];
    }
  }
  uint32_t next = 0;
  for (uint32_t slot = 0; slot < slot_count; ++slot) {
    if (counts[slot] == 0)
      continue;
    event.slots[slot] = SigrunSlot{next, 0};
    next += counts[slot];
  }
  event.values.assign(next, SigrunValue{});
  event.storage.clear();
  // Folded texts go to storage, which may grow: keep offsets and set the pointers once it is complete.
  std::vector<std::pair<size_t, size_t>> folded(next, {SIZE_MAX, 0});
  const auto place = [&](uint32_t slot, const FieldValue& field) {
    SigrunSlot& s = event.slots[slot];
    const uint32_t index = s.first + s.count++;
    SigrunValue& v = event.values[index];
    v.text = field.text.data();
    v.text_len = static_cast<uint32_t>(field.text.size());
    v.folded = v.text;
    v.folded_len = v.text_len;
    v.kind = field.kind;
    if (program.fields[slot].needs_folding) {
      const size_t begin = event.storage.size();
      interp::append_folded(field.text, event.storage);
      folded[index] = {begin, event.storage.size() - begin};
    }
  };
  for (size_t i = 0; i < fields.size(); ++i) {
    if (slot_of[i] != kSigrunAbsent)
      place(slot_of[i], fields[i]);
    if (keyword_slot != kSigrunAbsent && fields[i].kind != kSigrunNull && fields[i].kind != kSigrunObject)
      place(keyword_slot, fields[i]);
  }
  for (size_t index = 0; index < folded.size(); ++index) {
    if (folded[index].first == SIZE_MAX)
      continue;
    event.values[index].folded = event.storage.data() + folded[index].first;
    event.values[index].folded_len = static_cast<uint32_t>(folded[index].second);
  }
  uint64_t matches = 0;
  evaluate(
      *engine_, *state_, [] { return std::string_view(); }, line, on_match, matches);
}

std::string Scanner::field_text(std::string_view path) const {
  const auto& slots = engine_internals(*engine_).slot_by_path;
  auto it = slots.find(std::string(path));
  if (it == slots.end())
    return {};
  return slot_text(state_->event, it->second).value_or("");
}

}  // namespace sigrun
