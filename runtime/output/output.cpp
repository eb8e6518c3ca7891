// Implements output/output.h: triage message templates ({{path}}, {{path|fallback}}) and the JSON line
// written for each match.
#include "output/output.h"

#include <algorithm>
#include <cassert>
#include <charconv>

namespace sigrun::output {
namespace {

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

// Splits a template into literal text and placeholders and hands each piece to the visitor, so that
// message_fields and render_message agree on what a placeholder is. A placeholder runs from "{{" to the
// first "}}" after it; when another "{{" starts before that "}}", the earlier "{{" is literal text
// ("{{ {{a}}" is the text "{{ " then the placeholder a). An unclosed "{{" is literal text. Inside, the
// first '|' separates the path from the fallback; both are trimmed of surrounding whitespace. A
// placeholder with an empty path is literal text.
template <typename OnText, typename OnPlaceholder>
void scan_template(std::string_view tpl, OnText&& on_text, OnPlaceholder&& on_placeholder) {
  size_t pos = 0;
  while (pos < tpl.size()) {
    size_t open = tpl.find("{{", pos);
    if (open == std::string_view::npos) {
      break;
    }
    const size_t close = tpl.find("}}", open + 2);
    if (close == std::string_view::npos) {
      break;
    }
    // The last "{{" that starts before `close` opens the placeholder.
    for (size_t inner = tpl.find("{{", open + 1); inner != std::string_view::npos && inner < close;
         inner = tpl.find("{{", inner + 1)) {
      open = inner;
    }
    std::string_view body = tpl.substr(open + 2, close - open - 2);
    std::string_view path = body;
    std::string_view fallback;
    bool has_fallback = false;
    if (const size_t bar = body.find('|'); bar != std::string_view::npos) {
      path = body.substr(0, bar);
      fallback = trim(body.substr(bar + 1));
      has_fallback = true;
    }
    path = trim(path);
    if (path.empty()) {
      on_text(tpl.substr(pos, close + 2 - pos));
    } else {
      on_text(tpl.substr(pos, open - pos));
      on_placeholder(path, has_fallback, fallback);
    }
    pos = close + 2;
  }
  on_text(tpl.substr(pos));
}

// Length of the well-formed UTF-8 sequence at p (p[0] >= 0x80), or 0 when ill-formed. `bad` is then the
// length of the maximal ill-formed subpart (at least 1), which becomes one U+FFFD.
size_t utf8_sequence(const unsigned char* p, size_t n, size_t& bad) {
  const unsigned char lead = p[0];
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) {
      low = 0xA0;  // overlong
    }
    if (lead == 0xED) {
      high = 0x9F;  // surrogates
    }
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) {
      low = 0x90;  // overlong
    }
    if (lead == 0xF4) {
      high = 0x8F;  // beyond U+10FFFF
    }
  } else {
    bad = 1;
    return 0;
  }
  size_t i = 1;
  for (; i < length && i < n; ++i) {
    const unsigned char lo = i == 1 ? low : 0x80;
    const unsigned char hi = i == 1 ? high : 0xBF;
    if (p[i] < lo || p[i] > hi) {
      break;
    }
  }
  if (i == length) {
    return length;
  }
  bad = i;
  return 0;
}

}  // namespace

std::vector<std::string> message_fields(std::string_view message_template) {
  std::vector<std::string> fields;
  scan_template(
      message_template, [](std::string_view) {},
      [&](std::string_view path, bool, std::string_view) {
        for (const std::string& seen : fields) {
          if (seen == path) {
            return;
          }
        }
        fields.emplace_back(path);
      });
  return fields;
}

std::string render_message(std::string_view message_template,
                           const std::function<std::optional<std::string>(std::string_view path)>& lookup) {
  std::string out;
  scan_template(
      message_template, [&](std::string_view text) { out.append(text); },
      [&](std::string_view path, bool has_fallback, std::string_view fallback) {
        if (std::optional<std::string> value = lookup(path)) {
          out.append(*value);
        } else if (has_fallback) {
          out.append(fallback);
        }
      });
  return out;
}

void append_json_string(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t run = 0;  // start of the bytes not yet copied
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t bad = 0;
      if (const size_t length = utf8_sequence(p + i, n - i, bad); length != 0) {
        i += length;
        continue;
      }
      out.append(text.data() + run, i - run);
      out.append("\xEF\xBF\xBD");
      i += bad;
      run = i;
      continue;
    }
    out.append(text.data() + run, i - run);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof(escape));
      }
    }
    ++i;
    run = i;
  }
  out.append(text.data() + run, n - run);
  out.push_back('"');
}

void append_match_json(const Match& match, std::string& out) {
  assert(match.rule != nullptr && "a match always names its rule");
  const program::RuleInfo& rule = *match.rule;
  out.append("{\"rule\":{\"id\":");
  append_json_string(rule.id, out);
  out.append(",\"title\":");
  append_json_string(rule.title, out);
  out.append(",\"level\":");
  append_json_string(rule.level, out);
  out.append(",\"status\":");
  append_json_string(rule.status, out);
  out.append(",\"author\":");
  append_json_string(rule.author, out);
  out.append(",\"tags\":[");
  for (size_t i = 0; i < rule.tags.size(); ++i) {
    if (i > 0) {
      out.push_back(',');
    }
    append_json_string(rule.tags[i], out);
  }
  out.append("]},\"message\":");
  append_json_string(match.message, out);
  out.append(",\"line\":");
  char digits[24];
  const auto converted = std::to_chars(digits, digits + sizeof(digits), match.line);
  out.append(digits, converted.ptr);
  out.append(",\"event\":");
  // An event always comes from a JSON line, so it is never empty; `null` keeps the line valid JSON if a
  // caller passes none.
  if (match.event.empty()) {
    out.append("null");
  } else {
    const size_t event_begin = out.size();
    out.append(match.event);
    if (match.event.find_first_of("\r\n") != std::string_view::npos) {
      std::replace_if(
          out.begin() + static_cast<std::ptrdiff_t>(event_begin), out.end(),
          [](char c) { return c == '\n' || c == '\r'; }, ' ');
    }
  }
  out.append("}\n");
}

}  // namespace sigrun::output
