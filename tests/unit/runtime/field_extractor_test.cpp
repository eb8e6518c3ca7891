// Tests extract/field_extractor.h: field resolution, value kinds and texts, folding, rejection.
#include "extract/field_extractor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sigrun::extract {
namespace {

struct Value {
  uint8_t kind;
  std::string text;
  std::string folded;
  bool operator==(const Value& other) const {
    return kind == other.kind && text == other.text && folded == other.folded;
  }
};

std::ostream& operator<<(std::ostream& out, const Value& value) {
  return out << "{" << int{value.kind} << ", \"" << value.text << "\", \"" << value.folded << "\"}";
}

Value str(const std::string& text) {
  return {kSigrunString, text, text};
}
Value num(const std::string& text) {
  return {kSigrunNumber, text, text};
}
Value obj(const std::string& text) {
  return {kSigrunObject, text, text};
}
Value folded_str(const std::string& text, const std::string& folded) {
  return {kSigrunString, text, folded};
}
const Value kTrue{kSigrunTrue, "true", "true"};
const Value kFalse{kSigrunFalse, "false", "false"};
const Value kNull{kSigrunNull, "null", "null"};

std::vector<program::FieldSlot> plan(std::initializer_list<const char*> paths, bool folding = false) {
  std::vector<program::FieldSlot> fields;
  for (const char* path : paths) {
    fields.push_back({path, folding});
  }
  return fields;
}

// Runs the extractor over `json` placed in a buffer with 64 bytes of padding after it. The padding holds
// JSON-like garbage so a parser reading past the end would notice.
class Extraction {
 public:
  explicit Extraction(const std::vector<program::FieldSlot>& fields) : extractor_(fields) {}

  bool run(const std::string& json) {
    buffer_ = json;
    buffer_.append("]}\"x,{[1 \n\\");
    buffer_.append(64, '}');
    reason_.clear();
    return extractor_.extract(std::string_view(buffer_.data(), json.size()), event_, reason_);
  }

  bool absent(size_t slot) const {
    return event_.slots.at(slot).first == kSigrunAbsent && event_.slots.at(slot).count == 0;
  }

  std::vector<Value> values(size_t slot) const {
    const SigrunSlot& s = event_.slots.at(slot);
    EXPECT_NE(s.first, kSigrunAbsent) << "slot " << slot << " is absent";
    std::vector<Value> out;
    if (s.first == kSigrunAbsent) {
      return out;
    }
    EXPECT_LE(size_t{s.first} + s.count, event_.values.size());
    for (uint32_t i = s.first; i < s.first + s.count; ++i) {
      const SigrunValue& v = event_.values[i];
      out.push_back({v.kind, std::string(v.text, v.text_len), std::string(v.folded, v.folded_len)});
    }
    return out;
  }

  const SigrunValue& value(size_t slot, size_t i = 0) const {
    return event_.values.at(event_.slots.at(slot).first + i);
  }
  const std::string& reason() const { return reason_; }
  const ExtractedEvent& event() const { return event_; }

 private:
  FieldExtractor extractor_;
  ExtractedEvent event_;
  std::string buffer_;
  std::string reason_;
};

using Values = std::vector<Value>;

TEST(FieldExtractorTest, TopLevelScalars) {
  Extraction x(plan({"s", "n", "t", "f", "z", "missing"}));
  ASSERT_TRUE(x.run(R"({"s":"text","n":42,"t":true,"f":false,"z":null,"other":{"s":"no"}})")) << x.reason();
  EXPECT_EQ(x.values(0), Values{str("text")});
  EXPECT_EQ(x.values(1), Values{num("42")});
  EXPECT_EQ(x.values(2), Values{kTrue});
  EXPECT_EQ(x.values(3), Values{kFalse});
  EXPECT_EQ(x.values(4), Values{kNull});
  EXPECT_TRUE(x.absent(5));
  ASSERT_EQ(x.event().slots.size(), 6u);
  EXPECT_EQ(x.event().values.size(), 5u);
}

TEST(FieldExtractorTest, NullIsPresentAbsentIsNot) {
  Extraction x(plan({"a"}));
  ASSERT_TRUE(x.run(R"({"a":null})"));
  EXPECT_EQ(x.values(0), Values{kNull});
  ASSERT_TRUE(x.run(R"({"b":null})"));
  EXPECT_TRUE(x.absent(0));
  ASSERT_TRUE(x.run(R"({})"));
  EXPECT_TRUE(x.absent(0));
}

TEST(FieldExtractorTest, NestedPaths) {
  Extraction x(plan({"userIdentity.arn", "userIdentity.sessionContext.sessionIssuer.userName",
                     "userIdentity.type", "userIdentity.missing", "requestParameters.a.b"}));
  ASSERT_TRUE(
      x.run(R"({"eventName":"X","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/bob",)"
            R"("sessionContext":{"attributes":{},"sessionIssuer":{"type":"Role","userName":"admin"}}},)"
            R"("requestParameters":{"a":"not an object"}})"));
  EXPECT_EQ(x.values(0), Values{str("arn:aws:iam::1:user/bob")});
  EXPECT_EQ(x.values(1), Values{str("admin")});
  EXPECT_EQ(x.values(2), Values{str("IAMUser")});
  EXPECT_TRUE(x.absent(3));
  EXPECT_TRUE(x.absent(4));  // a scalar on the way ends the path
}

TEST(FieldExtractorTest, LiteralDottedKeyWinsOverNestedPath) {
  Extraction x(plan({"a.b"}));
  ASSERT_TRUE(x.run(R"({"a.b":"literal","a":{"b":"nested"}})"));
  EXPECT_EQ(x.values(0), Values{str("literal")});
  // Order in the event does not matter.
  ASSERT_TRUE(x.run(R"({"a":{"b":"nested"},"a.b":"literal"})"));
  EXPECT_EQ(x.values(0), Values{str("literal")});
  // Without the literal key the nested path counts.
  ASSERT_TRUE(x.run(R"({"a":{"b":"nested"},"a.c":"other"})"));
  EXPECT_EQ(x.values(0), Values{str("nested")});
  // A literal null or empty array still wins: the key is present.
  ASSERT_TRUE(x.run(R"({"a":{"b":"nested"},"a.b":null})"));
  EXPECT_EQ(x.values(0), Values{kNull});
  ASSERT_TRUE(x.run(R"({"a":{"b":"nested"},"a.b":[]})"));
  EXPECT_FALSE(x.absent(0));
  EXPECT_EQ(x.values(0), Values{});
  // Never a mix of both sources.
  ASSERT_TRUE(x.run(R"({"a":[{"b":"n1"},{"b":"n2"}],"a.b":["l1","l2"]})"));
  EXPECT_EQ(x.values(0), (Values{str("l1"), str("l2")}));
}

TEST(FieldExtractorTest, EscapedKeyIsMatchedUnescaped) {
  Extraction x(plan({"a.b", "c"}));
  ASSERT_TRUE(x.run(R"({"a\u002eb":1,"\u0063":"see"})"));
  EXPECT_EQ(x.values(0), Values{num("1")});
  EXPECT_EQ(x.values(1), Values{str("see")});
}

TEST(FieldExtractorTest, FieldThatIsAlsoAPrefixOfAnother) {
  Extraction x(plan({"a", "a.b", "a.b.c"}));
  ASSERT_TRUE(x.run(R"({"a":{"b":{"c":"deep"}}})"));
  EXPECT_EQ(x.values(0), Values{obj(R"({"b":{"c":"deep"}})")});
  EXPECT_EQ(x.values(1), Values{obj(R"({"c":"deep"})")});
  EXPECT_EQ(x.values(2), Values{str("deep")});
}

TEST(FieldExtractorTest, ArrayOfScalars) {
  Extraction x(plan({"a"}));
  ASSERT_TRUE(x.run(R"({"a":[1,"x",true,null,false,2.5]})"));
  EXPECT_EQ(x.values(0), (Values{num("1"), str("x"), kTrue, kNull, kFalse, num("2.5")}));
}

TEST(FieldExtractorTest, ArrayOfObjectsTakesTheRestOfThePath) {
  Extraction x(plan({"a.b", "a.b.c"}));
  ASSERT_TRUE(x.run(R"({"a":[{"b":1},{"c":2},"scalar",{"b":"y"},{"b":{"c":"z"}},[{"b":"inner"}]]})"));
  EXPECT_EQ(x.values(0), (Values{num("1"), str("y"), obj(R"({"c":"z"})"), str("inner")}));
  EXPECT_EQ(x.values(1), Values{str("z")});
  // An array deeper down works the same way.
  ASSERT_TRUE(x.run(R"({"a":{"b":[{"c":1},{"c":[2,3]},{"d":4}]}})"));
  EXPECT_EQ(x.values(1), (Values{num("1"), num("2"), num("3")}));
}

TEST(FieldExtractorTest, NestedArraysAreFlattened) {
  Extraction x(plan({"a"}));
  ASSERT_TRUE(x.run(R"({"a":[[1,2],[3,[4,[]]],{"k":[5]},[]]})"));
  EXPECT_EQ(x.values(0), (Values{num("1"), num("2"), num("3"), num("4"), obj(R"({"k":[5]})")}));
}

TEST(FieldExtractorTest, EmptyArrayIsPresentWithNoValues) {
  Extraction x(plan({"a", "b", "c.d"}));
  ASSERT_TRUE(x.run(R"({"a":[],"b":[[],[[]]],"c":[]})"));
  EXPECT_FALSE(x.absent(0));
  EXPECT_EQ(x.event().slots[0].count, 0u);
  EXPECT_FALSE(x.absent(1));
  EXPECT_EQ(x.event().slots[1].count, 0u);
  EXPECT_TRUE(x.absent(2));  // no element holds d
  ASSERT_TRUE(x.run(R"({"c":[{"d":[]}]})"));
  EXPECT_FALSE(x.absent(2));
  EXPECT_EQ(x.event().slots[2].count, 0u);
}

TEST(FieldExtractorTest, ObjectBecomesCompactJson) {
  Extraction x(plan({"o", "e", "p"}));
  ASSERT_TRUE(
      x.run("{\"o\" : { \"k\" : [ 1 , 2.50 , \"s\\\"q\\\\\" ] ,\n \"n\" : { } , \"t\" : true, "
            "\"u\":null, \"c\":\"\\u0001\\n\\t\\u00e9\\/\"}, \"e\":{}, \"p\":[{\"x\":1e2}, 3]}"));
  EXPECT_EQ(x.values(0), Values{obj(R"({"k":[1,2.5,"s\"q\\"],"n":{},"t":true,"u":null,"c":"\u0001\n\t)"
                                    "\xC3\xA9"
                                    R"(/"})")});
  EXPECT_EQ(x.values(1), Values{obj("{}")});
  EXPECT_EQ(x.values(2), (Values{obj(R"({"x":100})"), num("3")}));
}

// Strings inside objects are re-escaped, scanning 8 bytes at a time: put each character that needs an
// escape at every position of a longer string, next to bytes that need none (DEL, UTF-8).
TEST(FieldExtractorTest, ObjectTextEscapesAtEveryPosition) {
  Extraction x(plan({"o"}));
  const std::pair<std::string, std::string> specials[] = {
      {"\\\"", "\\\""},       {"\\\\", "\\\\"},    {"\\n", "\\n"},          {"\\u0001", "\\u0001"},
      {"\\u001f", "\\u001f"}, {"\\u007f", "\x7f"}, {"\\u00e9", "\xC3\xA9"}, {" ", " "}};
  for (const auto& [in, want] : specials) {
    for (size_t at = 0; at <= 19; ++at) {
      const std::string before = std::string(at, 'b') + "\xE2\x82\xAC";  // plus €
      const std::string after(19 - at, 'a');
      ASSERT_TRUE(x.run("{\"o\":{\"k\":\"" + before + in + after + "\"}}")) << x.reason();
      EXPECT_EQ(x.values(0), Values{obj("{\"k\":\"" + before + want + after + "\"}")}) << in << " " << at;
    }
  }
}

TEST(FieldExtractorTest, NumberTexts) {
  Extraction x(plan({"a"}));
  const std::pair<const char*, const char*> cases[] = {
      {"0", "0"},
      {"-5", "-5"},
      {"4688", "4688"},
      {"-0", "0"},
      {"-0.0", "-0"},
      {"1.0", "1"},
      {"1e2", "100"},
      {"0.1", "0.1"},
      {"3.14159", "3.14159"},
      {"1.5e300", "1.5e+300"},
      {"2.5E-7", "2.5e-07"},
      {"9223372036854775807", "9223372036854775807"},
      {"-9223372036854775808", "-9223372036854775808"},
      {"9223372036854775808", "9223372036854775808"},
      {"18446744073709551615", "18446744073709551615"},
  };
  for (const auto& [in, want] : cases) {
    ASSERT_TRUE(x.run(std::string("{\"a\":") + in + "}")) << in << ": " << x.reason();
    EXPECT_EQ(x.values(0), Values{num(want)}) << in;
  }
}

TEST(FieldExtractorTest, StringsAreUnescaped) {
  Extraction x(plan({"s"}));
  ASSERT_TRUE(x.run(R"({"s":"C:\\Windows\\\"x\"\n\t\u00e9\ud83d\ude00\/\u0000end"})"));
  const std::string want = std::string("C:\\Windows\\\"x\"\n\t\xC3\xA9\xF0\x9F\x98\x80/") + '\0' + "end";
  EXPECT_EQ(x.values(0), Values{str(want)});
}

TEST(FieldExtractorTest, DuplicateKeysFirstOccurrenceWins) {
  Extraction x(plan({"a", "o.b", "p.q", "l.m"}));
  ASSERT_TRUE(x.run(R"({"a":1,"o":{"b":"first","b":"second"},"a":2,"p":{"q":"one"},"p":{"q":"two"},)"
                    R"("l.m":"lit1","l.m":"lit2"})"));
  EXPECT_EQ(x.values(0), Values{num("1")});
  EXPECT_EQ(x.values(1), Values{str("first")});
  EXPECT_EQ(x.values(2), Values{str("one")});
  EXPECT_EQ(x.values(3), Values{str("lit1")});
  // Each element of an array is its own object: the same key in two elements is no duplicate.
  ASSERT_TRUE(x.run(R"({"o":[{"b":1,"b":2},{"b":3}]})"));
  EXPECT_EQ(x.values(1), (Values{num("1"), num("3")}));
}

TEST(FieldExtractorTest, OddPathSegments) {
  Extraction x(plan({"a..b", ".c", "d.", "with space.x", "-"}));
  ASSERT_TRUE(x.run(R"({"a":{"":{"b":1}},"":{"c":2},"d":{"":3},"with space":{"x":4},"-":5})"));
  EXPECT_EQ(x.values(0), Values{num("1")});
  EXPECT_EQ(x.values(1), Values{num("2")});
  EXPECT_EQ(x.values(2), Values{num("3")});
  EXPECT_EQ(x.values(3), Values{num("4")});
  EXPECT_EQ(x.values(4), Values{num("5")});
}

TEST(FieldExtractorTest, FoldingFillsFolded) {
  std::vector<program::FieldSlot> fields = {{"Image", true}, {"User", false},  {"Obj", true},  {"Num", true},
                                            {"Greek", true}, {"Kelvin", true}, {"lower", true}};
  Extraction x(fields);
  ASSERT_TRUE(
      x.run("{\"Image\":\"C:\\\\Windows\\\\CMD.exe\",\"User\":\"Bob\",\"Obj\":{\"K\":\"V\xC3\x89\"},"
            "\"Num\":1E3,\"Greek\":\"\xCE\xA3\xCE\xAF\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x82\","
            "\"Kelvin\":\"5 \xE2\x84\xAA\",\"lower\":\"already lower\"}"));
  EXPECT_EQ(x.values(0), Values{folded_str("C:\\Windows\\CMD.exe", "c:\\windows\\cmd.exe")});
  EXPECT_EQ(x.values(1), Values{str("Bob")});
  EXPECT_EQ(x.value(1).folded, x.value(1).text);  // no folding: the same text
  EXPECT_EQ(x.values(2), (Values{{kSigrunObject, "{\"K\":\"V\xC3\x89\"}", "{\"k\":\"v\xC3\xA9\"}"}}));
  EXPECT_EQ(x.values(3), Values{num("1000")});
  // Σίσυφος → σίσυφοσ (final sigma folds to σ)
  EXPECT_EQ(x.values(4), Values{folded_str("\xCE\xA3\xCE\xAF\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x82",
                                           "\xCF\x83\xCE\xAF\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x83")});
  EXPECT_EQ(x.values(5), Values{folded_str("5 \xE2\x84\xAA", "5 k")});
  EXPECT_EQ(x.values(6), Values{str("already lower")});
}

// Whether a value needs folding at all is decided 8 bytes at a time: put the one capital at every
// position, ASCII and not.
TEST(FieldExtractorTest, FoldingFindsEveryCapital) {
  Extraction x(std::vector<program::FieldSlot>{{"v", true}});
  for (const auto& [upper, lower] : {std::pair<std::string, std::string>{"Q", "q"},
                                     {"\xC3\x89", "\xC3\xA9"},
                                     {"\xCE\xA3", "\xCF\x83"},
                                     {"\xE2\x84\xAA", "k"}}) {
    for (size_t at = 0; at <= 17; ++at) {
      const std::string before(at, 'a');
      const std::string after(17 - at, 'z');
      ASSERT_TRUE(x.run("{\"v\":\"" + before + upper + after + "\"}"));
      EXPECT_EQ(x.values(0), Values{folded_str(before + upper + after, before + lower + after)}) << at;
    }
  }
}

TEST(FieldExtractorTest, FoldingCyrillic) {
  Extraction x(std::vector<program::FieldSlot>{{"Group", true}});
  const std::string upper =
      "\xD0\x90\xD0\xB4\xD0\xBC\xD0\xB8\xD0\xBD\xD0\xB8\xD1\x81\xD1\x82\xD1\x80\xD0\xB0\xD1\x82\xD0\xBE\xD1"
      "\x80\xD1\x8B";
  const std::string lower =
      "\xD0\xB0\xD0\xB4\xD0\xBC\xD0\xB8\xD0\xBD\xD0\xB8\xD1\x81\xD1\x82\xD1\x80\xD0\xB0\xD1\x82\xD0\xBE\xD1"
      "\x80\xD1\x8B";
  ASSERT_TRUE(x.run("{\"Group\":\"" + upper + "\"}"));
  EXPECT_EQ(x.values(0), Values{folded_str(upper, lower)});
}

// Many values whose texts live in storage, so storage reallocates while they are produced: every pointer
// must still be right at the end.
TEST(FieldExtractorTest, ManyStoredValuesStayValid) {
  std::vector<program::FieldSlot> fields = {{"n", true}, {"o", true}, {"s", true}};
  Extraction x(fields);
  std::string json = "{\"n\":[";
  for (int i = 0; i < 3000; ++i) {
    json += (i ? "," : "") + std::to_string(i * 7) + ".5";
  }
  json += "],\"o\":[";
  for (int i = 0; i < 1000; ++i) {
    json += std::string(i ? "," : "") + "{\"K\":" + std::to_string(i) + "}";
  }
  json += "],\"s\":[";
  for (int i = 0; i < 1000; ++i) {
    json += std::string(i ? "," : "") + "\"ABC" + std::to_string(i) + "\"";
  }
  json += "]}";
  ASSERT_TRUE(x.run(json));
  const Values n = x.values(0);
  ASSERT_EQ(n.size(), 3000u);
  for (int i = 0; i < 3000; ++i) {
    EXPECT_EQ(n[i], num(std::to_string(i * 7) + ".5"));
  }
  const Values o = x.values(1);
  ASSERT_EQ(o.size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    const std::string i_text = std::to_string(i);
    EXPECT_EQ(o[i], (Value{kSigrunObject, "{\"K\":" + i_text + "}", "{\"k\":" + i_text + "}"}));
  }
  const Values s = x.values(2);
  ASSERT_EQ(s.size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(s[i], folded_str("ABC" + std::to_string(i), "abc" + std::to_string(i)));
  }
}

TEST(FieldExtractorTest, RunsAreContiguousPerSlot) {
  // Values of different slots interleave in the document; each slot still gets one run, in document
  // order.
  Extraction x(plan({"r.a", "r.b"}));
  ASSERT_TRUE(x.run(R"({"r":[{"a":1,"b":2},{"b":3,"a":4},{"a":5}]})"));
  EXPECT_EQ(x.values(0), (Values{num("1"), num("4"), num("5")}));
  EXPECT_EQ(x.values(1), (Values{num("2"), num("3")}));
  EXPECT_EQ(x.event().values.size(), 5u);
}

TEST(FieldExtractorTest, ManyFields) {
  std::vector<program::FieldSlot> fields;
  std::string json = "{";
  for (int i = 0; i < 500; ++i) {
    fields.push_back({"Field" + std::to_string(i), false});
    if (i % 2 == 0) {
      json += (i ? "," : "") + std::string("\"Field") + std::to_string(i) + "\":" + std::to_string(i);
    }
  }
  fields.push_back({"Outer.Field7", false});
  json += ",\"Outer\":{\"Field7\":\"x\"}}";
  Extraction x(fields);
  ASSERT_TRUE(x.run(json));
  for (int i = 0; i < 500; ++i) {
    if (i % 2 == 0) {
      EXPECT_EQ(x.values(i), Values{num(std::to_string(i))}) << i;
    } else {
      EXPECT_TRUE(x.absent(i)) << i;
    }
  }
  EXPECT_EQ(x.values(500), Values{str("x")});
}

// Keys of equal length that differ only in the middle hash alike (the hash reads the first and last
// 8 bytes): lookups must still tell them apart.
TEST(FieldExtractorTest, KeysDifferingOnlyInTheMiddle) {
  std::vector<program::FieldSlot> fields;
  std::string json = "{";
  for (int i = 0; i < 40; ++i) {
    const std::string key = "Microsoft_" + std::to_string(100 + i) + "_EventData";
    fields.push_back({key, false});
    if (i % 4 != 3) {
      json += "\"" + key + "\":" + std::to_string(i) + ",";
    }
  }
  json += "\"Microsoft_999_EventData\":\"not wanted\"}";
  Extraction x(fields);
  ASSERT_TRUE(x.run(json)) << x.reason();
  for (int i = 0; i < 40; ++i) {
    if (i % 4 != 3) {
      EXPECT_EQ(x.values(i), Values{num(std::to_string(i))}) << i;
    } else {
      EXPECT_TRUE(x.absent(i)) << i;
    }
  }
  EXPECT_EQ(x.event().values.size(), 30u);
}

TEST(FieldExtractorTest, ReuseAcrossEvents) {
  Extraction x(plan({"a", "b.c"}));
  ASSERT_TRUE(x.run(R"({"a":[1,2,3],"b":{"c":{"d":"long object text"}}})"));
  EXPECT_EQ(x.values(0), (Values{num("1"), num("2"), num("3")}));
  ASSERT_TRUE(x.run(R"({"b":{"c":"short"}})"));
  EXPECT_TRUE(x.absent(0));
  EXPECT_EQ(x.values(1), Values{str("short")});
  EXPECT_EQ(x.event().values.size(), 1u);
  ASSERT_FALSE(x.run(R"({"a":)"));
  ASSERT_TRUE(x.run(R"({"a":"again"})"));
  EXPECT_EQ(x.values(0), Values{str("again")});
  EXPECT_TRUE(x.absent(1));
}

TEST(FieldExtractorTest, MalformedJsonIsRejected) {
  Extraction x(plan({"a"}));
  const char* const malformed[] = {
      R"({"a":1)",  // truncated
      R"({"a":"unterminated)",
      R"({"b": tru})",      // a bad value in a field no rule reads
      R"({"a":1} x)",       // trailing garbage
      R"({"a":1}{"a":2})",  // two documents
      R"({"a":1,})",
      R"({'a':1})",
      "{\"a\":\"\xFF\"}",               // invalid UTF-8
      "{\"a\":\"\x01\"}",               // raw control character in a string
      R"({"a":18446744073709551616})",  // beyond uint64: simdjson 3.0.1 rejects it
      "",
      "   ",
  };
  for (const char* json : malformed) {
    EXPECT_FALSE(x.run(json)) << json;
    EXPECT_EQ(x.reason().rfind("malformed JSON: ", 0), 0u) << json << " -> " << x.reason();
    EXPECT_GT(x.reason().size(), std::string("malformed JSON: ").size()) << json;
  }
}

TEST(FieldExtractorTest, NonObjectEventIsRejected) {
  Extraction x(plan({"a"}));
  for (const char* json : {"[1,2]", "[{\"a\":1}]", "\"text\"", "42", "null", "true"}) {
    EXPECT_FALSE(x.run(json)) << json;
    EXPECT_EQ(x.reason(), "event is not a JSON object") << json;
  }
}

TEST(FieldExtractorTest, DepthLimits) {
  Extraction x(plan({"a"}));
  // 1000 levels of arrays: within simdjson's limit of 1024, flattened to nothing.
  ASSERT_TRUE(x.run("{\"a\":" + std::string(1000, '[') + std::string(1000, ']') + "}")) << x.reason();
  EXPECT_FALSE(x.absent(0));
  EXPECT_EQ(x.event().slots[0].count, 0u);
  // 1000 levels of objects as a value: compact text.
  std::string deep;
  for (int i = 0; i < 1000; ++i) {
    deep += "{\"k\":";
  }
  deep += "1";
  deep += std::string(1000, '}');
  ASSERT_TRUE(x.run("{\"a\":" + deep + "}")) << x.reason();
  EXPECT_EQ(x.values(0), Values{obj(deep)});
  // Deeper than the parser allows: rejected, not a crash.
  EXPECT_FALSE(x.run("{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}"));
  EXPECT_EQ(x.reason().rfind("malformed JSON: ", 0), 0u);
}

TEST(FieldExtractorTest, EmptyPlanStillValidates) {
  Extraction x(std::vector<program::FieldSlot>{});
  EXPECT_TRUE(x.run(R"({"a":1})"));
  EXPECT_TRUE(x.event().slots.empty());
  EXPECT_FALSE(x.run(R"({"a":tru})"));
}

TEST(FieldExtractorTest, MovedExtractorKeepsWorking) {
  FieldExtractor first(plan({"a.b"}));
  FieldExtractor second = std::move(first);
  std::string json = R"({"a":{"b":"v"}})";
  const size_t length = json.size();
  json.append(64, ' ');
  ExtractedEvent event;
  std::string reason;
  ASSERT_TRUE(second.extract(std::string_view(json.data(), length), event, reason));
  ASSERT_EQ(event.slots.size(), 1u);
  ASSERT_EQ(event.slots[0].count, 1u);
  EXPECT_EQ(std::string(event.values[0].text, event.values[0].text_len), "v");
  const SigrunEvent view = event.view();
  EXPECT_EQ(view.slots, event.slots.data());
  EXPECT_EQ(view.values, event.values.data());
}

}  // namespace
}  // namespace sigrun::extract
