// Every opcode of SIGRUN_OPCODES through the JIT, at O2 and without optimization: expected results on
// hand-built events, each also checked against the interpreter.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "jit_test_support.h"

namespace sigrun::jit::testing {
namespace {

using abi::Opcode;

class JitOpcodeTest : public ::testing::TestWithParam<bool> {
 protected:
  // Compiles the rules added to `builder_` so far.
  void compile() {
    JitOptions options;
    options.optimize = GetParam();
    backends_ = std::make_unique<Backends>(builder_.program(), options);
    ASSERT_EQ(backends_->error(), "");
  }

  uint32_t rule(Opcode op, uint32_t operand = 0) { return builder_.rule(builder_.pred(op, slot_, operand)); }

  // The rule on an event whose slot holds `values` (none: an empty array), and on one without the slot.
  bool on(uint32_t rule, const std::vector<TestValue>& values) {
    EventBuilder event(1);
    event.set(slot_, values);
    return backends_->run(rule, event.event());
  }
  bool on_absent(uint32_t rule) {
    EventBuilder event(1);
    return backends_->run(rule, event.event());
  }

  ProgramBuilder builder_;
  uint32_t slot_ = builder_.field("Image");
  std::unique_ptr<Backends> backends_;
};

TEST_P(JitOpcodeTest, ExistsLooksAtPresenceOnly) {
  uint32_t exists = rule(Opcode::Exists);
  compile();
  EXPECT_FALSE(on_absent(exists));
  EXPECT_TRUE(on(exists, {str("x")}));
  EXPECT_TRUE(on(exists, {str("")}));
  EXPECT_TRUE(on(exists, {json_null()}));
  EXPECT_TRUE(on(exists, {}));
}

TEST_P(JitOpcodeTest, IsNullIsAbsentOrASingleJsonNull) {
  uint32_t is_null = rule(Opcode::IsNull);
  compile();
  EXPECT_TRUE(on_absent(is_null));
  EXPECT_TRUE(on(is_null, {json_null()}));
  EXPECT_FALSE(on(is_null, {str("")}));
  EXPECT_FALSE(on(is_null, {str("null")}));
  EXPECT_FALSE(on(is_null, {json_false()}));
  EXPECT_FALSE(on(is_null, {json_null(), json_null()}));
  EXPECT_FALSE(on(is_null, {json_null(), str("x")}));
  EXPECT_FALSE(on(is_null, {}));
}

TEST_P(JitOpcodeTest, StrEqComparesFoldedTextUnlessCased) {
  uint32_t folded = rule(Opcode::StrEq, builder_.literal("cmd.exe"));
  uint32_t cased = rule(Opcode::StrEq, builder_.literal("CMD.exe", kSigrunCased));
  uint32_t unicode = rule(Opcode::StrEq, builder_.literal("ÄRGER"));
  compile();
  EXPECT_TRUE(on(folded, {str("cmd.exe")}));
  EXPECT_TRUE(on(folded, {str("CMD.EXE")}));
  EXPECT_FALSE(on(folded, {str("cmd.ex")}));
  EXPECT_FALSE(on(folded, {str("cmd.exe ")}));
  EXPECT_FALSE(on(folded, {str("cmd.exf")}));
  EXPECT_FALSE(on(folded, {str("")}));
  EXPECT_FALSE(on(folded, {}));
  EXPECT_FALSE(on_absent(folded));
  EXPECT_TRUE(on(cased, {str("CMD.exe")}));
  EXPECT_FALSE(on(cased, {str("cmd.exe")}));
  EXPECT_FALSE(on(cased, {str("CMD.EXE")}));
  EXPECT_TRUE(on(unicode, {str("ärger")}));
  EXPECT_TRUE(on(unicode, {str("Ärger")}));
  EXPECT_FALSE(on(unicode, {str("arger")}));
}

TEST_P(JitOpcodeTest, StrEqEdgeCases) {
  uint32_t empty = rule(Opcode::StrEq, builder_.literal(""));
  uint32_t null_text = rule(Opcode::StrEq, builder_.literal("null"));
  uint32_t number_text = rule(Opcode::StrEq, builder_.literal("42"));
  uint32_t object_text = rule(Opcode::StrEq, builder_.literal("{\"a\":1}", kSigrunCased));
  uint32_t long_text =
      rule(Opcode::StrEq, builder_.literal("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\"));
  uint32_t with_nul = rule(Opcode::StrEq, builder_.literal(std::string("a\0b", 3), kSigrunCased));
  compile();
  EXPECT_TRUE(on(empty, {str("")}));
  EXPECT_FALSE(on(empty, {str("a")}));
  EXPECT_FALSE(on(empty, {json_null()}));
  EXPECT_FALSE(on(empty, {}));
  // JSON null has no text; the string "null" does.
  EXPECT_FALSE(on(null_text, {json_null()}));
  EXPECT_TRUE(on(null_text, {str("NULL")}));
  EXPECT_TRUE(on(number_text, {num("42")}));
  EXPECT_FALSE(on(number_text, {num("42.0")}));
  EXPECT_TRUE(on(object_text, {object("{\"a\":1}")}));
  EXPECT_TRUE(on(long_text, {str("c:\\windows\\system32\\windowspowershell\\v1.0\\")}));
  EXPECT_FALSE(on(long_text, {str("c:\\windows\\system32\\windowspowershell\\v1.0/")}));
  EXPECT_FALSE(on(long_text, {str("d:\\windows\\system32\\windowspowershell\\v1.0\\")}));
  EXPECT_TRUE(on(with_nul, {str(std::string("a\0b", 3))}));
  EXPECT_FALSE(on(with_nul, {str(std::string("a\0c", 3))}));
  EXPECT_FALSE(on(with_nul, {str("a")}));
}

TEST_P(JitOpcodeTest, StrPrefixSuffixContains) {
  uint32_t prefix = rule(Opcode::StrPrefix, builder_.literal("C:\\Windows\\"));
  uint32_t suffix = rule(Opcode::StrSuffix, builder_.literal("\\cmd.exe"));
  uint32_t contains = rule(Opcode::StrContains, builder_.literal(" -enc "));
  uint32_t empty_prefix = rule(Opcode::StrPrefix, builder_.literal(""));
  uint32_t cased_suffix = rule(Opcode::StrSuffix, builder_.literal(".EXE", kSigrunCased));
  compile();
  EXPECT_TRUE(on(prefix, {str("c:\\windows\\system32\\cmd.exe")}));
  EXPECT_TRUE(on(prefix, {str("C:\\Windows\\")}));
  EXPECT_FALSE(on(prefix, {str("C:\\Win")}));
  EXPECT_FALSE(on(prefix, {str("D:\\Windows\\cmd.exe")}));
  EXPECT_TRUE(on(suffix, {str("C:\\Windows\\System32\\CMD.EXE")}));
  EXPECT_FALSE(on(suffix, {str("C:\\Windows\\System32\\cmd.exe ")}));
  EXPECT_FALSE(on(suffix, {str("cmd.exe")}));
  EXPECT_TRUE(on(contains, {str("powershell -ENC SQBFAFgA")}));
  EXPECT_FALSE(on(contains, {str("powershell -encodedcommand")}));
  EXPECT_TRUE(on(empty_prefix, {str("")}));
  EXPECT_TRUE(on(empty_prefix, {str("anything")}));
  EXPECT_FALSE(on(empty_prefix, {json_null()}));
  EXPECT_FALSE(on_absent(empty_prefix));
  EXPECT_TRUE(on(cased_suffix, {str("a.EXE")}));
  EXPECT_FALSE(on(cased_suffix, {str("a.exe")}));
}

TEST_P(JitOpcodeTest, StrGlobMatchesWholeTextWithWildcards) {
  uint32_t star = rule(Opcode::StrGlob, builder_.glob("C:\\*\\cmd.exe"));
  uint32_t question = rule(Opcode::StrGlob, builder_.glob("a?c"));
  compile();
  EXPECT_TRUE(on(star, {str("c:\\windows\\system32\\cmd.exe")}));
  EXPECT_TRUE(on(star, {str("C:\\x\\CMD.EXE")}));
  EXPECT_FALSE(on(star, {str("C:\\cmd.exe")}));
  EXPECT_FALSE(on(star, {str("C:\\x\\cmd.exe.bak")}));
  EXPECT_TRUE(on(question, {str("abc")}));
  EXPECT_TRUE(on(question, {str("aäc")}));  // one code point, two bytes
  EXPECT_FALSE(on(question, {str("ac")}));
  EXPECT_FALSE(on(question, {str("abbc")}));
}

TEST_P(JitOpcodeTest, NumEqComparesNumbersAndNumericText) {
  uint32_t event_id = rule(Opcode::NumEq, builder_.number("4624", 4624));
  compile();
  EXPECT_TRUE(on(event_id, {num("4624")}));
  EXPECT_TRUE(on(event_id, {str("4624")}));
  EXPECT_TRUE(on(event_id, {num("4624.0")}));
  EXPECT_FALSE(on(event_id, {num("4625")}));
  EXPECT_FALSE(on(event_id, {str("abc")}));
  EXPECT_FALSE(on(event_id, {json_true()}));
  EXPECT_FALSE(on(event_id, {json_null()}));
  EXPECT_FALSE(on_absent(event_id));
}

TEST_P(JitOpcodeTest, BoolEqAcceptsBooleansAndTheirText) {
  uint32_t is_true = rule(Opcode::BoolEq, builder_.boolean(true));
  uint32_t is_false = rule(Opcode::BoolEq, builder_.boolean(false));
  compile();
  EXPECT_TRUE(on(is_true, {json_true()}));
  EXPECT_FALSE(on(is_true, {json_false()}));
  EXPECT_TRUE(on(is_true, {str("TRUE")}));
  EXPECT_FALSE(on(is_true, {str("yes")}));
  EXPECT_FALSE(on(is_true, {num("1")}));
  EXPECT_TRUE(on(is_false, {json_false()}));
  EXPECT_TRUE(on(is_false, {str("false")}));
  EXPECT_FALSE(on(is_false, {json_true()}));
  EXPECT_FALSE(on(is_false, {json_null()}));
}

TEST_P(JitOpcodeTest, RegexSearchesAnywhere) {
  uint32_t anchored = rule(Opcode::Regex, builder_.regex("^cmd\\.exe$"));
  uint32_t unanchored = rule(Opcode::Regex, builder_.regex("-e(nc)?\\s"));
  uint32_t ignore_case = rule(Opcode::Regex, builder_.regex("MIMIKATZ", program::kRegexIgnoreCase));
  compile();
  EXPECT_TRUE(on(anchored, {str("cmd.exe")}));
  EXPECT_FALSE(on(anchored, {str("xcmd.exe")}));
  EXPECT_FALSE(on(anchored, {str("CMD.EXE")}));
  EXPECT_TRUE(on(unanchored, {str("powershell -enc abc")}));
  EXPECT_TRUE(on(unanchored, {str("powershell -e abc")}));
  EXPECT_FALSE(on(unanchored, {str("powershell -encabc")}));
  EXPECT_TRUE(on(ignore_case, {str("run mimikatz.exe")}));
  EXPECT_FALSE(on(ignore_case, {json_null()}));
}

TEST_P(JitOpcodeTest, ValueOpcodesMatchAnyElementOfAnArray) {
  uint32_t eq = rule(Opcode::StrEq, builder_.literal("b"));
  uint32_t contains = rule(Opcode::StrContains, builder_.literal("x"));
  uint32_t number = rule(Opcode::NumEq, builder_.number("2", 2));
  uint32_t regex = rule(Opcode::Regex, builder_.regex("^z"));
  uint32_t none = builder_.rule(builder_.negate(builder_.pred(Opcode::StrEq, slot_, builder_.literal("b"))));
  compile();
  EXPECT_TRUE(on(eq, {str("a"), str("B")}));
  EXPECT_TRUE(on(eq, {str("b"), str("a"), str("c")}));
  EXPECT_TRUE(on(eq, {json_null(), str("a"), str("b")}));
  EXPECT_FALSE(on(eq, {str("a"), str("c"), str("bb")}));
  EXPECT_FALSE(on(eq, {}));
  EXPECT_TRUE(on(contains, {str("a"), str("b"), str("c"), str("axb")}));
  EXPECT_FALSE(on(contains, {str("a"), str("b")}));
  EXPECT_TRUE(on(number, {num("1"), num("2")}));
  EXPECT_FALSE(on(number, {num("1"), num("3")}));
  EXPECT_TRUE(on(regex, {str("a"), str("zz")}));
  EXPECT_FALSE(on(regex, {str("az"), str("bz")}));
  EXPECT_TRUE(on(none, {str("a"), str("c")}));
  EXPECT_FALSE(on(none, {str("a"), str("b")}));
  EXPECT_TRUE(on_absent(none));
}

TEST_P(JitOpcodeTest, NumCompareOrdersNumbersAndNumericText) {
  uint32_t gt = rule(Opcode::NumCompare, builder_.compare(5, kSigrunCompareGt));
  uint32_t gte = rule(Opcode::NumCompare, builder_.compare(5, kSigrunCompareGte));
  uint32_t lt = rule(Opcode::NumCompare, builder_.compare(-1.5, kSigrunCompareLt));
  uint32_t lte = rule(Opcode::NumCompare, builder_.compare(2, kSigrunCompareLte));
  uint32_t bad = rule(Opcode::NumCompare, builder_.compare(2, 7));
  compile();
  EXPECT_TRUE(on(gt, {num("6")}));
  EXPECT_TRUE(on(gt, {str("5.01")}));
  EXPECT_FALSE(on(gt, {num("5")}));
  EXPECT_FALSE(on(gt, {str("abc")}));
  EXPECT_FALSE(on(gt, {str("inf")}));
  EXPECT_FALSE(on(gt, {json_true()}));
  EXPECT_FALSE(on_absent(gt));
  EXPECT_TRUE(on(gte, {num("5.0")}));
  EXPECT_FALSE(on(gte, {num("4")}));
  EXPECT_TRUE(on(lt, {num("-2")}));
  EXPECT_FALSE(on(lt, {num("-1.5")}));
  EXPECT_TRUE(on(lte, {str("2"), str("x")}));
  EXPECT_FALSE(on(lte, {str("3")}));
  EXPECT_FALSE(on(bad, {num("2")}));
}

TEST_P(JitOpcodeTest, TimePartReadsTimestampComponents) {
  uint32_t hour = rule(Opcode::TimePart, builder_.compare(13, kSigrunCompareEq, kSigrunTimeHour));
  uint32_t evening = rule(Opcode::TimePart, builder_.compare(18, kSigrunCompareGte, kSigrunTimeHour));
  uint32_t week = rule(Opcode::TimePart, builder_.compare(53, kSigrunCompareEq, kSigrunTimeWeek));
  uint32_t year = rule(Opcode::TimePart, builder_.compare(2024, kSigrunCompareEq, kSigrunTimeYear));
  compile();
  EXPECT_TRUE(on(hour, {str("2024-05-01T13:45:12.123Z")}));
  EXPECT_TRUE(on(hour, {str("2024-05-01 13:00:00+02:00")}));
  EXPECT_FALSE(on(hour, {str("2024-05-01T12:59:59Z")}));
  EXPECT_FALSE(on(hour, {str("2024-05-01")}));
  EXPECT_FALSE(on(hour, {num("13")}));
  EXPECT_TRUE(on(evening, {str("2024-05-01T23:00:00Z")}));
  EXPECT_FALSE(on(evening, {str("2024-05-01T17:00:00Z")}));
  EXPECT_TRUE(on(week, {str("2021-01-03T00:00:00Z")}));
  EXPECT_FALSE(on(week, {str("2021-01-04T00:00:00Z")}));
  EXPECT_TRUE(on(year, {str("bad"), str("2024-12-31")}));
}

TEST_P(JitOpcodeTest, CidrMatchesAddressesInTheNetwork) {
  uint32_t v4 = rule(Opcode::Cidr, builder_.network(std::string("\x0a\0\0\0", 4), 8));
  uint32_t v6 = rule(Opcode::Cidr, builder_.network(std::string("\xfe\x80", 2) + std::string(14, '\0'), 10));
  compile();
  EXPECT_TRUE(on(v4, {str("10.20.30.40")}));
  EXPECT_TRUE(on(v4, {str("::ffff:10.0.0.1")}));
  EXPECT_FALSE(on(v4, {str("11.0.0.1")}));
  EXPECT_FALSE(on(v4, {str("10.0.0.1 ")}));
  EXPECT_FALSE(on(v4, {num("10")}));
  EXPECT_TRUE(on(v6, {str("fe80::1%eth0")}));
  EXPECT_TRUE(on(v6, {str("1.2.3.4"), str("FEBF::")}));
  EXPECT_FALSE(on(v6, {str("fec0::")}));
  EXPECT_FALSE(on(v6, {str("10.0.0.1")}));
}

TEST_P(JitOpcodeTest, PairOpcodesCompareTwoFields) {
  const uint32_t other = builder_.field("ParentImage");
  auto pair = [&](Opcode op, uint32_t flags) {
    return builder_.rule(builder_.pred(op, slot_, builder_.operand({"", flags, 0, 0}), other));
  };
  uint32_t eq = pair(Opcode::FieldEq, 0);
  uint32_t eq_cased = pair(Opcode::FieldEq, kSigrunCased);
  uint32_t prefix = pair(Opcode::FieldPrefix, 0);
  uint32_t suffix = pair(Opcode::FieldSuffix, 0);
  uint32_t contains = pair(Opcode::FieldContains, 0);
  uint32_t differ = builder_.rule(builder_.negate(builder_.pred(Opcode::FieldEq, slot_, 0, other)));
  compile();
  auto both = [&](uint32_t rule, const std::vector<TestValue>& a, const std::vector<TestValue>& b) {
    EventBuilder event(2);
    event.set(slot_, a);
    event.set(other, b);
    return backends_->run(rule, event.event());
  };
  auto only = [&](uint32_t rule, const std::vector<TestValue>& a) {
    EventBuilder event(2);
    event.set(slot_, a);
    return backends_->run(rule, event.event());
  };
  EXPECT_TRUE(both(eq, {str("C:\\A.exe")}, {str("c:\\a.EXE")}));
  EXPECT_FALSE(both(eq, {str("a")}, {str("b")}));
  EXPECT_FALSE(both(eq, {json_null()}, {json_null()}));
  EXPECT_TRUE(both(eq, {str("x"), str("y")}, {str("z"), str("Y")}));
  EXPECT_FALSE(both(eq, {str("x"), str("y")}, {}));
  EXPECT_FALSE(only(eq, {str("x")}));
  EXPECT_TRUE(both(eq, {num("5")}, {str("5")}));
  EXPECT_TRUE(both(eq_cased, {str("Ab")}, {str("Ab")}));
  EXPECT_FALSE(both(eq_cased, {str("Ab")}, {str("ab")}));
  EXPECT_TRUE(both(prefix, {str("C:\\Dir\\f")}, {str("c:\\dir")}));
  EXPECT_FALSE(both(prefix, {str("c:\\di")}, {str("c:\\dir")}));
  EXPECT_TRUE(both(suffix, {str("user/alice")}, {str("ALICE")}));
  EXPECT_FALSE(both(suffix, {str("alice/user")}, {str("alice")}));
  EXPECT_TRUE(both(contains, {str("run a.exe now")}, {str("A.EXE")}));
  EXPECT_TRUE(both(contains, {str("x")}, {str("")}));
  EXPECT_FALSE(both(contains, {str("run")}, {str("a.exe")}));
  EXPECT_TRUE(both(differ, {str("a")}, {str("b")}));
  EXPECT_TRUE(only(differ, {str("a")}));
  EXPECT_FALSE(both(differ, {str("a")}, {str("A")}));
}

INSTANTIATE_TEST_SUITE_P(Optimization, JitOpcodeTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) { return info.param ? "O2" : "O0"; });

}  // namespace
}  // namespace sigrun::jit::testing
