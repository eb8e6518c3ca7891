// Implements sigrun::EventTrace (sigrun/event_trace.h): an event extracted once and then evaluated node by
// node with the interpreter, or rule by rule with the engine's native code.
#include "sigrun/event_trace.h"

#include <cassert>
#include <utility>

#include "extract/field_extractor.h"
#include "interp/interpreter.h"

namespace sigrun {

struct EventTrace::State {
  explicit State(const Engine& engine) : extractor(engine.program().fields) {}

  extract::FieldExtractor extractor;
  extract::ExtractedEvent event;
  std::string padded;  // the event text followed by Scanner::kPadding bytes, as extraction requires
  bool loaded = false;
};

EventTrace::EventTrace(std::shared_ptr<const Engine> engine)
    : engine_(std::move(engine)), state_(std::make_unique<State>(*engine_)) {}

EventTrace::~EventTrace() = default;

bool EventTrace::load(std::string_view json, std::string* reason, InputFormat format) {
  State& s = *state_;
  s.loaded = false;
  s.padded.assign(json);
  s.padded.append(Scanner::kPadding, '\0');
  const std::string_view padded_json(s.padded.data(), json.size());
  std::string why;
  const bool parsed = s.extractor.parse(padded_json, why);
  const bool evtx = format == InputFormat::EvtxJson ||
                    (format == InputFormat::Auto && parsed && s.extractor.root_is_evtx_event());
  if (!parsed || !s.extractor.extract_root(s.event, why,
                                           evtx ? extract::EventLayout::Evtx : extract::EventLayout::Flat)) {
    if (reason)
      *reason = why;
    return false;
  }
  s.loaded = true;
  return true;
}

bool EventTrace::rule_matches(uint32_t rule) const {
  assert(state_->loaded && "EventTrace: query before a successful load()");
  const NativeCode* native = engine_->native();
  if (native == nullptr)
    return reference_matches(rule);
  const SigrunEvent view = state_->event.view();
  return native->rules[rule](&view, engine_->operands());
}

bool EventTrace::reference_matches(uint32_t rule) const {
  assert(state_->loaded && "EventTrace: query before a successful load()");
  return interp::evaluate_rule(engine_->program(), engine_->operands(), rule, state_->event.view());
}

bool EventTrace::node(uint32_t node) const {
  assert(state_->loaded && "EventTrace: query before a successful load()");
  return interp::evaluate_node(engine_->program(), engine_->operands(), node, state_->event.view());
}

bool EventTrace::predicate(uint32_t predicate) const {
  assert(state_->loaded && "EventTrace: query before a successful load()");
  return interp::evaluate_predicate(engine_->program().predicates[predicate], state_->event.view(),
                                    engine_->operands());
}

EventTrace::Values EventTrace::values(uint32_t slot) const {
  assert(state_->loaded && "EventTrace: query before a successful load()");
  const extract::ExtractedEvent& event = state_->event;
  const SigrunSlot& s = event.slots[slot];
  Values out;
  if (s.first == kSigrunAbsent)
    return out;
  out.present = true;
  out.values.assign(event.values.begin() + s.first, event.values.begin() + s.first + s.count);
  return out;
}

}  // namespace sigrun
