// Implements rule_loading.h.
#include "rule_loading.h"

#include <iostream>

namespace sigrun::cli {

LoadedRules load_rules(const std::vector<std::string>& paths) {
  LoadedRules loaded;
  auto files = compiler::collect_rule_files(paths);
  if (!files) {
    std::cerr << "sigrun: error: " << files.error().message << "\n";
    loaded.io_error = true;
    return loaded;
  }
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  loaded.compilation = compiler::compile_rules(files.value(), sources, diags);
  for (const diag::Diagnostic& d : diags.all())
    std::cerr << diag::render(d, sources);
  loaded.errors = diags.error_count();
  loaded.warnings = diags.warning_count();
  return loaded;
}

}  // namespace sigrun::cli
