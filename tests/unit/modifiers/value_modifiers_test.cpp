// The value transformations of the modifiers (compiler/ir/value_modifiers.h): Base64 and its offsets,
// UTF-16, windash and placeholder expansion, checked against pySigma's results.
#include "ir/value_modifiers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sigrun::ir {
namespace {

std::vector<std::string> visible_all(const std::vector<Symbols>& alternatives) {
  std::vector<std::string> out;
  for (const Symbols& s : alternatives)
    out.push_back(visible(s));
  return out;
}

TEST(ParseSymbols, EscapesAndWildcards) {
  EXPECT_EQ(visible(parse_symbols(R"(C:\Windows\)")), R"(C:\Windows\)");
  EXPECT_EQ(visible(parse_symbols(R"(\\*a?\*\?)")), R"(\<*>a<?>*?)");
  EXPECT_TRUE(has_wildcards(parse_symbols("a*")));
  EXPECT_FALSE(has_wildcards(parse_symbols(R"(a\*)")));
  EXPECT_EQ(symbol_bytes(parse_symbols(R"(a\*b)")), "a*b");
}

TEST(Base64, EncodesRfc4648TestVectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(Base64, OffsetsAsPySigma) {
  const std::array<std::string, 3> foobar = base64_offsets("foobar");
  EXPECT_EQ(foobar[0], "Zm9vYmFy");
  EXPECT_EQ(foobar[1], "Zvb2Jhc");
  EXPECT_EQ(foobar[2], "mb29iYX");
  const std::array<std::string, 3> wide = base64_offsets(std::string("a\0b\0", 4));
  EXPECT_EQ(wide[0], "YQBiA");
  EXPECT_EQ(wide[1], "EAYg");
  EXPECT_EQ(wide[2], "hAGIA");
  const std::array<std::string, 3> mimikatz = base64_offsets("Invoke-Mimikatz");
  EXPECT_EQ(mimikatz[0], "SW52b2tlLU1pbWlrYXR6");
  EXPECT_EQ(mimikatz[1], "ludm9rZS1NaW1pa2F0e");
  EXPECT_EQ(mimikatz[2], "JbnZva2UtTWltaWthdH");
  // One byte: pySigma's slices leave the middle alignment empty.
  const std::array<std::string, 3> one = base64_offsets("a");
  EXPECT_EQ(one[0], "Y");
  EXPECT_EQ(one[1], "");
  EXPECT_EQ(one[2], "h");
}

TEST(Utf16, EncodesEachForm) {
  const Symbols ab = parse_symbols("ab");
  EXPECT_EQ(visible(encode_utf16(ab, Utf16Form::LittleEndian)), "a\\x00b\\x00");
  EXPECT_EQ(visible(encode_utf16(ab, Utf16Form::BigEndian)), "\\x00a\\x00b");
  EXPECT_EQ(visible(encode_utf16(ab, Utf16Form::LittleEndianWithBom)), "\\xff\\xfea\\x00b\\x00");
  // Non-ASCII and a code point outside the BMP (a surrogate pair).
  EXPECT_EQ(visible(encode_utf16(parse_symbols("é"), Utf16Form::LittleEndian)), "\\xe9\\x00");
  EXPECT_EQ(visible(encode_utf16(parse_symbols("\xF0\x9F\x98\x80"), Utf16Form::LittleEndian)),
            "=\\xd8\\x00\\xde");
  // Wildcards stay tokens.
  EXPECT_EQ(visible(encode_utf16(parse_symbols("a*b"), Utf16Form::LittleEndian)), "a\\x00<*>b\\x00");
}

TEST(Windash, ExpandsOnlyDashesAtAWordStart) {
  // pySigma's test: the inner dash of `param-1` stays.
  const std::vector<Symbols> params = expand_windash(parse_symbols("-param-1 -param2"));
  EXPECT_EQ(params.size(), 25u);
  EXPECT_EQ(visible(params[0]), "-param-1 -param2");
  EXPECT_EQ(visible(params[1]), "-param-1 /param2");
  EXPECT_EQ(params[2], parse_symbols("-param-1 \xE2\x80\x93param2"));
  EXPECT_EQ(params[3], parse_symbols("-param-1 \xE2\x80\x94param2"));
  EXPECT_EQ(params[4], parse_symbols("-param-1 \xE2\x80\x95param2"));
  EXPECT_EQ(visible(params[5]), "/param-1 -param2");
  EXPECT_EQ(windash_positions(parse_symbols("start/b")), 0u);
  EXPECT_EQ(windash_positions(parse_symbols("a - b")), 0u);  // not followed by a word character
  EXPECT_EQ(windash_positions(parse_symbols("-")), 0u);
  EXPECT_EQ(windash_positions(parse_symbols("*-k")), 1u);  // a wildcard is not a word character
  EXPECT_EQ(windash_positions(parse_symbols("-*k")), 0u);
  EXPECT_EQ(windash_positions(parse_symbols("é-k")), 0u);  // é is a word character
  EXPECT_EQ(windash_positions(parse_symbols("\"-k")), 1u);
  EXPECT_EQ(windash_positions(parse_symbols(" -é")), 1u);
  EXPECT_EQ(windash_positions(parse_symbols("_-k")), 0u);
  EXPECT_EQ(visible_all(expand_windash(parse_symbols("none"))), std::vector<std::string>{"none"});
}

TEST(Windash, WordCharactersAreUnicodeLettersAndDigits) {
  EXPECT_TRUE(is_word_code_point('a'));
  EXPECT_TRUE(is_word_code_point('_'));
  EXPECT_TRUE(is_word_code_point('7'));
  EXPECT_TRUE(is_word_code_point(0x00E9));  // é
  EXPECT_TRUE(is_word_code_point(0x0416));  // Ж
  EXPECT_TRUE(is_word_code_point(0x4E2D));  // 中
  EXPECT_TRUE(is_word_code_point(0x0663));  // Arabic-Indic digit three
  EXPECT_FALSE(is_word_code_point('-'));
  EXPECT_FALSE(is_word_code_point(' '));
  EXPECT_FALSE(is_word_code_point(0x2013));  // en dash
  EXPECT_FALSE(is_word_code_point(0x00A0));  // no-break space
  EXPECT_FALSE(is_word_code_point(0x0301));  // a combining mark
}

TEST(Placeholders, ReplacesEachPlaceholderByEachValue) {
  const PlaceholderValues values = {{"a", {"x", "y"}}, {"b", {"1", "2*"}}, {"DC-NAME", {"dc01"}}};
  PlaceholderResult r = expand_placeholders(parse_symbols("%a%-%b%"), &values, 100);
  EXPECT_EQ(r.unresolved, "");
  EXPECT_EQ(visible_all(r.alternatives), (std::vector<std::string>{"x-1", "x-2<*>", "y-1", "y-2<*>"}));
  r = expand_placeholders(parse_symbols("%DC-NAME%"), &values, 100);
  EXPECT_EQ(visible_all(r.alternatives), std::vector<std::string>{"dc01"});
  // `\%` is a percent sign and never opens a placeholder.
  r = expand_placeholders(parse_symbols(R"(50\% %a% \%a%)"), &values, 100);
  EXPECT_EQ(visible_all(r.alternatives), (std::vector<std::string>{"50% x %a%", "50% y %a%"}));
  // Placeholders do not span wildcards, and `%%` or `% a%` is no placeholder.
  r = expand_placeholders(parse_symbols("%a*b% %% % a%"), &values, 100);
  EXPECT_EQ(visible_all(r.alternatives), std::vector<std::string>{"%a<*>b% %% % a%"});
}

TEST(Placeholders, ReportsUnresolvedAndTooMany) {
  const PlaceholderValues values = {{"a", {"x", "y", "z"}}};
  EXPECT_EQ(expand_placeholders(parse_symbols("%a% %b%"), &values, 100).unresolved, "b");
  EXPECT_EQ(expand_placeholders(parse_symbols("%a%"), nullptr, 100).unresolved, "a");
  EXPECT_TRUE(expand_placeholders(parse_symbols("%a%%a%%a%"), &values, 26).too_many);
  EXPECT_FALSE(expand_placeholders(parse_symbols("%a%%a%%a%"), &values, 27).too_many);
}

TEST(Placeholders, RegexValuesAreInsertedVerbatim) {
  const PlaceholderValues values = {{"p", {"a+b", "c\\d"}}};
  const PlaceholderResult r = expand_regex_placeholders("^%p%$", &values, 100);
  EXPECT_EQ(visible_all(r.alternatives), (std::vector<std::string>{"^a+b$", "^c\\d$"}));
}

}  // namespace
}  // namespace sigrun::ir
