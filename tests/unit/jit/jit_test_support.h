// Test support for tests/unit/jit: programs and events built by hand, and a program compiled by the JIT
// next to the interpreter, so every native result can be checked against the reference.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "abi/program.h"
#include "abi/slots.h"
#include "interp/case_fold.h"
#include "interp/interpreter.h"
#include "jit/jit.h"
#include "program/program.h"
#include "sigrun/engine.h"

namespace sigrun::jit::testing {

// Builds a program: every call appends one item and returns its index.
class ProgramBuilder {
 public:
  uint32_t field(std::string path) {
    program_.fields.push_back({std::move(path), true});
    return last(program_.fields);
  }

  // A string literal, folded unless `flags` has kSigrunCased (the compiler folds literals).
  uint32_t literal(const std::string& text, uint32_t flags = 0) {
    return operand({(flags & kSigrunCased) ? text : interp::fold(text), flags, 0, 0});
  }
  // A glob literal, written with '*' and '?' for the wildcards.
  uint32_t glob(const std::string& pattern, uint32_t flags = 0) {
    std::string text = (flags & kSigrunCased) ? pattern : interp::fold(pattern);
    for (char& c : text) {
      if (c == '*')
        c = static_cast<char>(kSigrunGlobStar);
      if (c == '?')
        c = static_cast<char>(kSigrunGlobQuestion);
    }
    return operand({text, flags, 0, 0});
  }
  uint32_t number(const std::string& text, double value, bool integer = true) {
    return operand({text, integer ? static_cast<uint32_t>(kSigrunNumIsInteger) : 0u, value, 0});
  }
  uint32_t boolean(bool value) {
    return operand({value ? "true" : "false", value ? static_cast<uint32_t>(kSigrunBoolTrue) : 0u, 0, 0});
  }
  uint32_t regex(const std::string& pattern, uint32_t options = 0) {
    return operand({pattern, 0, 0, options});
  }
  // NumCompare / TimePart: `comparison` and `component` are SigrunComparison / SigrunTimeComponent.
  uint32_t compare(double value, uint32_t comparison, uint32_t component = 0) {
    return operand({std::to_string(value),
                    comparison << kSigrunComparisonShift | component << kSigrunTimeComponentShift, value, 0});
  }
  // Cidr: the network's address bytes and prefix length.
  uint32_t network(const std::string& address_bytes, unsigned prefix) {
    return operand({address_bytes, 0, static_cast<double>(prefix), 0});
  }
  uint32_t operand(program::OperandData data) {
    program_.operands.push_back(std::move(data));
    return last(program_.operands);
  }

  // A Pred node testing `op` on `slot` (Slot-scope opcodes ignore `operand`; Pair-scope ones also read
  // `other_slot`).
  uint32_t pred(abi::Opcode op, uint32_t slot, uint32_t operand = 0, uint32_t other_slot = 0) {
    program_.predicates.push_back({op, slot, operand, other_slot});
    return node(abi::BoolOp::Pred, last(program_.predicates), 0);
  }
  uint32_t all(const std::vector<uint32_t>& children) { return list(abi::BoolOp::And, children); }
  uint32_t any(const std::vector<uint32_t>& children) { return list(abi::BoolOp::Or, children); }
  uint32_t negate(uint32_t child) { return node(abi::BoolOp::Not, child, 0); }
  uint32_t always() { return node(abi::BoolOp::True, 0, 0); }
  uint32_t never() { return node(abi::BoolOp::False, 0, 0); }

  uint32_t rule(uint32_t root) {
    program::RuleInfo info;
    info.id = "rule-" + std::to_string(program_.rules.size());
    info.title = info.id;
    info.root = root;
    program_.rules.push_back(std::move(info));
    return last(program_.rules);
  }

  const program::Program& program() const { return program_; }
  program::Program& program() { return program_; }

 private:
  template <typename T>
  static uint32_t last(const std::vector<T>& items) {
    return static_cast<uint32_t>(items.size() - 1);
  }
  uint32_t node(abi::BoolOp op, uint32_t arg, uint32_t count) {
    program_.nodes.push_back({op, arg, count});
    return last(program_.nodes);
  }
  uint32_t list(abi::BoolOp op, const std::vector<uint32_t>& children) {
    const auto first = static_cast<uint32_t>(program_.children.size());
    program_.children.insert(program_.children.end(), children.begin(), children.end());
    return node(op, first, static_cast<uint32_t>(children.size()));
  }

  program::Program program_;
};

// One JSON value as extraction delivers it: `folded` is the Unicode simple case folding of `text`.
struct TestValue {
  SigrunValueKind kind;
  std::string text;
};
inline TestValue str(std::string text) {
  return {kSigrunString, std::move(text)};
}
inline TestValue num(std::string text) {
  return {kSigrunNumber, std::move(text)};
}
inline TestValue json_true() {
  return {kSigrunTrue, "true"};
}
inline TestValue json_false() {
  return {kSigrunFalse, "false"};
}
inline TestValue json_null() {
  return {kSigrunNull, "null"};
}
inline TestValue object(std::string text) {
  return {kSigrunObject, std::move(text)};
}

// An event over `slot_count` slots, all absent until set. Copies and moves are independent events.
class EventBuilder {
 public:
  explicit EventBuilder(size_t slot_count) : slots_(slot_count, SigrunSlot{kSigrunAbsent, 0}) {}

  // Makes `slot` present with `values` (none: an empty array).
  EventBuilder& set(uint32_t slot, const std::vector<TestValue>& values) {
    slots_.at(slot) = {static_cast<uint32_t>(stored_.size()), static_cast<uint32_t>(values.size())};
    for (const TestValue& value : values)
      stored_.push_back({value.kind, value.text, interp::fold(value.text)});
    return *this;
  }

  // Valid until the builder changes or goes away.
  const SigrunEvent& event() {
    values_.clear();
    for (const Stored& stored : stored_) {
      SigrunValue value{};
      value.text = stored.text.data();
      value.folded = stored.folded.data();
      value.text_len = static_cast<uint32_t>(stored.text.size());
      value.folded_len = static_cast<uint32_t>(stored.folded.size());
      value.kind = stored.kind;
      values_.push_back(value);
    }
    event_ = {slots_.data(), values_.data()};
    return event_;
  }

 private:
  struct Stored {
    SigrunValueKind kind;
    std::string text;
    std::string folded;
  };

  std::vector<SigrunSlot> slots_;
  std::vector<Stored> stored_;
  std::vector<SigrunValue> values_;  // built by event(), pointing into stored_
  SigrunEvent event_{};
};

// A program compiled by the JIT and held by an engine, which prepares the operands both backends read.
class Backends {
 public:
  // Compiles `program`; check error() before use.
  explicit Backends(const program::Program& program, const JitOptions& options = {}) {
    Result<std::shared_ptr<const NativeCode>> native = compile(program, options);
    if (!native) {
      error_ = "jit: " + native.error().message;
      return;
    }
    Result<std::shared_ptr<const Engine>> engine = Engine::create(program, native.value());
    if (!engine) {
      error_ = "engine: " + engine.error().message;
      return;
    }
    engine_ = engine.value();
  }

  const std::string& error() const { return error_; }
  const Engine& engine() const { return *engine_; }

  bool native(uint32_t rule, const SigrunEvent& event) const {
    return engine_->native()->rules.at(rule)(&event, engine_->operands());
  }
  bool interpreter(uint32_t rule, const SigrunEvent& event) const {
    return interp::evaluate_rule(engine_->program(), engine_->operands(), rule, event);
  }

  // The native result after checking it equals the interpreter's.
  bool run(uint32_t rule, const SigrunEvent& event) const {
    const bool result = native(rule, event);
    EXPECT_EQ(result, interpreter(rule, event)) << "rule " << rule << ": jit and interpreter disagree";
    return result;
  }

 private:
  std::string error_;
  std::shared_ptr<const Engine> engine_;
};

}  // namespace sigrun::jit::testing
