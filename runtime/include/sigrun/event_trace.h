// sigrun::EventTrace: one event held after extraction, so that every rule, boolean node and predicate of a
// program can be asked about it. For explanations (`sigrun explain`) and rule tests, not for scanning.
//
//   sigrun::EventTrace trace(engine);
//   std::string reason;
//   if (!trace.load(json, &reason)) return fail(reason);
//   for (uint32_t r = 0; r < engine->program().rules.size(); ++r) {
//     const bool matched = trace.rule_matches(r);          // native code when the engine has it
//     assert(matched == trace.reference_matches(r));       // the interpreter: the reference semantics
//   }
//   bool value = trace.node(some_node);                    // any node of the DAG, by the interpreter
//
// Thread safety: like a Scanner, an EventTrace holds per-thread scratch and must not be shared between
// threads; it keeps its Engine alive. Cost: load() is one parse and one extraction of the event; every
// query evaluates what it asks for afresh (no caching), which is cheap for one event.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "abi/slots.h"
#include "sigrun/engine.h"
#include "sigrun/input_format.h"

namespace sigrun {

class EventTrace {
 public:
  explicit EventTrace(std::shared_ptr<const Engine> engine);
  ~EventTrace();
  EventTrace(const EventTrace&) = delete;
  EventTrace& operator=(const EventTrace&) = delete;

  // Parses and extracts `json` (one JSON object; no padding needed). `format` names the fields as in
  // Scanner::scan (Auto: evtx_dump layout when the event has `Event.System`, else JSON names). Returns
  // false and fills `*reason` (when given) if it is not valid JSON or not an object; the queries below
  // must not be used until a load succeeds.
  bool load(std::string_view json, std::string* reason = nullptr, InputFormat format = InputFormat::Auto);

  // Whether rule `rule` (index into program().rules) matches, by the engine's backend: its native code
  // when it has some, else the interpreter.
  bool rule_matches(uint32_t rule) const;
  // Whether rule `rule` matches by the reference interpreter, whatever the engine's backend.
  bool reference_matches(uint32_t rule) const;
  // The interpreter's value of boolean node `node` (index into program().nodes).
  bool node(uint32_t node) const;
  // The interpreter's value of predicate `predicate` (index into program().predicates).
  bool predicate(uint32_t predicate) const;

  // The values the event has for field slot `slot`: empty when the field is absent; one per element for
  // arrays. Views into the trace's storage, valid until the next load().
  struct Values {
    bool present = false;
    std::vector<SigrunValue> values;
  };
  Values values(uint32_t slot) const;

 private:
  struct State;
  std::shared_ptr<const Engine> engine_;
  std::unique_ptr<State> state_;
};

}  // namespace sigrun
