// Tests output/output.h: message templates, JSON string escaping and the match line.
#include "output/output.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace sigrun::output {
namespace {

using Fields = std::vector<std::string>;

std::string render(std::string_view tpl, const std::map<std::string, std::string, std::less<>>& values) {
  return render_message(tpl, [&](std::string_view path) -> std::optional<std::string> {
    const auto it = values.find(path);
    if (it == values.end()) {
      return std::nullopt;
    }
    return it->second;
  });
}

std::string json(std::string_view text) {
  std::string out;
  append_json_string(text, out);
  return out;
}

TEST(MessageFieldsTest, PathsInOrderWithoutDuplicates) {
  EXPECT_EQ(
      message_fields("User {{ user.name }} ran {{Image}} on {{host|unknown}}, again {{Image}} {{ host }}"),
      (Fields{"user.name", "Image", "host"}));
  EXPECT_EQ(message_fields(""), Fields{});
  EXPECT_EQ(message_fields("no placeholders { } }} {"), Fields{});
  EXPECT_EQ(message_fields("{{a}}{{b}}"), (Fields{"a", "b"}));
  EXPECT_EQ(message_fields("unclosed {{a"), Fields{});
  EXPECT_EQ(message_fields("{{}} {{ | fallback }} {{x}}"), Fields{"x"});
  EXPECT_EQ(message_fields("{{ {{inner}}"), Fields{"inner"});
  EXPECT_EQ(message_fields("{{{a}}}"), Fields{"a"});
  EXPECT_EQ(message_fields("{{requestParameters.bucketName|?}}"), Fields{"requestParameters.bucketName"});
}

TEST(RenderMessageTest, Substitutes) {
  const std::map<std::string, std::string, std::less<>> values = {
      {"user.name", "bob"}, {"Image", "C:\\cmd.exe"}, {"empty", ""}};
  EXPECT_EQ(render("User {{ user.name }} ran {{Image}}.", values), "User bob ran C:\\cmd.exe.");
  EXPECT_EQ(render("{{user.name}}{{Image}}", values), "bobC:\\cmd.exe");
  EXPECT_EQ(render("plain text", values), "plain text");
  EXPECT_EQ(render("", values), "");
}

TEST(RenderMessageTest, MissingFieldsAndFallbacks) {
  const std::map<std::string, std::string, std::less<>> values = {{"present", "yes"}, {"empty", ""}};
  EXPECT_EQ(render("[{{missing}}]", values), "[]");
  EXPECT_EQ(render("[{{missing|n/a}}]", values), "[n/a]");
  EXPECT_EQ(render("[{{ missing | n/a }}]", values), "[n/a]");
  EXPECT_EQ(render("[{{missing|}}]", values), "[]");
  EXPECT_EQ(render("[{{present|n/a}}]", values), "[yes]");
  // An empty value is present: the fallback is only for absent fields.
  EXPECT_EQ(render("[{{empty|n/a}}]", values), "[]");
  // Only the first '|' separates; the fallback may contain more.
  EXPECT_EQ(render("[{{missing|a|b}}]", values), "[a|b]");
}

TEST(RenderMessageTest, UnusualBraces) {
  const std::map<std::string, std::string, std::less<>> values = {{"a", "A"}};
  EXPECT_EQ(render("unclosed {{a", values), "unclosed {{a");
  EXPECT_EQ(render("{{a}} then unclosed {{a", values), "A then unclosed {{a");
  EXPECT_EQ(render("{{ {{a}}", values), "{{ A");
  EXPECT_EQ(render("{{{a}}}", values), "{A}");
  EXPECT_EQ(render("{a} }} {", values), "{a} }} {");
  EXPECT_EQ(render("{{}} and {{ }}", values), "{{}} and {{ }}");
}

TEST(JsonStringTest, Escapes) {
  EXPECT_EQ(json(""), "\"\"");
  EXPECT_EQ(json("plain"), "\"plain\"");
  EXPECT_EQ(json("say \"hi\" C:\\x"), R"("say \"hi\" C:\\x")");
  EXPECT_EQ(json("\n\t\r\b\f"), R"("\n\t\r\b\f")");
  EXPECT_EQ(json(std::string("\0\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(json("/"), "\"/\"");
  for (int c = 0; c < 0x20; ++c) {
    const std::string out = json(std::string(1, static_cast<char>(c)));
    EXPECT_EQ(out[1], '\\') << c;
    EXPECT_TRUE(out.size() == 4 || out.size() == 8) << c;
  }
}

TEST(JsonStringTest, AppendsWithoutClearing) {
  std::string out = "x=";
  append_json_string("y", out);
  EXPECT_EQ(out, "x=\"y\"");
}

TEST(JsonStringTest, KeepsValidUtf8) {
  const std::string text =
      "\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80 \xEF\xBF\xBF \xF4\x8F\xBF\xBF \xE2\x80\xA8";
  EXPECT_EQ(json(text), "\"" + text + "\"");
}

TEST(JsonStringTest, ReplacesInvalidUtf8) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(json("a\xFF"
                 "b"),
            "\"a" + fffd + "b\"");
  EXPECT_EQ(json("\x80"), "\"" + fffd + "\"");
  // A truncated sequence is one replacement character.
  EXPECT_EQ(json("\xE2\x82"
                 "x"),
            "\"" + fffd + "x\"");
  EXPECT_EQ(json("\xF0\x9F\x98"), "\"" + fffd + "\"");
  // Overlong forms, surrogates and code points past U+10FFFF: one per byte that cannot start or continue.
  EXPECT_EQ(json("\xC0\xAF"), "\"" + fffd + fffd + "\"");
  EXPECT_EQ(json("\xE0\x80\xAF"), "\"" + fffd + fffd + fffd + "\"");
  EXPECT_EQ(json("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");
  EXPECT_EQ(json("\xF4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");
  // Escaping still works around replacements.
  EXPECT_EQ(json("\"\xFF\n"), "\"\\\"" + fffd + "\\n\"");
}

TEST(MatchJsonTest, KeyOrderAndEscaping) {
  program::RuleInfo rule;
  rule.id = "5f0a5e0a-0000-4000-8000-000000000001";
  rule.title = "Suspicious \"CMD\"";
  rule.level = "high";
  rule.status = "test";
  rule.author = "Ana \xC3\x81lvarez, Bob";
  rule.description = "not in the output";
  rule.tags = {"attack.execution", "attack.t1059"};
  const std::string event = R"({"Image":"C:\\cmd.exe", "n": 1})";
  Match match{&rule, event, 42, "ran C:\\cmd.exe\n"};
  std::string out = "previous\n";
  append_match_json(match, out);
  EXPECT_EQ(out,
            "previous\n"
            R"({"rule":{"id":"5f0a5e0a-0000-4000-8000-000000000001","title":"Suspicious \"CMD\"",)"
            R"("level":"high","status":"test","author":"Ana )"
            "\xC3\x81"
            R"(lvarez, Bob","tags":["attack.execution","attack.t1059"]},"message":"ran C:\\cmd.exe\n",)"
            R"("line":42,"event":{"Image":"C:\\cmd.exe", "n": 1}})"
            "\n");
}

TEST(MatchJsonTest, EmptyFields) {
  program::RuleInfo rule;
  Match match{&rule, "{}", 18446744073709551615ull, ""};
  std::string out;
  append_match_json(match, out);
  EXPECT_EQ(out, R"({"rule":{"id":"","title":"","level":"","status":"","author":"","tags":[]},"message":"",)"
                 R"("line":18446744073709551615,"event":{}})"
                 "\n");
  out.clear();
  match.event = std::string_view();
  append_match_json(match, out);
  EXPECT_NE(out.find(R"("event":null})"), std::string::npos) << out;
}

TEST(MatchJsonTest, AnEventOverSeveralLinesStaysOnOneLine) {
  program::RuleInfo rule;
  Match match{&rule, "{\r\n  \"a\": \"x y\",\n  \"b\": [1,\n 2]\n}", 3, ""};
  std::string out = "previous\n";
  append_match_json(match, out);
  EXPECT_EQ(out,
            "previous\n"
            R"({"rule":{"id":"","title":"","level":"","status":"","author":"","tags":[]},"message":"",)"
            R"("line":3,"event":{    "a": "x y",   "b": [1,  2] }})"
            "\n");
}

}  // namespace
}  // namespace sigrun::output
