// Implements value_modifiers.h: symbols, Base64, UTF-16, windash and placeholder expansion.
#include "ir/value_modifiers.h"

#include <re2/re2.h>

#include <cstdio>
#include <optional>
#include <utility>

namespace sigrun::ir {
namespace {

bool is_literal(Symbol s) {
  return s < 0x100;
}

// One code point decoded from the literal bytes at symbols[at]: its value and how many symbols it
// spans. A byte that does not start a valid UTF-8 sequence is one "code point" of its own value, with
// `valid` false.
struct Decoded {
  uint32_t cp = 0;
  size_t length = 1;
  bool valid = false;
};

Decoded decode(const Symbols& symbols, size_t at) {
  Decoded out;
  const Symbol lead = symbols[at];
  out.cp = lead;
  if (lead < 0x80) {
    out.valid = true;
    return out;
  }
  size_t n = 0;
  uint32_t cp = 0;
  if ((lead & 0xE0) == 0xC0) {
    n = 2;
    cp = lead & 0x1Fu;
  } else if ((lead & 0xF0) == 0xE0) {
    n = 3;
    cp = lead & 0x0Fu;
  } else if ((lead & 0xF8) == 0xF0) {
    n = 4;
    cp = lead & 0x07u;
  } else {
    return out;
  }
  if (at + n > symbols.size())
    return out;
  for (size_t k = 1; k < n; ++k) {
    const Symbol c = symbols[at + k];
    if (!is_literal(c) || (c & 0xC0) != 0x80)
      return out;
    cp = cp << 6 | (c & 0x3Fu);
  }
  static constexpr uint32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return out;
  out.cp = cp;
  out.length = n;
  out.valid = true;
  return out;
}

void append_utf8(uint32_t cp, Symbols& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<Symbol>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<Symbol>(0xC0 | cp >> 6));
    out.push_back(static_cast<Symbol>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<Symbol>(0xE0 | cp >> 12));
    out.push_back(static_cast<Symbol>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<Symbol>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<Symbol>(0xF0 | cp >> 18));
    out.push_back(static_cast<Symbol>(0x80 | (cp >> 12 & 0x3F)));
    out.push_back(static_cast<Symbol>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<Symbol>(0x80 | (cp & 0x3F)));
  }
}

void append_unit(uint16_t unit, Utf16Form form, Symbols& out) {
  const auto low = static_cast<Symbol>(unit & 0xFF);
  const auto high = static_cast<Symbol>(unit >> 8);
  if (form == Utf16Form::BigEndian) {
    out.push_back(high);
    out.push_back(low);
  } else {
    out.push_back(low);
    out.push_back(high);
  }
}

// Whether the symbol at `at` starts a word character.
bool word_at(const Symbols& symbols, size_t at) {
  if (!is_literal(symbols[at]))
    return false;
  const Decoded d = decode(symbols, at);
  return d.valid && is_word_code_point(d.cp);
}

// Whether the symbol ending just before `at` (the last one of the previous code point) belongs to a word
// character. Steps back over UTF-8 continuation bytes to the code point's start.
bool word_before(const Symbols& symbols, size_t at) {
  if (at == 0 || !is_literal(symbols[at - 1]))
    return false;
  size_t start = at - 1;
  for (size_t back = 0;
       back < 3 && start > 0 && is_literal(symbols[start]) && (symbols[start] & 0xC0) == 0x80; ++back) {
    --start;
  }
  const Decoded d = decode(symbols, start);
  return d.valid && start + d.length == at && is_word_code_point(d.cp);
}

std::vector<size_t> windash_at(const Symbols& symbols) {
  std::vector<size_t> positions;
  for (size_t i = 0; i < symbols.size(); ++i) {
    const Symbol c = symbols[i];
    if ((c == '-' || c == '/') && !word_before(symbols, i) && i + 1 < symbols.size() &&
        word_at(symbols, i + 1))
      positions.push_back(i);
  }
  return positions;
}

// One piece of a value under `expand`: literal symbols, or a placeholder's name.
struct Piece {
  Symbols symbols;
  std::optional<std::string> placeholder;
};

// Splits `symbols` into literal pieces and placeholders, turning `\%` into `%` in the literal pieces.
std::vector<Piece> split_placeholders(const Symbols& symbols) {
  std::vector<Piece> pieces(1);
  auto append_literal = [&](Symbol s) {
    if (pieces.back().placeholder)
      pieces.emplace_back();
    pieces.back().symbols.push_back(s);
  };
  size_t i = 0;
  while (i < symbols.size()) {
    const Symbol c = symbols[i];
    const bool escaped = i > 0 && symbols[i - 1] == '\\';
    if (c == '%' && !escaped) {
      size_t j = i + 1;
      while (j < symbols.size() && is_literal(symbols[j]) && (symbols[j] == '-' || word_at(symbols, j)))
        j += decode(symbols, j).length;
      if (j > i + 1 && j < symbols.size() && symbols[j] == '%') {
        Piece piece;
        std::string name;
        for (size_t k = i + 1; k < j; ++k)
          name += static_cast<char>(symbols[k]);
        piece.placeholder = std::move(name);
        pieces.push_back(std::move(piece));
        i = j + 1;
        continue;
      }
    }
    append_literal(c);
    ++i;
  }
  for (Piece& piece : pieces) {
    if (piece.placeholder)
      continue;
    Symbols unescaped;
    for (size_t k = 0; k < piece.symbols.size(); ++k) {
      if (piece.symbols[k] == '\\' && k + 1 < piece.symbols.size() && piece.symbols[k + 1] == '%')
        continue;
      unescaped.push_back(piece.symbols[k]);
    }
    piece.symbols = std::move(unescaped);
  }
  return pieces;
}

// Every combination of the pieces, placeholders replaced by `replacement(value)` of each of their values.
template <typename Replace>
PlaceholderResult combine(const std::vector<Piece>& pieces, const PlaceholderValues* values, size_t limit,
                          Replace replacement) {
  PlaceholderResult result;
  size_t total = 1;
  for (const Piece& piece : pieces) {
    if (!piece.placeholder)
      continue;
    const auto it =
        values == nullptr ? PlaceholderValues::const_iterator() : values->find(*piece.placeholder);
    if (values == nullptr || it == values->end()) {
      result.unresolved = *piece.placeholder;
      return result;
    }
    total *= it->second.size();
    if (total > limit) {
      result.too_many = true;
      return result;
    }
  }
  result.alternatives.emplace_back();
  for (const Piece& piece : pieces) {
    if (!piece.placeholder) {
      for (Symbols& alternative : result.alternatives)
        alternative.insert(alternative.end(), piece.symbols.begin(), piece.symbols.end());
      continue;
    }
    const std::vector<std::string>& choices = values->at(*piece.placeholder);
    std::vector<Symbols> next;
    next.reserve(result.alternatives.size() * choices.size());
    for (const Symbols& prefix : result.alternatives) {
      for (const std::string& choice : choices) {
        Symbols combined = prefix;
        const Symbols inserted = replacement(choice);
        combined.insert(combined.end(), inserted.begin(), inserted.end());
        next.push_back(std::move(combined));
      }
    }
    result.alternatives = std::move(next);
  }
  return result;
}

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

Symbols parse_symbols(std::string_view raw) {
  Symbols out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c == '\\') {
      if (i + 1 < raw.size() && (raw[i + 1] == '*' || raw[i + 1] == '?' || raw[i + 1] == '\\')) {
        out.push_back(static_cast<unsigned char>(raw[++i]));
        continue;
      }
      // A backslash before anything else (or at the end) is itself: C:\Windows needs no escaping.
      out.push_back(c);
      continue;
    }
    if (c == '*') {
      out.push_back(kSymbolStar);
    } else if (c == '?') {
      out.push_back(kSymbolQuestion);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Symbols literal_symbols(std::string_view bytes) {
  Symbols out;
  out.reserve(bytes.size());
  for (char c : bytes)
    out.push_back(static_cast<unsigned char>(c));
  return out;
}

bool has_wildcards(const Symbols& symbols) {
  for (Symbol s : symbols) {
    if (!is_literal(s))
      return true;
  }
  return false;
}

std::string symbol_bytes(const Symbols& symbols) {
  std::string out;
  out.reserve(symbols.size());
  for (Symbol s : symbols) {
    if (is_literal(s))
      out += static_cast<char>(s);
  }
  return out;
}

std::string visible(const Symbols& symbols) {
  std::string out;
  for (Symbol s : symbols) {
    if (s == kSymbolStar) {
      out += "<*>";
    } else if (s == kSymbolQuestion) {
      out += "<?>";
    } else if (s < 0x20 || s >= 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(s));
      out += buf;
    } else {
      out += static_cast<char>(s);
    }
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = uint32_t{static_cast<unsigned char>(bytes[i])} << 16 |
                       uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kBase64Alphabet[n >> 18 & 0x3F];
    out += kBase64Alphabet[n >> 12 & 0x3F];
    out += kBase64Alphabet[n >> 6 & 0x3F];
    out += kBase64Alphabet[n & 0x3F];
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t n = uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    out += kBase64Alphabet[n >> 18 & 0x3F];
    out += kBase64Alphabet[n >> 12 & 0x3F];
    out += "==";
  } else if (rest == 2) {
    const uint32_t n = uint32_t{static_cast<unsigned char>(bytes[i])} << 16 |
                       uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out += kBase64Alphabet[n >> 18 & 0x3F];
    out += kBase64Alphabet[n >> 12 & 0x3F];
    out += kBase64Alphabet[n >> 6 & 0x3F];
    out += '=';
  }
  return out;
}

std::array<std::string, 3> base64_offsets(std::string_view bytes) {
  // pySigma: b64encode(i * b" " + value)[start[i] : end[(len + i) % 3]] with start = (0, 2, 3) and
  // end = (None, -3, -2). The first characters encode the filler, the last ones the unknown next bytes.
  static constexpr size_t kStart[3] = {0, 2, 3};
  static constexpr size_t kDropEnd[3] = {0, 3, 2};
  std::array<std::string, 3> out;
  for (size_t i = 0; i < 3; ++i) {
    const std::string encoded = base64_encode(std::string(i, ' ') + std::string(bytes));
    const size_t drop_end = kDropEnd[(bytes.size() + i) % 3];
    const size_t end = encoded.size() >= drop_end ? encoded.size() - drop_end : 0;
    out[i] = kStart[i] < end ? encoded.substr(kStart[i], end - kStart[i]) : std::string();
  }
  return out;
}

Symbols encode_utf16(const Symbols& symbols, Utf16Form form) {
  Symbols out;
  out.reserve(symbols.size() * 2 + 2);
  if (form == Utf16Form::LittleEndianWithBom) {
    out.push_back(0xFF);
    out.push_back(0xFE);
  }
  for (size_t i = 0; i < symbols.size();) {
    if (!is_literal(symbols[i])) {
      out.push_back(symbols[i++]);
      continue;
    }
    const Decoded d = decode(symbols, i);
    i += d.length;
    if (d.cp < 0x10000) {
      append_unit(static_cast<uint16_t>(d.cp), form, out);
    } else {
      const uint32_t v = d.cp - 0x10000;
      append_unit(static_cast<uint16_t>(0xD800 | v >> 10), form, out);
      append_unit(static_cast<uint16_t>(0xDC00 | (v & 0x3FF)), form, out);
    }
  }
  return out;
}

size_t windash_positions(const Symbols& symbols) {
  return windash_at(symbols).size();
}

std::vector<Symbols> expand_windash(const Symbols& symbols) {
  // pySigma's order of the replacements: '-', '/', en dash, em dash, horizontal bar.
  static const std::vector<uint32_t> kDashes = {'-', '/', 0x2013, 0x2014, 0x2015};
  const std::vector<size_t> positions = windash_at(symbols);
  std::vector<Symbols> out(1);
  size_t from = 0;
  for (size_t position : positions) {
    for (Symbols& alternative : out)
      alternative.insert(alternative.end(), symbols.begin() + static_cast<std::ptrdiff_t>(from),
                         symbols.begin() + static_cast<std::ptrdiff_t>(position));
    std::vector<Symbols> next;
    next.reserve(out.size() * kDashes.size());
    for (const Symbols& prefix : out) {
      for (uint32_t dash : kDashes) {
        Symbols alternative = prefix;
        append_utf8(dash, alternative);
        next.push_back(std::move(alternative));
      }
    }
    out = std::move(next);
    from = position + 1;
  }
  for (Symbols& alternative : out)
    alternative.insert(alternative.end(), symbols.begin() + static_cast<std::ptrdiff_t>(from), symbols.end());
  return out;
}

PlaceholderResult expand_placeholders(const Symbols& symbols, const PlaceholderValues* values, size_t limit) {
  return combine(split_placeholders(symbols), values, limit,
                 [](const std::string& value) { return parse_symbols(value); });
}

PlaceholderResult expand_regex_placeholders(std::string_view regex, const PlaceholderValues* values,
                                            size_t limit) {
  return combine(split_placeholders(literal_symbols(regex)), values, limit,
                 [](const std::string& value) { return literal_symbols(value); });
}

bool is_word_code_point(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
  // Python's \w on str is "alphanumeric or underscore": the Unicode letter and number categories.
  static const re2::RE2 kWord("[\\p{L}\\p{N}]");
  Symbols encoded;
  append_utf8(cp, encoded);
  const std::string text = symbol_bytes(encoded);
  return re2::RE2::FullMatch(text, kWord);
}

}  // namespace sigrun::ir
