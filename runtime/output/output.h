// Internal to the runtime. Match formatting: triage messages and JSON lines.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sigrun/match.h"

namespace sigrun::output {

// The field paths a message template's placeholders name, in order of first appearance, without
// duplicates. Placeholders are {{path}} or {{path|fallback}}; whitespace around path is ignored.
std::vector<std::string> message_fields(std::string_view message_template);

// Renders a template: {{path}} becomes lookup(path), or "" when absent; {{path|fallback}} becomes the
// fallback text when absent. Text outside placeholders is copied; an unclosed "{{" is copied as is.
std::string render_message(std::string_view message_template,
                           const std::function<std::optional<std::string>(std::string_view path)>& lookup);

// Appends `text` as a JSON string literal (quotes, escapes for ", \\, control characters; invalid UTF-8
// bytes replaced by U+FFFD so the output is always valid JSON).
void append_json_string(std::string_view text, std::string& out);

// Appends one match as a JSON object followed by "\n":
// {"rule":{"id":..,"title":..,"level":..,"status":..,"author":..,"tags":[..]},"message":..,"line":N,
//  "event":<the event JSON as read>}
// An event read over several lines (a pretty-printed document) has its line breaks, which JSON allows only
// between tokens, turned into spaces, so each match stays one line.
void append_match_json(const Match& match, std::string& out);

}  // namespace sigrun::output
