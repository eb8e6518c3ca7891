// Implements sigrun/compiler/diagnostics.h: the SourceManager, the DiagnosticEngine and the rendering of a
// diagnostic with its source line and caret, or as JSON.
#include "sigrun/compiler/diagnostics.h"

#include <algorithm>
#include <utility>

namespace sigrun::diag {

namespace {

// File ids start at 1 so that a default SourceLocation (file 0) never silently points into a real file.
constexpr uint32_t kFirstFileId = 1;

const std::string kNoText;
const std::string kUnknownPath = "<unknown>";

// UTF-8 continuation bytes do not start a character; the caret line pads one column per character.
bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

uint32_t SourceManager::add_file(std::string path, std::string text) {
  files_.push_back(File{std::move(path), std::move(text)});
  return static_cast<uint32_t>(files_.size() - 1) + kFirstFileId;
}

const std::string& SourceManager::path(uint32_t file) const {
  if (file < kFirstFileId || file - kFirstFileId >= files_.size()) {
    return kUnknownPath;
  }
  return files_[file - kFirstFileId].path;
}

const std::string& SourceManager::text(uint32_t file) const {
  if (file < kFirstFileId || file - kFirstFileId >= files_.size()) {
    return kNoText;
  }
  return files_[file - kFirstFileId].text;
}

std::string_view SourceManager::line_text(uint32_t file, uint32_t line) const {
  if (line == 0) {
    return {};
  }
  const std::string_view text = this->text(file);
  size_t start = 0;
  for (uint32_t current = 1; current < line; ++current) {
    const size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) {
      return {};
    }
    start = newline + 1;
  }
  if (start >= text.size()) {
    return {};
  }
  size_t end = text.find('\n', start);
  if (end == std::string_view::npos) {
    end = text.size();
  }
  if (end > start && text[end - 1] == '\r') {
    --end;
  }
  return text.substr(start, end - start);
}

void DiagnosticEngine::error(std::string code, SourceLocation location, std::string message) {
  diagnostics_.push_back(Diagnostic{Severity::Error, std::move(code), location, std::move(message)});
  ++errors_;
}

void DiagnosticEngine::warning(std::string code, SourceLocation location, std::string message) {
  diagnostics_.push_back(Diagnostic{Severity::Warning, std::move(code), location, std::move(message)});
}

std::string render(const Diagnostic& diagnostic, const SourceManager& sources) {
  const SourceLocation& at = diagnostic.location;
  std::string out = sources.path(at.file);
  if (at.line != 0) {
    out += ':' + std::to_string(at.line);
    if (at.column != 0) {
      out += ':' + std::to_string(at.column);
    }
  }
  out += diagnostic.severity == Severity::Error ? ": error: " : ": warning: ";
  out += diagnostic.message;
  out += " [" + diagnostic.code + "]\n";
  if (at.line == 0) {
    return out;
  }

  const std::string_view line = sources.line_text(at.file, at.line);
  // An empty line, a line past the end of the file or a file without text: nothing to quote.
  if (line.empty()) {
    return out;
  }
  out += line;
  out += '\n';
  if (at.column == 0) {
    return out;
  }
  // Keep tabs so the caret lines up with the source line however the terminal expands them.
  const size_t prefix = std::min<size_t>(at.column - 1, line.size());
  for (size_t i = 0; i < prefix; ++i) {
    if (line[i] == '\t') {
      out += '\t';
    } else if (!is_continuation_byte(line[i])) {
      out += ' ';
    }
  }
  // A column past the end of the line (an error at the end of the text) puts the caret after it.
  out.append(at.column - 1 - prefix, ' ');
  out += "^\n";
  return out;
}

namespace {

void append_json_string(std::string_view text, std::string& out) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

std::string render_json(const Diagnostic& diagnostic, const SourceManager& sources) {
  std::string out = "{\"code\":";
  append_json_string(diagnostic.code, out);
  out += diagnostic.severity == Severity::Error ? ",\"severity\":\"error\"" : ",\"severity\":\"warning\"";
  out += ",\"file\":";
  append_json_string(sources.path(diagnostic.location.file), out);
  out += ",\"line\":" + std::to_string(diagnostic.location.line);
  out += ",\"column\":" + std::to_string(diagnostic.location.column);
  out += ",\"message\":";
  append_json_string(diagnostic.message, out);
  out += "}\n";
  return out;
}

}  // namespace sigrun::diag
