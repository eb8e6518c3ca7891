// Diagnostics for rule authors: a stable code, a position (file:line:col), a message, and a rendering
// with the offending source line and a caret.
//
//   sigrun::diag::SourceManager sources;
//   sigrun::diag::DiagnosticEngine diags;
//   ... compile ...
//   for (const auto& d : diags.all()) std::cerr << sigrun::diag::render(d, sources);
//
// Messages follow LLVM style: lower-case, no trailing period, say what is wrong and what was expected.
// Not thread-safe: one SourceManager and one DiagnosticEngine per compilation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sigrun::diag {

// A 1-based position in a source file; line 0 means "no position" (the whole file).
struct SourceLocation {
  uint32_t file = 0;  // id from SourceManager::add_file
  uint32_t line = 0;
  uint32_t column = 0;
};

// Owns the text of every file read, so diagnostics can quote it.
class SourceManager {
 public:
  // Registers a file's text; returns its id.
  uint32_t add_file(std::string path, std::string text);
  const std::string& path(uint32_t file) const;
  const std::string& text(uint32_t file) const;
  // The text of 1-based `line` without its line break; empty when out of range.
  std::string_view line_text(uint32_t file, uint32_t line) const;

 private:
  struct File {
    std::string path;
    std::string text;
  };
  std::vector<File> files_;
};

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity;
  std::string code;  // stable kebab-case identifier, e.g. "condition-syntax"; see docs/diagnostics.md
  SourceLocation location;
  std::string message;
};

// Collects diagnostics in the order reported; compilation goes on after an error so one run reports all.
class DiagnosticEngine {
 public:
  void error(std::string code, SourceLocation location, std::string message);
  void warning(std::string code, SourceLocation location, std::string message);
  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  size_t error_count() const { return errors_; }
  size_t warning_count() const { return diagnostics_.size() - errors_; }

 private:
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;
};

// "path:line:col: error: message [code]" then the source line and a caret under the column.
std::string render(const Diagnostic& diagnostic, const SourceManager& sources);

// One JSON object and a line break, for editors and CI:
// {"code":"…","severity":"error"|"warning","file":"…","line":N,"column":N,"message":"…"}. Line and column
// are 0 when the diagnostic has no position (the whole file).
std::string render_json(const Diagnostic& diagnostic, const SourceManager& sources);

}  // namespace sigrun::diag
