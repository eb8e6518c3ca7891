// Internal to compiler/ir. The value transformations of Sigma's modifiers (windash, base64, base64offset,
// wide/utf16*, expand), as pySigma defines them, on string values after escape processing. Lowering
// applies them in the order of the modifier chain; everything here runs at compile time, so the runtime
// only ever sees plain literals. Exposed for tests.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sigrun::ir {

// A Sigma string value after escape processing: each symbol is a byte (0-255) or a wildcard token. Bytes
// and tokens must be told apart because the UTF-16 modifiers produce arbitrary bytes, including the 0xFE
// and 0xFF that glob operands use for the wildcards.
using Symbol = uint16_t;
inline constexpr Symbol kSymbolStar = 0x100;      // `*`: any sequence
inline constexpr Symbol kSymbolQuestion = 0x101;  // `?`: one code point
using Symbols = std::vector<Symbol>;

// The raw Sigma value (escapes unprocessed) as symbols: `\*`, `\?` and `\\` are the literal second
// character, other backslashes are literal, unescaped `*` and `?` are wildcards.
Symbols parse_symbols(std::string_view raw);

// `bytes` as literal symbols (no wildcards).
Symbols literal_symbols(std::string_view bytes);

bool has_wildcards(const Symbols& symbols);

// The bytes of symbols without wildcards.
std::string symbol_bytes(const Symbols& symbols);

// A readable form for tests and messages: wildcards as `<*>`/`<?>`, bytes outside printable ASCII as
// `\xNN`.
std::string visible(const Symbols& symbols);

// Base64 (RFC 4648, with padding) of `bytes`.
std::string base64_encode(std::string_view bytes);

// `base64offset`: the three encodings of `bytes` at offsets 0, 1 and 2 within a Base64 stream, trimmed
// of the characters that depend on the bytes around it (Sigma semantics reference 4.4):
// foobar -> Zm9vYmFy, Zvb2Jhc, mb29iYX.
std::array<std::string, 3> base64_offsets(std::string_view bytes);

enum class Utf16Form {
  LittleEndian,         // `wide`, `utf16le`
  BigEndian,            // `utf16be`
  LittleEndianWithBom,  // `utf16`: the bytes FF FE, then UTF-16LE
};

// Encodes the literal bytes of `symbols`, read as UTF-8, as UTF-16; wildcards stay tokens. A byte that
// is not part of valid UTF-8 is encoded as the code point of the same value.
Symbols encode_utf16(const Symbols& symbols, Utf16Form form);

// How many positions `windash` expands: a `-` or `/` not preceded by a word character and followed by
// one (pySigma's `\B[-/]\b`, with Unicode word characters; a wildcard is not a word character).
size_t windash_positions(const Symbols& symbols);

// `windash`: every combination of `-`, `/`, en dash, em dash and horizontal bar at each position
// (5^positions alternatives, in pySigma's order).
std::vector<Symbols> expand_windash(const Symbols& symbols);

// Values of `%name%` placeholders.
using PlaceholderValues = std::map<std::string, std::vector<std::string>>;

// What `expand` did with a value.
struct PlaceholderResult {
  std::vector<Symbols> alternatives;  // every combination of the placeholders' values
  std::string unresolved;             // the first placeholder without values, when there is one
  bool too_many = false;              // more than `limit` alternatives
};

// `expand` on a string: each `%name%` (name: word characters and `-`; not after a backslash) is replaced
// by each of its values, parsed as Sigma strings (so they may hold wildcards), and `\%` becomes `%`.
// Placeholders never span wildcards. `values` may be null (no placeholders were given).
PlaceholderResult expand_placeholders(const Symbols& symbols, const PlaceholderValues* values, size_t limit);

// `expand` on a regular expression: the same placeholders, replaced by their values verbatim (as regex
// text). Alternatives are returned as symbols of plain bytes.
PlaceholderResult expand_regex_placeholders(std::string_view regex, const PlaceholderValues* values,
                                            size_t limit);

// Whether code point `cp` is a word character for `\b`/`\w` in Python's `re` on str (Unicode letters,
// digits and other numbers, and `_`).
bool is_word_code_point(uint32_t cp);

}  // namespace sigrun::ir
