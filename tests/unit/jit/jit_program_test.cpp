// Whole programs through the JIT: boolean structure, DAG nodes shared across rules, nesting, empty and
// large programs, errors and lifetimes, and random programs checked against the interpreter.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "jit_test_support.h"

namespace sigrun::jit::testing {
namespace {

using abi::Opcode;

// Events over two slots a and b covering each combination of present (with a value) and absent.
std::vector<EventBuilder> presence_events() {
  std::vector<EventBuilder> events;
  for (int mask = 0; mask < 4; ++mask) {
    EventBuilder& event = events.emplace_back(2);
    if (mask & 1)
      event.set(0, {str("a")});
    if (mask & 2)
      event.set(1, {str("b")});
  }
  return events;
}

TEST(JitProgramTest, BooleanOperatorsFollowTheirTruthTables) {
  ProgramBuilder b;
  uint32_t slot_a = b.field("a");
  uint32_t slot_b = b.field("b");
  uint32_t a = b.pred(Opcode::Exists, slot_a);
  uint32_t c = b.pred(Opcode::Exists, slot_b);
  struct Expectation {
    uint32_t rule;
    const char* what;
    bool (*truth)(bool, bool);
  };
  const std::vector<Expectation> expectations = {
      {b.rule(b.all({a, c})), "a and b", [](bool x, bool y) { return x && y; }},
      {b.rule(b.any({a, c})), "a or b", [](bool x, bool y) { return x || y; }},
      {b.rule(b.negate(a)), "not a", [](bool x, bool) { return !x; }},
      {b.rule(b.all({a, b.negate(c)})), "a and not b", [](bool x, bool y) { return x && !y; }},
      {b.rule(b.any({b.all({a, c}), b.all({b.negate(a), b.negate(c)})})), "a xnor b",
       [](bool x, bool y) { return x == y; }},
      {b.rule(b.negate(b.negate(c))), "not not b", [](bool, bool y) { return y; }},
      {b.rule(b.always()), "true", [](bool, bool) { return true; }},
      {b.rule(b.never()), "false", [](bool, bool) { return false; }},
      {b.rule(b.negate(b.always())), "not true", [](bool, bool) { return false; }},
      {b.rule(b.all({})), "empty and", [](bool, bool) { return true; }},
      {b.rule(b.any({})), "empty or", [](bool, bool) { return false; }},
      {b.rule(b.all({a})), "and of one", [](bool x, bool) { return x; }},
      {b.rule(b.any({b.never(), c})), "false or b", [](bool, bool y) { return y; }},
      {b.rule(b.all({b.always(), a, b.always()})), "true and a and true", [](bool x, bool) { return x; }},
      {b.rule(b.any({a, c, b.negate(a)})), "a or b or not a", [](bool, bool) { return true; }},
  };
  for (bool optimize : {true, false}) {
    JitOptions options;
    options.optimize = optimize;
    Backends backends(b.program(), options);
    ASSERT_EQ(backends.error(), "");
    std::vector<EventBuilder> events = presence_events();
    for (int mask = 0; mask < 4; ++mask) {
      const bool x = (mask & 1) != 0;
      const bool y = (mask & 2) != 0;
      for (const Expectation& e : expectations) {
        EXPECT_EQ(backends.run(e.rule, events[mask].event()), e.truth(x, y))
            << e.what << " with a=" << x << " b=" << y << (optimize ? " at O2" : " at O0");
      }
    }
  }
}

TEST(JitProgramTest, NodesSharedAcrossRulesEvaluateInEachRule) {
  ProgramBuilder b;
  uint32_t slot_a = b.field("a");
  uint32_t slot_b = b.field("b");
  uint32_t both =
      b.all({b.pred(Opcode::StrEq, slot_a, b.literal("a")), b.pred(Opcode::StrEq, slot_b, b.literal("b"))});
  uint32_t same_root = b.rule(both);
  uint32_t again = b.rule(both);
  uint32_t in_or = b.rule(b.any({b.pred(Opcode::IsNull, slot_a), both}));
  uint32_t negated = b.rule(b.negate(both));
  uint32_t twice = b.rule(b.all({both, both}));
  Backends backends(b.program());
  ASSERT_EQ(backends.error(), "");
  std::vector<EventBuilder> events = presence_events();
  for (int mask = 0; mask < 4; ++mask) {
    const bool x = (mask & 1) != 0;
    const bool y = (mask & 2) != 0;
    const SigrunEvent& event = events[mask].event();
    EXPECT_EQ(backends.run(same_root, event), x && y) << mask;
    EXPECT_EQ(backends.run(again, event), x && y) << mask;
    EXPECT_EQ(backends.run(in_or, event), !x || y) << mask;
    EXPECT_EQ(backends.run(negated, event), !(x && y)) << mask;
    EXPECT_EQ(backends.run(twice, event), x && y) << mask;
  }
}

// A DAG whose tree expansion doubles at every level, 2^60 leaves in all: the JIT must call shared nodes
// rather than copy them. level(k) = (p_k and level(k-1)) or (q_k and level(k-1)).
TEST(JitProgramTest, DeeplySharedNodesDoNotExplode) {
  constexpr int kLevels = 60;
  ProgramBuilder b;
  uint32_t p_slot = b.field("p");
  uint32_t q_slot = b.field("q");
  uint32_t base_slot = b.field("base");
  uint32_t p = b.pred(Opcode::Exists, p_slot);
  uint32_t q = b.pred(Opcode::Exists, q_slot);
  uint32_t level = b.pred(Opcode::StrEq, base_slot, b.literal("yes"));
  std::vector<uint32_t> rules;
  for (int k = 0; k < kLevels; ++k) {
    level = b.any({b.all({p, level}), b.all({q, level})});
    if (k % 20 == 19)
      rules.push_back(b.rule(level));
  }
  const auto start = std::chrono::steady_clock::now();
  Backends backends(b.program());
  ASSERT_EQ(backends.error(), "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));

  // At most one of p and q is present, so evaluation itself stays linear.
  for (int mask = 0; mask < 3; ++mask) {
    for (bool base : {false, true}) {
      EventBuilder event(3);
      if (mask == 1)
        event.set(p_slot, {str("x")});
      if (mask == 2)
        event.set(q_slot, {str("x")});
      event.set(base_slot, {str(base ? "YES" : "no")});
      for (uint32_t rule : rules)
        EXPECT_EQ(backends.run(rule, event.event()), mask != 0 && base);
    }
  }
}

TEST(JitProgramTest, DeepNestingCompiles) {
  constexpr int kDepth = 5000;
  ProgramBuilder b;
  uint32_t slot = b.field("a");
  uint32_t is_x = b.pred(Opcode::StrEq, slot, b.literal("x"));
  uint32_t nots = is_x;
  uint32_t ands = is_x;
  for (int i = 0; i < kDepth; ++i) {
    nots = b.negate(nots);
    ands = b.all({b.pred(Opcode::Exists, slot), ands});
  }
  uint32_t even_nots = b.rule(nots);  // kDepth is even
  uint32_t nested_ands = b.rule(ands);
  Backends backends(b.program());
  ASSERT_EQ(backends.error(), "");
  EventBuilder x(1);
  x.set(slot, {str("X")});
  EventBuilder y(1);
  y.set(slot, {str("y")});
  EXPECT_TRUE(backends.run(even_nots, x.event()));
  EXPECT_FALSE(backends.run(even_nots, y.event()));
  EXPECT_TRUE(backends.run(nested_ands, x.event()));
  EXPECT_FALSE(backends.run(nested_ands, y.event()));
}

TEST(JitProgramTest, SlotsAreFoundWhereverTheirValuesStart) {
  ProgramBuilder b;
  std::vector<uint32_t> slots;
  std::vector<uint32_t> rules;
  for (int i = 0; i < 5; ++i) {
    slots.push_back(b.field("f" + std::to_string(i)));
    rules.push_back(b.rule(b.pred(Opcode::StrEq, slots.back(), b.literal("v" + std::to_string(i)))));
  }
  Backends backends(b.program());
  ASSERT_EQ(backends.error(), "");
  // Slots filled in reverse order, so the last slot's values come first in the value array.
  EventBuilder event(5);
  for (int i = 4; i >= 0; --i) {
    event.set(slots[i], {str("w"), str("v" + std::to_string(i == 2 ? 9 : i)), str("w")});
  }
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(backends.run(rules[i], event.event()), i != 2) << i;
}

TEST(JitProgramTest, EmptyProgramCompilesToNoFunctions) {
  program::Program empty;
  Result<std::shared_ptr<const NativeCode>> native = compile(empty);
  ASSERT_TRUE(native) << native.error().message;
  EXPECT_TRUE(native.value()->rules.empty());
  EXPECT_EQ(native.value()->backend, "jit");
  EXPECT_NE(native.value()->keep_alive, nullptr);
  Result<std::shared_ptr<const Engine>> engine = Engine::create(empty, native.value());
  ASSERT_TRUE(engine) << engine.error().message;
  EXPECT_EQ(engine.value()->backend(), "jit");
}

TEST(JitProgramTest, InvalidProgramIsAnErrorNotACrash) {
  ProgramBuilder b;
  uint32_t slot = b.field("a");
  b.rule(b.pred(Opcode::Exists, slot));
  program::Program bad_root = b.program();
  bad_root.rules[0].root = 7;
  Result<std::shared_ptr<const NativeCode>> native = compile(bad_root);
  ASSERT_FALSE(native);
  EXPECT_EQ(native.error().code, Error::Code::InvalidProgram);
  EXPECT_NE(native.error().message.find("root out of range"), std::string::npos) << native.error().message;

  program::Program bad_slot = b.program();
  bad_slot.predicates[0].slot = 3;
  native = compile(bad_slot);
  ASSERT_FALSE(native);
  EXPECT_EQ(native.error().code, Error::Code::InvalidProgram);

  program::Program cycle = b.program();
  cycle.nodes.push_back({abi::BoolOp::Not, 1, 0});  // its own operand
  native = compile(cycle);
  ASSERT_FALSE(native);
  EXPECT_EQ(native.error().code, Error::Code::InvalidProgram);
}

TEST(JitProgramTest, NativeCodeKeepsItsFunctionsAlive) {
  ProgramBuilder b;
  uint32_t slot = b.field("a");
  b.rule(b.pred(Opcode::Exists, slot));
  b.rule(b.negate(b.pred(Opcode::Exists, slot)));
  abi::RuleFunction exists = nullptr;
  std::shared_ptr<const NativeCode> kept;
  {
    Result<std::shared_ptr<const NativeCode>> native = compile(b.program());
    ASSERT_TRUE(native) << native.error().message;
    ASSERT_EQ(native.value()->rules.size(), 2u);
    kept = native.value();
    exists = kept->rules[0];
    // A second compilation is a separate session; dropping it must not touch the first.
    Result<std::shared_ptr<const NativeCode>> other = compile(b.program());
    ASSERT_TRUE(other) << other.error().message;
  }
  EventBuilder event(1);
  event.set(slot, {str("x")});
  // Exists reads no operands.
  EXPECT_TRUE(exists(&event.event(), nullptr));
  EXPECT_FALSE(kept->rules[1](&event.event(), nullptr));
}

// Random programs over every opcode, with shared nodes, checked rule by rule against the interpreter on
// random events.
class RandomProgram {
 public:
  explicit RandomProgram(uint32_t seed) : random_(seed) {
    for (int i = 0; i < 4; ++i)
      slots_.push_back(builder_.field("f" + std::to_string(i)));
  }

  ProgramBuilder& builder() { return builder_; }

  // Adds `count` rules of up to `depth` levels, reusing earlier nodes about one time in five.
  void add_rules(int count, int depth) {
    for (int i = 0; i < count; ++i)
      builder_.rule(node(depth));
  }

  EventBuilder event() {
    EventBuilder event(slots_.size());
    for (uint32_t slot : slots_) {
      const int shape = pick(6);
      if (shape == 0)
        continue;  // absent
      std::vector<TestValue> values;
      values.reserve(4);
      const int count = shape == 1 ? 0 : shape <= 3 ? 1 : pick(4) + 1;
      for (int k = 0; k < count; ++k)
        values.push_back(value());
      event.set(slot, values);
    }
    return event;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }

  TestValue value() {
    static const std::vector<TestValue> kValues = {
        str("cmd.exe"), str("CMD.EXE"), str("C:\\Windows\\System32\\cmd.exe"),
        str(""),        str("c"),       str("powershell -enc AAA"),
        str("4624"),    str("TRUE"),    str("false"),
        str("null"),    str("Ärger"),   num("4624"),
        num("4624.0"),  num("-1"),      json_true(),
        json_false(),   json_null(),    object("{\"a\":1}"),
    };
    return kValues[pick(static_cast<int>(kValues.size()))];
  }

  uint32_t operand(Opcode op) {
    static const std::vector<std::string> kTexts = {
        "cmd.exe", "CMD.EXE", "c:\\windows\\", "\\cmd.exe", "-enc", "", "c", "4624", "null", "ärger"};
    const std::string& text = kTexts[pick(static_cast<int>(kTexts.size()))];
    const uint32_t cased = pick(4) == 0 ? static_cast<uint32_t>(kSigrunCased) : 0u;
    switch (op) {
      case Opcode::StrGlob: {
        static const std::vector<std::string> kGlobs = {"*cmd.exe", "c:\\*", "?md.exe", "*", "c*e", "*-enc*"};
        return builder_.glob(kGlobs[pick(static_cast<int>(kGlobs.size()))], cased);
      }
      case Opcode::NumEq:
        return pick(2) == 0 ? builder_.number("4624", 4624) : builder_.number("-1", -1);
      case Opcode::BoolEq:
        return builder_.boolean(pick(2) == 0);
      case Opcode::Regex: {
        static const std::vector<std::string> kRegexes = {"^cmd\\.exe$", "enc", "\\d+", "^$", "(?i)true"};
        return builder_.regex(kRegexes[pick(static_cast<int>(kRegexes.size()))],
                              pick(3) == 0 ? static_cast<uint32_t>(program::kRegexIgnoreCase) : 0u);
      }
      default:
        return builder_.literal(text, cased);
    }
  }

  uint32_t predicate() {
    const auto op = static_cast<Opcode>(pick(abi::kOpcodeCount));
    const uint32_t slot = slots_[pick(static_cast<int>(slots_.size()))];
    return builder_.pred(op, slot, abi::opcode_is_slot_scope(op) ? 0 : operand(op));
  }

  uint32_t node(int depth) {
    if (!made_.empty() && pick(5) == 0)
      return made_[pick(static_cast<int>(made_.size()))];
    uint32_t made;
    const int kind = depth <= 0 ? 0 : pick(10);
    if (kind <= 3) {
      made = predicate();
    } else if (kind <= 5) {
      std::vector<uint32_t> children;
      for (int i = pick(4); i >= 0; --i)
        children.push_back(node(depth - 1));
      made = kind == 4 ? builder_.all(children) : builder_.any(children);
    } else if (kind <= 7) {
      made = builder_.negate(node(depth - 1));
    } else if (kind == 8) {
      made = pick(2) == 0 ? builder_.always() : builder_.never();
    } else {
      made = builder_.all({});
    }
    made_.push_back(made);
    return made;
  }

  std::mt19937 random_;
  ProgramBuilder builder_;
  std::vector<uint32_t> slots_;
  std::vector<uint32_t> made_;
};

class JitRandomTest : public ::testing::TestWithParam<bool> {};

TEST_P(JitRandomTest, AgreesWithTheInterpreter) {
  RandomProgram random(20260805);
  random.add_rules(400, 5);
  JitOptions options;
  options.optimize = GetParam();
  Backends backends(random.builder().program(), options);
  ASSERT_EQ(backends.error(), "");
  const auto rule_count = static_cast<uint32_t>(random.builder().program().rules.size());
  int matches = 0;
  for (int e = 0; e < 300; ++e) {
    EventBuilder event = random.event();
    for (uint32_t rule = 0; rule < rule_count; ++rule) {
      const bool native = backends.native(rule, event.event());
      ASSERT_EQ(native, backends.interpreter(rule, event.event())) << "rule " << rule << ", event " << e;
      matches += native ? 1 : 0;
    }
  }
  // Both outcomes occur often, so the comparison means something.
  EXPECT_GT(matches, 300 * 400 / 10);
  EXPECT_LT(matches, 300 * 400 * 9 / 10);
}

INSTANTIATE_TEST_SUITE_P(Optimization, JitRandomTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) { return info.param ? "O2" : "O0"; });

// 3,000 rules, the size of the SigmaHQ corpus: compiles in chunks and every function is right.
TEST(JitProgramTest, LargeProgramCompiles) {
  constexpr int kRules = 3000;
  RandomProgram random(7);
  random.add_rules(kRules, 4);
  for (bool optimize : {true, false}) {
    JitOptions options;
    options.optimize = optimize;
    const auto start = std::chrono::steady_clock::now();
    Backends backends(random.builder().program(), options);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    ASSERT_EQ(backends.error(), "");
    ASSERT_EQ(backends.engine().native()->rules.size(), static_cast<size_t>(kRules));
    std::printf("[ jit      ] %d rules compiled in %lld ms (%s)\n", kRules,
                static_cast<long long>(elapsed.count()), optimize ? "O2" : "O0");
    for (int e = 0; e < 20; ++e) {
      EventBuilder event = random.event();
      for (uint32_t rule = 0; rule < static_cast<uint32_t>(kRules); ++rule) {
        ASSERT_EQ(backends.native(rule, event.event()), backends.interpreter(rule, event.event()))
            << "rule " << rule << ", event " << e;
      }
    }
  }
}

}  // namespace
}  // namespace sigrun::jit::testing
