// Internal to the driver: the compilation pipeline after reading (filters, log-source routing, lowering,
// codegen), shared by compile_rules and compile_rule_text, and the filter application it uses.
#pragma once

#include <string>
#include <vector>

#include "ast/filter.h"
#include "ast/rule.h"
#include "frontend/frontend.h"
#include "sigrun/compiler/compiler.h"
#include "sigrun/compiler/diagnostics.h"

namespace sigrun::compiler::detail {

// One file as the frontend read it. `failed` is set when reading it reported an error; compile_sources
// also sets it when one of its rules or filters fails later.
struct InputFile {
  std::string path;
  frontend::SourceFile contents;
  bool failed = false;
};

// Applies the filters (in order) to the rules, reads and loads the mappings, routes and lowers every rule
// and generates the program. `out.files`, `out.files_failed` and `out.failed_files` count `inputs`.
Compilation compile_sources(std::vector<InputFile>& inputs, diag::SourceManager& sources,
                            diag::DiagnosticEngine& diags, const CompileOptions& options);

// Applies `filter` to every rule it names (by id, then by name) or, with `rules: any`, to every rule whose
// log source the filter's contains: the filter's search identifiers are added under a private `_` prefix
// and each condition of the rule becomes `(condition) and (filter condition)`. Reports unknown rule
// references and log-source mismatches as warnings, errors in the filter's condition as errors; returns
// the number of rules it was applied to and sets `failed` when it reported an error.
size_t apply_filter(const ast::Filter& filter, std::vector<ast::Rule*>& rules, diag::DiagnosticEngine& diags,
                    bool& failed);

}  // namespace sigrun::compiler::detail
