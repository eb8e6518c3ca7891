// Implements frontend::load_source_file, read_rule_file and read_source_file/text (frontend/frontend.h): file
// in, registered in the SourceManager, every document read as a rule (or a filter).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "frontend/frontend.h"
#include "frontend/yaml_loader.h"

namespace sigrun::frontend {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// strerror's text in the lower-case style of our messages ("No such file" -> "no such file").
std::string system_reason(int error) {
  std::string reason = std::strerror(error);
  if (!reason.empty() && reason[0] >= 'A' && reason[0] <= 'Z' && (reason.size() < 2 || reason[1] > 'Z')) {
    reason[0] = static_cast<char>(reason[0] - 'A' + 'a');
  }
  return reason;
}

std::optional<std::string> read_file(const std::string& path, std::string& reason) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    reason = system_reason(EISDIR);
    return std::nullopt;
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    reason = system_reason(errno != 0 ? errno : ENOENT);
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    reason = system_reason(errno != 0 ? errno : EIO);
    return std::nullopt;
  }
  return text.str();
}

}  // namespace

std::optional<uint32_t> load_source_file(const std::string& path, diag::SourceManager& sources,
                                         diag::DiagnosticEngine& diags) {
  std::string reason;
  std::optional<std::string> text = read_file(path, reason);
  if (!text) {
    const uint32_t file = sources.add_file(path, "");
    diags.error("file-unreadable", diag::SourceLocation{file, 0, 0}, "cannot read the file: " + reason);
    return std::nullopt;
  }
  // Without the byte order mark the quoted source lines and yaml-cpp's columns agree.
  if (text->compare(0, kUtf8Bom.size(), kUtf8Bom) == 0) {
    text->erase(0, kUtf8Bom.size());
  }
  return sources.add_file(path, std::move(*text));
}

std::vector<ast::Rule> read_rule_file(const std::string& path, diag::SourceManager& sources,
                                      diag::DiagnosticEngine& diags) {
  const std::optional<uint32_t> file = load_source_file(path, sources, diags);
  if (!file) {
    return {};
  }
  std::vector<ast::Rule> rules;
  for (const LoadedDocument& document : load_yaml_documents(*file, sources.text(*file), diags)) {
    auto rule = read_rule(document.value, path, diags);
    if (rule && !document.has_errors) {
      rules.push_back(std::move(*rule));
    }
  }
  return rules;
}

namespace {

SourceFile read_documents(const std::string& path, uint32_t file, const diag::SourceManager& sources,
                          diag::DiagnosticEngine& diags) {
  SourceFile out;
  for (const LoadedDocument& document : load_yaml_documents(file, sources.text(file), diags)) {
    if (is_filter_document(document.value)) {
      auto filter = read_filter(document.value, path, diags);
      if (filter && !document.has_errors) {
        out.filters.push_back(std::move(*filter));
      }
      continue;
    }
    auto rule = read_rule(document.value, path, diags);
    if (rule && !document.has_errors) {
      out.rules.push_back(std::move(*rule));
    }
  }
  return out;
}

}  // namespace

SourceFile read_source_file(const std::string& path, diag::SourceManager& sources,
                            diag::DiagnosticEngine& diags) {
  const std::optional<uint32_t> file = load_source_file(path, sources, diags);
  if (!file) {
    return {};
  }
  return read_documents(path, *file, sources, diags);
}

SourceFile read_source_text(const std::string& path, const std::string& text, diag::SourceManager& sources,
                            diag::DiagnosticEngine& diags) {
  const uint32_t file = sources.add_file(path, text);
  return read_documents(path, file, sources, diags);
}

}  // namespace sigrun::frontend
