// Tests interp/case_fold.h: simple case folding of code points and UTF-8 text.
#include "interp/case_fold.h"

#include <gtest/gtest.h>

#include <string>

namespace sigrun::interp {
namespace {

std::string utf8(uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

TEST(CaseFoldTest, Ascii) {
  EXPECT_EQ(fold(""), "");
  EXPECT_EQ(fold("A"), "a");
  EXPECT_EQ(fold("C:\\Windows\\System32\\CMD.EXE /c WHOAMI"), "c:\\windows\\system32\\cmd.exe /c whoami");
  // Characters next to the letters in the code table must not move.
  EXPECT_EQ(fold("@[`{"), "@[`{");
  std::string all;
  std::string expected;
  for (int c = 0; c < 0x80; ++c) {
    all += static_cast<char>(c);
    expected += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  EXPECT_EQ(fold(all), expected);
}

TEST(CaseFoldTest, AsciiEveryLengthAndOffset) {
  // The fast path works on 8 bytes at a time; check every split between it and the byte loop, with a
  // non-ASCII character at every position too.
  for (size_t length = 0; length < 40; ++length) {
    std::string upper;
    std::string lower;
    for (size_t i = 0; i < length; ++i) {
      upper += static_cast<char>('A' + i % 26);
      lower += static_cast<char>('a' + i % 26);
    }
    EXPECT_EQ(fold(upper), lower) << length;
    for (size_t at = 0; at <= length; ++at) {
      std::string mixed = upper;
      mixed.insert(at, "\xC3\x89");  // É
      std::string want = lower;
      want.insert(at, "\xC3\xA9");  // é
      EXPECT_EQ(fold(mixed), want) << length << " " << at;
    }
  }
}

TEST(CaseFoldTest, AppendsWithoutClearing) {
  std::string out = "prefix:";
  append_folded("ABC", out);
  EXPECT_EQ(out, "prefix:abc");
}

TEST(CaseFoldTest, Scripts) {
  EXPECT_EQ(fold("\xC3\x80\xC3\x89\xC3\x96\xC3\x98\xC3\x9E"),
            "\xC3\xA0\xC3\xA9\xC3\xB6\xC3\xB8\xC3\xBE");  // ÀÉÖØÞ
  EXPECT_EQ(fold("\xC3\x97"), "\xC3\x97");                // × is no letter
  EXPECT_EQ(fold("Stra\xC3\x9F"
                 "E"),
            "stra\xC3\x9F"
            "e");  // ß stays (simple folding)
  EXPECT_EQ(
      fold("\xD0\x90\xD0\xB4\xD0\xBC\xD0\xB8\xD0\xBD\xD0\xB8\xD1\x81\xD1\x82\xD1\x80\xD0\xB0\xD1\x82\xD0"
           "\xBE\xD1\x80\xD1\x8B"),
      "\xD0\xB0\xD0\xB4\xD0\xBC\xD0\xB8\xD0\xBD\xD0\xB8\xD1\x81\xD1\x82\xD1\x80\xD0\xB0\xD1\x82\xD0\xBE"
      "\xD1\x80\xD1\x8B");  // Администраторы → администраторы
  EXPECT_EQ(fold("\xD0\x90\xD0\x94\xD0\x9C\xD0\x98\xD0\x9D"),
            "\xD0\xB0\xD0\xB4\xD0\xBC\xD0\xB8\xD0\xBD");  // АДМИН → админ
  // ΟΔΥΣΣΕΥΣ and Οδυσσεύς fold alike: final sigma folds to σ.
  EXPECT_EQ(fold("\xCE\x9F\xCE\x94\xCE\xA5\xCE\xA3\xCE\xA3\xCE\x95\xCE\xA5\xCE\xA3"),
            "\xCE\xBF\xCE\xB4\xCF\x85\xCF\x83\xCF\x83\xCE\xB5\xCF\x85\xCF\x83");
  EXPECT_EQ(fold("\xCE\x9F\xCE\xB4\xCF\x85\xCF\x83\xCF\x83\xCE\xB5\xCF\x8D\xCF\x82"),
            "\xCE\xBF\xCE\xB4\xCF\x85\xCF\x83\xCF\x83\xCE\xB5\xCF\x8D\xCF\x83");
  EXPECT_EQ(fold("\xE2\x84\xAA"), "k");  // Kelvin sign: 3 bytes become 1
  EXPECT_EQ(fold("\xE6\x97\xA5\xE6\x9C\xAC\xF0\x9F\x98\x80"), "\xE6\x97\xA5\xE6\x9C\xAC\xF0\x9F\x98\x80");
}

TEST(CaseFoldTest, CodePoints) {
  struct Case {
    uint32_t from;
    uint32_t to;
  };
  const Case cases[] = {
      {'A', 'a'},         {'Z', 'z'},           {'a', 'a'},         {0x00B5, 0x03BC},  // µ → μ
      {0x00C0, 0x00E0},   {0x00D7, 0x00D7},     {0x00DE, 0x00FE},   {0x00DF, 0x00DF},  // ß stays
      {0x00FF, 0x00FF},   {0x0100, 0x0101},     {0x0101, 0x0101},   {0x012E, 0x012F},
      {0x0130, 0x0130},  // İ: no simple folding (only full and Turkic ones)
      {0x0131, 0x0131},  // ı stays
      {0x0141, 0x0142},   {0x0178, 0x00FF},     {0x017F, 's'},      {0x0181, 0x0253},
      {0x01C4, 0x01C6},   {0x01C5, 0x01C6},     {0x01F1, 0x01F3},   {0x023A, 0x2C65},
      {0x0241, 0x0242},   {0x0345, 0x03B9},     {0x0386, 0x03AC},   {0x0388, 0x03AD},
      {0x038C, 0x03CC},   {0x038F, 0x03CE},     {0x0391, 0x03B1},   {0x03A3, 0x03C3},
      {0x03C2, 0x03C3},   {0x03C3, 0x03C3},     {0x03AB, 0x03CB},   {0x0390, 0x0390},
      {0x03F4, 0x03B8},   {0x0400, 0x0450},     {0x040F, 0x045F},   {0x0410, 0x0430},
      {0x042F, 0x044F},   {0x0450, 0x0450},     {0x0460, 0x0461},   {0x0480, 0x0481},
      {0x048A, 0x048B},   {0x04BE, 0x04BF},     {0x04C0, 0x04CF},   {0x04C1, 0x04C2},
      {0x04D0, 0x04D1},   {0x04FE, 0x04FF},     {0x0531, 0x0561},   {0x0556, 0x0586},
      {0x10A0, 0x2D00},   {0x10C5, 0x2D25},     {0x10C7, 0x2D27},   {0x1C90, 0x10D0},
      {0x10D0, 0x10D0},   {0x13F8, 0x13F0},     {0xAB70, 0x13A0},   {0x1E00, 0x1E01},
      {0x1E94, 0x1E95},   {0x1E9B, 0x1E61},     {0x1E9E, 0x00DF},   {0x1EFE, 0x1EFF},
      {0x1F08, 0x1F00},   {0x1F59, 0x1F51},     {0x1FB8, 0x1FB0},   {0x1FBB, 0x1F71},
      {0x1FBC, 0x1FB3},   {0x2126, 0x03C9},     {0x212A, 'k'},      {0x212B, 0x00E5},
      {0x2160, 0x2170},   {0x216F, 0x217F},     {0x2170, 0x2170},   {0x24B6, 0x24D0},
      {0x24CF, 0x24E9},   {0x2C00, 0x2C30},     {0x2C62, 0x026B},   {0xA640, 0xA641},
      {0xA77D, 0x1D79},   {0xFF21, 0xFF41},     {0xFF3A, 0xFF5A},   {0xFF41, 0xFF41},
      {0x10400, 0x10428}, {0x10427, 0x1044F},   {0x104B0, 0x104D8}, {0x1E900, 0x1E922},
      {0x1E921, 0x1E943}, {0x10FFFF, 0x10FFFF},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(fold_code_point(c.from), c.to) << std::hex << c.from;
    EXPECT_EQ(fold(utf8(c.from)), utf8(c.to)) << std::hex << c.from;
  }
}

// Pins the whole table: CaseFolding.txt 14.0 has 1,454 mappings with statuses C and S, and their
// deltas sum to -3,547,545. A dropped or shifted range changes one or both.
TEST(CaseFoldTest, WholeTable) {
  size_t mapped = 0;
  int64_t delta_sum = 0;
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    const uint32_t folded = fold_code_point(cp);
    if (folded == cp) {
      continue;
    }
    ++mapped;
    delta_sum += static_cast<int64_t>(folded) - static_cast<int64_t>(cp);
    EXPECT_EQ(fold_code_point(folded), folded) << "folding is idempotent: " << std::hex << cp;
  }
  EXPECT_EQ(mapped, 1454u);
  EXPECT_EQ(delta_sum, -3547545);
}

// Text folding and code point folding agree for every scalar value (checks the decoder and encoder).
TEST(CaseFoldTest, TextMatchesCodePoints) {
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      continue;
    }
    const std::string got = fold(utf8(cp));
    if (got != utf8(fold_code_point(cp))) {
      ADD_FAILURE() << std::hex << cp;
      return;
    }
  }
}

TEST(CaseFoldTest, GrowsAndShrinks) {
  std::string in;
  std::string want;
  for (int i = 0; i < 1000; ++i) {
    in += "\xC8\xBA";        // Ⱥ U+023A, 2 bytes
    want += "\xE2\xB1\xA5";  // ⱥ U+2C65, 3 bytes
  }
  EXPECT_EQ(fold(in), want);
  EXPECT_EQ(fold("\xE2\x84\xAA\xE2\x84\xAA"
                 "A"),
            "kka");
}

TEST(CaseFoldTest, InvalidUtf8CopiedUnchanged) {
  EXPECT_EQ(fold("A\xFF"
                 "B"),
            "a\xFF"
            "b");
  EXPECT_EQ(fold("\x80"
                 "A"),
            "\x80"
            "a");  // lone continuation byte
  EXPECT_EQ(fold("\xC0\x81"
                 "A"),
            "\xC0\x81"
            "a");                                           // overlong 'A'
  EXPECT_EQ(fold("\xC1\xA1"), "\xC1\xA1");                  // overlong 'a'
  EXPECT_EQ(fold("\xE0\x81\x81"), "\xE0\x81\x81");          // overlong 3-byte
  EXPECT_EQ(fold("\xF0\x80\x81\x81"), "\xF0\x80\x81\x81");  // overlong 4-byte
  EXPECT_EQ(fold("\xED\xA0\x80"
                 "Z"),
            "\xED\xA0\x80"
            "z");                                           // surrogate
  EXPECT_EQ(fold("\xF4\x90\x80\x80"), "\xF4\x90\x80\x80");  // beyond U+10FFFF
  EXPECT_EQ(fold("\xF5\x80\x80\x80"), "\xF5\x80\x80\x80");
  EXPECT_EQ(fold("Q\xD0"), "q\xD0");  // truncated at the end
  EXPECT_EQ(fold("\xD0"
                 "A"),
            "\xD0"
            "a");  // missing continuation
  EXPECT_EQ(fold("\xE2\x84"
                 "K"),
            "\xE2\x84"
            "k");  // truncated Kelvin sign
  // A valid character right after an invalid byte still folds.
  EXPECT_EQ(fold("\xFF\xD0\x90"), "\xFF\xD0\xB0");
  std::string with_nul("A\0B", 3);
  EXPECT_EQ(fold(with_nul), std::string("a\0b", 3));
}

}  // namespace
}  // namespace sigrun::interp
