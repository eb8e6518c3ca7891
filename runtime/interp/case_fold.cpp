// Implements interp/case_fold.h: Unicode simple case folding (CaseFolding.txt statuses C and S) of code
// points and of UTF-8 text. Rule literals and event values both go through append_folded, so a
// case-insensitive comparison is a byte comparison of folded texts.
//
// Coverage is the whole of CaseFolding.txt (Unicode 14.0) statuses C and S, not only the common blocks:
// Latin, Greek (ς → σ, µ → μ, accented capitals), Cyrillic, Armenian, Georgian, Cherokee, Glagolitic,
// Deseret, Osage, Adlam, fullwidth Latin, the Kelvin and Angstrom signs, Roman numerals, circled letters.
// The Turkic mappings (status T) and the full foldings (status F) are not applied, so İ (U+0130) and
// ı (U+0131) stay as they are: simple folding has no mapping for them, and RE2's case-insensitive regex
// matching agrees, so literal and regex predicates fold alike.
#include "interp/case_fold.h"

#include <cstring>

namespace sigrun::interp {
namespace {

// Code points first, first + stride, ..., last fold to themselves plus delta. Sorted, disjoint. Generated
// from Unicode 14.0 CaseFolding.txt (statuses C and S) by grouping runs of equal delta with stride 1 or 2
// (stride 2 covers the alternating upper/lower pairs of Latin Extended and Cyrillic); 1,454 mappings in
// 202 ranges.
struct FoldRange {
  uint32_t first;
  uint32_t last;
  int32_t delta;
  uint32_t stride;
};

constexpr FoldRange kFoldRanges[] = {
    {0x0041, 0x005A, 32, 1},     {0x00B5, 0x00B5, 775, 1},    {0x00C0, 0x00D6, 32, 1},
    {0x00D8, 0x00DE, 32, 1},     {0x0100, 0x012E, 1, 2},      {0x0132, 0x0136, 1, 2},
    {0x0139, 0x0147, 1, 2},      {0x014A, 0x0176, 1, 2},      {0x0178, 0x0178, -121, 1},
    {0x0179, 0x017D, 1, 2},      {0x017F, 0x017F, -268, 1},   {0x0181, 0x0181, 210, 1},
    {0x0182, 0x0184, 1, 2},      {0x0186, 0x0186, 206, 1},    {0x0187, 0x0187, 1, 1},
    {0x0189, 0x018A, 205, 1},    {0x018B, 0x018B, 1, 1},      {0x018E, 0x018E, 79, 1},
    {0x018F, 0x018F, 202, 1},    {0x0190, 0x0190, 203, 1},    {0x0191, 0x0191, 1, 1},
    {0x0193, 0x0193, 205, 1},    {0x0194, 0x0194, 207, 1},    {0x0196, 0x0196, 211, 1},
    {0x0197, 0x0197, 209, 1},    {0x0198, 0x0198, 1, 1},      {0x019C, 0x019C, 211, 1},
    {0x019D, 0x019D, 213, 1},    {0x019F, 0x019F, 214, 1},    {0x01A0, 0x01A4, 1, 2},
    {0x01A6, 0x01A6, 218, 1},    {0x01A7, 0x01A7, 1, 1},      {0x01A9, 0x01A9, 218, 1},
    {0x01AC, 0x01AC, 1, 1},      {0x01AE, 0x01AE, 218, 1},    {0x01AF, 0x01AF, 1, 1},
    {0x01B1, 0x01B2, 217, 1},    {0x01B3, 0x01B5, 1, 2},      {0x01B7, 0x01B7, 219, 1},
    {0x01B8, 0x01B8, 1, 1},      {0x01BC, 0x01BC, 1, 1},      {0x01C4, 0x01C4, 2, 1},
    {0x01C5, 0x01C5, 1, 1},      {0x01C7, 0x01C7, 2, 1},      {0x01C8, 0x01C8, 1, 1},
    {0x01CA, 0x01CA, 2, 1},      {0x01CB, 0x01DB, 1, 2},      {0x01DE, 0x01EE, 1, 2},
    {0x01F1, 0x01F1, 2, 1},      {0x01F2, 0x01F4, 1, 2},      {0x01F6, 0x01F6, -97, 1},
    {0x01F7, 0x01F7, -56, 1},    {0x01F8, 0x021E, 1, 2},      {0x0220, 0x0220, -130, 1},
    {0x0222, 0x0232, 1, 2},      {0x023A, 0x023A, 10795, 1},  {0x023B, 0x023B, 1, 1},
    {0x023D, 0x023D, -163, 1},   {0x023E, 0x023E, 10792, 1},  {0x0241, 0x0241, 1, 1},
    {0x0243, 0x0243, -195, 1},   {0x0244, 0x0244, 69, 1},     {0x0245, 0x0245, 71, 1},
    {0x0246, 0x024E, 1, 2},      {0x0345, 0x0345, 116, 1},    {0x0370, 0x0372, 1, 2},
    {0x0376, 0x0376, 1, 1},      {0x037F, 0x037F, 116, 1},    {0x0386, 0x0386, 38, 1},
    {0x0388, 0x038A, 37, 1},     {0x038C, 0x038C, 64, 1},     {0x038E, 0x038F, 63, 1},
    {0x0391, 0x03A1, 32, 1},     {0x03A3, 0x03AB, 32, 1},     {0x03C2, 0x03C2, 1, 1},
    {0x03CF, 0x03CF, 8, 1},      {0x03D0, 0x03D0, -30, 1},    {0x03D1, 0x03D1, -25, 1},
    {0x03D5, 0x03D5, -15, 1},    {0x03D6, 0x03D6, -22, 1},    {0x03D8, 0x03EE, 1, 2},
    {0x03F0, 0x03F0, -54, 1},    {0x03F1, 0x03F1, -48, 1},    {0x03F4, 0x03F4, -60, 1},
    {0x03F5, 0x03F5, -64, 1},    {0x03F7, 0x03F7, 1, 1},      {0x03F9, 0x03F9, -7, 1},
    {0x03FA, 0x03FA, 1, 1},      {0x03FD, 0x03FF, -130, 1},   {0x0400, 0x040F, 80, 1},
    {0x0410, 0x042F, 32, 1},     {0x0460, 0x0480, 1, 2},      {0x048A, 0x04BE, 1, 2},
    {0x04C0, 0x04C0, 15, 1},     {0x04C1, 0x04CD, 1, 2},      {0x04D0, 0x052E, 1, 2},
    {0x0531, 0x0556, 48, 1},     {0x10A0, 0x10C5, 7264, 1},   {0x10C7, 0x10C7, 7264, 1},
    {0x10CD, 0x10CD, 7264, 1},   {0x13F8, 0x13FD, -8, 1},     {0x1C80, 0x1C80, -6222, 1},
    {0x1C81, 0x1C81, -6221, 1},  {0x1C82, 0x1C82, -6212, 1},  {0x1C83, 0x1C84, -6210, 1},
    {0x1C85, 0x1C85, -6211, 1},  {0x1C86, 0x1C86, -6204, 1},  {0x1C87, 0x1C87, -6180, 1},
    {0x1C88, 0x1C88, 35267, 1},  {0x1C90, 0x1CBA, -3008, 1},  {0x1CBD, 0x1CBF, -3008, 1},
    {0x1E00, 0x1E94, 1, 2},      {0x1E9B, 0x1E9B, -58, 1},    {0x1E9E, 0x1E9E, -7615, 1},
    {0x1EA0, 0x1EFE, 1, 2},      {0x1F08, 0x1F0F, -8, 1},     {0x1F18, 0x1F1D, -8, 1},
    {0x1F28, 0x1F2F, -8, 1},     {0x1F38, 0x1F3F, -8, 1},     {0x1F48, 0x1F4D, -8, 1},
    {0x1F59, 0x1F5F, -8, 2},     {0x1F68, 0x1F6F, -8, 1},     {0x1F88, 0x1F8F, -8, 1},
    {0x1F98, 0x1F9F, -8, 1},     {0x1FA8, 0x1FAF, -8, 1},     {0x1FB8, 0x1FB9, -8, 1},
    {0x1FBA, 0x1FBB, -74, 1},    {0x1FBC, 0x1FBC, -9, 1},     {0x1FBE, 0x1FBE, -7173, 1},
    {0x1FC8, 0x1FCB, -86, 1},    {0x1FCC, 0x1FCC, -9, 1},     {0x1FD8, 0x1FD9, -8, 1},
    {0x1FDA, 0x1FDB, -100, 1},   {0x1FE8, 0x1FE9, -8, 1},     {0x1FEA, 0x1FEB, -112, 1},
    {0x1FEC, 0x1FEC, -7, 1},     {0x1FF8, 0x1FF9, -128, 1},   {0x1FFA, 0x1FFB, -126, 1},
    {0x1FFC, 0x1FFC, -9, 1},     {0x2126, 0x2126, -7517, 1},  {0x212A, 0x212A, -8383, 1},
    {0x212B, 0x212B, -8262, 1},  {0x2132, 0x2132, 28, 1},     {0x2160, 0x216F, 16, 1},
    {0x2183, 0x2183, 1, 1},      {0x24B6, 0x24CF, 26, 1},     {0x2C00, 0x2C2F, 48, 1},
    {0x2C60, 0x2C60, 1, 1},      {0x2C62, 0x2C62, -10743, 1}, {0x2C63, 0x2C63, -3814, 1},
    {0x2C64, 0x2C64, -10727, 1}, {0x2C67, 0x2C6B, 1, 2},      {0x2C6D, 0x2C6D, -10780, 1},
    {0x2C6E, 0x2C6E, -10749, 1}, {0x2C6F, 0x2C6F, -10783, 1}, {0x2C70, 0x2C70, -10782, 1},
    {0x2C72, 0x2C72, 1, 1},      {0x2C75, 0x2C75, 1, 1},      {0x2C7E, 0x2C7F, -10815, 1},
    {0x2C80, 0x2CE2, 1, 2},      {0x2CEB, 0x2CED, 1, 2},      {0x2CF2, 0x2CF2, 1, 1},
    {0xA640, 0xA66C, 1, 2},      {0xA680, 0xA69A, 1, 2},      {0xA722, 0xA72E, 1, 2},
    {0xA732, 0xA76E, 1, 2},      {0xA779, 0xA77B, 1, 2},      {0xA77D, 0xA77D, -35332, 1},
    {0xA77E, 0xA786, 1, 2},      {0xA78B, 0xA78B, 1, 1},      {0xA78D, 0xA78D, -42280, 1},
    {0xA790, 0xA792, 1, 2},      {0xA796, 0xA7A8, 1, 2},      {0xA7AA, 0xA7AA, -42308, 1},
    {0xA7AB, 0xA7AB, -42319, 1}, {0xA7AC, 0xA7AC, -42315, 1}, {0xA7AD, 0xA7AD, -42305, 1},
    {0xA7AE, 0xA7AE, -42308, 1}, {0xA7B0, 0xA7B0, -42258, 1}, {0xA7B1, 0xA7B1, -42282, 1},
    {0xA7B2, 0xA7B2, -42261, 1}, {0xA7B3, 0xA7B3, 928, 1},    {0xA7B4, 0xA7C2, 1, 2},
    {0xA7C4, 0xA7C4, -48, 1},    {0xA7C5, 0xA7C5, -42307, 1}, {0xA7C6, 0xA7C6, -35384, 1},
    {0xA7C7, 0xA7C9, 1, 2},      {0xA7D0, 0xA7D0, 1, 1},      {0xA7D6, 0xA7D8, 1, 2},
    {0xA7F5, 0xA7F5, 1, 1},      {0xAB70, 0xABBF, -38864, 1}, {0xFF21, 0xFF3A, 32, 1},
    {0x10400, 0x10427, 40, 1},   {0x104B0, 0x104D3, 40, 1},   {0x10570, 0x1057A, 39, 1},
    {0x1057C, 0x1058A, 39, 1},   {0x1058C, 0x10592, 39, 1},   {0x10594, 0x10595, 39, 1},
    {0x10C80, 0x10CB2, 64, 1},   {0x118A0, 0x118BF, 32, 1},   {0x16E40, 0x16E5F, 32, 1},
    {0x1E900, 0x1E921, 34, 1},
};

constexpr size_t kFoldRangeCount = sizeof(kFoldRanges) / sizeof(kFoldRanges[0]);

// Sets bit 5 of every byte in 'A'..'Z'; the word must hold only ASCII bytes so no addition carries
// across bytes.
inline uint64_t lower_ascii_word(uint64_t word) {
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  const uint64_t at_least_a = word + 0x3F3F3F3F3F3F3F3Full;  // bit 7 set where byte >= 'A'
  const uint64_t above_z = word + 0x2525252525252525ull;     // bit 7 set where byte > 'Z'
  const uint64_t upper = at_least_a & ~above_z & kHigh;
  return word | (upper >> 2);
}

inline bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// Decodes one well-formed UTF-8 sequence at p (n > 0 bytes available, p[0] >= 0x80). Returns its
// length and sets cp, or 0 when the sequence is invalid, truncated, overlong or a surrogate.
size_t decode_utf8(const unsigned char* p, size_t n, uint32_t& cp) {
  const unsigned char lead = p[0];
  if (lead >= 0xC2 && lead <= 0xDF) {
    if (n < 2 || !is_continuation(p[1])) {
      return 0;
    }
    cp = (uint32_t{lead} & 0x1F) << 6 | (p[1] & 0x3F);
    return 2;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (n < 3 || !is_continuation(p[1]) || !is_continuation(p[2])) {
      return 0;
    }
    if (lead == 0xE0 && p[1] < 0xA0) {
      return 0;  // overlong
    }
    if (lead == 0xED && p[1] > 0x9F) {
      return 0;  // surrogate
    }
    cp = (uint32_t{lead} & 0x0F) << 12 | uint32_t{p[1] & 0x3Fu} << 6 | (p[2] & 0x3F);
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (n < 4 || !is_continuation(p[1]) || !is_continuation(p[2]) || !is_continuation(p[3])) {
      return 0;
    }
    if (lead == 0xF0 && p[1] < 0x90) {
      return 0;  // overlong
    }
    if (lead == 0xF4 && p[1] > 0x8F) {
      return 0;  // beyond U+10FFFF
    }
    cp = (uint32_t{lead} & 0x07) << 18 | uint32_t{p[1] & 0x3Fu} << 12 | uint32_t{p[2] & 0x3Fu} << 6 |
         (p[3] & 0x3F);
    return 4;
  }
  return 0;
}

// Writes cp (a Unicode scalar value) as UTF-8; returns the byte count.
size_t encode_utf8(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

}  // namespace

uint32_t fold_code_point(uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'A' && cp <= 'Z') ? cp + 0x20 : cp;
  }
  // Binary search for the last range starting at or before cp.
  size_t lo = 0;
  size_t hi = kFoldRangeCount;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (kFoldRanges[mid].first <= cp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) {
    return cp;
  }
  const FoldRange& range = kFoldRanges[lo - 1];
  if (cp > range.last || (cp - range.first) % range.stride != 0) {
    return cp;
  }
  return static_cast<uint32_t>(static_cast<int32_t>(cp) + range.delta);
}

void append_folded(std::string_view text, std::string& out) {
  // Folding grows a code point by at most one byte per two (e.g. U+023A, 2 bytes, folds to U+2C65, 3
  // bytes), so len * 3 / 2 + 4 bytes always suffice; the string is trimmed to the real size at the end.
  const size_t start = out.size();
  out.resize(start + text.size() + text.size() / 2 + 4);
  char* dst = out.data() + start;
  const auto* src = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* const end = src + text.size();
  while (src < end) {
    // Eight ASCII bytes at a time: the common case for event values.
    while (end - src >= 8) {
      uint64_t word;
      std::memcpy(&word, src, 8);
      if (word & 0x8080808080808080ull) {
        break;
      }
      word = lower_ascii_word(word);
      std::memcpy(dst, &word, 8);
      src += 8;
      dst += 8;
    }
    if (src == end) {
      break;
    }
    const unsigned char byte = *src;
    if (byte < 0x80) {
      *dst++ = static_cast<char>((byte >= 'A' && byte <= 'Z') ? byte + 0x20 : byte);
      ++src;
      continue;
    }
    uint32_t cp = 0;
    const size_t length = decode_utf8(src, static_cast<size_t>(end - src), cp);
    if (length == 0) {
      *dst++ = static_cast<char>(byte);  // invalid UTF-8: copied unchanged, resynchronise on the next byte
      ++src;
      continue;
    }
    const uint32_t folded = fold_code_point(cp);
    if (folded == cp) {
      std::memcpy(dst, src, length);
      dst += length;
    } else {
      dst += encode_utf8(folded, dst);
    }
    src += length;
  }
  out.resize(static_cast<size_t>(dst - out.data()));
}

}  // namespace sigrun::interp
