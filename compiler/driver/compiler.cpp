// Implements sigrun/compiler/compiler.h: the pipeline frontend -> IR -> codegen -> engine.
#include "sigrun/compiler/compiler.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "codegen/codegen.h"
#include "frontend/frontend.h"
#include "ir/lower_ast.h"
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

void lower_rules(const std::vector<ast::Rule>& rules, ir::Module& module, diag::DiagnosticEngine& diags,
                 Compilation& out) {
  for (const ast::Rule& rule : rules) {
    if (ir::lower_rule(rule, module, diags))
      ++out.rules_compiled;
  }
}

}  // namespace

Compilation compile_rules(const std::vector<std::string>& files, diag::SourceManager& sources,
                          diag::DiagnosticEngine& diags) {
  Compilation out;
  ir::Module module;
  for (const std::string& file : files) {
    const size_t errors_before = diags.error_count();
    lower_rules(frontend::read_rule_file(file, sources, diags), module, diags, out);
    ++out.files;
    if (diags.error_count() != errors_before) {
      ++out.files_failed;
      out.failed_files.push_back(file);
    }
  }
  out.program = codegen::lower_to_program(module);
  return out;
}

Compilation compile_rule_text(const std::string& path, const std::string& text, diag::SourceManager& sources,
                              diag::DiagnosticEngine& diags) {
  Compilation out;
  ir::Module module;
  const size_t errors_before = diags.error_count();
  const uint32_t file = sources.add_file(path, text);
  for (const ast::YamlValue& document : frontend::load_yaml(file, sources.text(file), diags)) {
    if (auto rule = frontend::read_rule(document, path, diags)) {
      lower_rules({*rule}, module, diags, out);
    }
  }
  out.files = 1;
  if (diags.error_count() != errors_before) {
    out.files_failed = 1;
    out.failed_files.push_back(path);
  }
  out.program = codegen::lower_to_program(module);
  return out;
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
