// Implements sigrun/compiler/compiler.h: the pipeline frontend -> IR -> codegen -> engine (filters, routing
// and lowering in compile_sources.cpp).
#include "sigrun/compiler/compiler.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "driver/compile_sources.h"
#include "frontend/frontend.h"
#ifdef SIGRUN_HAVE_JIT
#include "jit/jit.h"
#endif

namespace sigrun::compiler {
namespace fs = std::filesystem;

bool jit_available() {
#ifdef SIGRUN_HAVE_JIT
  return true;
#else
  return false;
#endif
}

Result<std::vector<std::string>> collect_rule_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status))
      return Error{Error::Code::Io, path + ": no such file or directory"};
    if (!fs::is_directory(status)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    if (ec)
      return Error{Error::Code::Io, path + ": " + ec.message()};
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec)
        return Error{Error::Code::Io, path + ": " + ec.message()};
      const fs::path& p = it->path();
      if (it->is_regular_file(ec) && (p.extension() == ".yml" || p.extension() == ".yaml")) {
        found.push_back(p.string());
      }
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

namespace {

// The files of CompileOptions::filter_paths, read as InputFiles holding only filters: a rule there is an
// error (it would otherwise be compiled without being named as a rule path).
void read_filter_paths(const CompileOptions& options, diag::SourceManager& sources,
                       diag::DiagnosticEngine& diags, std::vector<detail::InputFile>& inputs) {
  for (const std::string& path : options.filter_paths) {
    auto files = collect_rule_files({path});
    if (!files) {
      const uint32_t file = sources.add_file(path, "");
      diags.error("file-unreadable", diag::SourceLocation{file, 0, 0}, files.error().message);
      continue;
    }
    for (const std::string& file : files.value()) {
      const size_t errors_before = diags.error_count();
      detail::InputFile input{file, frontend::read_source_file(file, sources, diags)};
      for (const ast::Rule& rule : input.contents.rules) {
        diags.error("filter-document-expected", rule.location,
                    "expected a filter document (with 'filter') in a filter file; pass rules as rule paths");
      }
      input.contents.rules.clear();
      input.failed = diags.error_count() != errors_before;
      inputs.push_back(std::move(input));
    }
  }
}

}  // namespace

Compilation compile_rules(const std::vector<std::string>& files, diag::SourceManager& sources,
                          diag::DiagnosticEngine& diags, const CompileOptions& options) {
  std::vector<detail::InputFile> inputs;
  for (const std::string& file : files) {
    const size_t errors_before = diags.error_count();
    detail::InputFile input{file, frontend::read_source_file(file, sources, diags)};
    input.failed = diags.error_count() != errors_before;
    inputs.push_back(std::move(input));
  }
  read_filter_paths(options, sources, diags, inputs);
  return detail::compile_sources(inputs, sources, diags, options);
}

Compilation compile_rule_text(const std::string& path, const std::string& text, diag::SourceManager& sources,
                              diag::DiagnosticEngine& diags, const CompileOptions& options) {
  std::vector<detail::InputFile> inputs;
  const size_t errors_before = diags.error_count();
  detail::InputFile input{path, frontend::read_source_text(path, text, sources, diags)};
  input.failed = diags.error_count() != errors_before;
  inputs.push_back(std::move(input));
  read_filter_paths(options, sources, diags, inputs);
  return detail::compile_sources(inputs, sources, diags, options);
}

Result<std::shared_ptr<const Engine>> make_engine(program::Program program, Backend backend) {
  if (backend == Backend::Interpreter)
    return Engine::create(std::move(program));
#ifdef SIGRUN_HAVE_JIT
  // No O2 here: compile time dominates a scan from rule files (tech notes 1.5); packs built offline get O2.
  jit::JitOptions options;
  options.optimize = false;
  auto native = jit::compile(program, options);
  if (!native)
    return native.error();
  return Engine::create(std::move(program), std::move(native).value());
#else
  return Error{Error::Code::Native, "this build of sigrun has no JIT (built without SIGRUN_WITH_LLVM)"};
#endif
}

}  // namespace sigrun::compiler
