// The compiler's public API: rule files in, a runtime program (and an engine to run it) out.
//
//   sigrun::diag::SourceManager sources;
//   sigrun::diag::DiagnosticEngine diags;
//   auto files = sigrun::compiler::collect_rule_files({"rules/"});
//   if (!files) return fail(files.error().message);
//   sigrun::compiler::Compilation c = sigrun::compiler::compile_rules(files.value(), sources, diags);
//   for (const auto& d : diags.all()) std::cerr << sigrun::diag::render(d, sources);
//   auto engine = sigrun::compiler::make_engine(std::move(c.program), sigrun::compiler::Backend::Jit);
//
// Not thread-safe: one compilation per thread. The program and engines produced are independent of the
// SourceManager and DiagnosticEngine.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "program/program.h"
#include "sigrun/compiler/diagnostics.h"
#include "sigrun/engine.h"
#include "sigrun/result.h"

namespace sigrun::compiler {

enum class Backend {
  Interpreter,  // the reference semantics
  Jit,          // native code through LLVM ORC (when built with SIGRUN_WITH_LLVM)
};

// Whether this build has the JIT backend.
bool jit_available();

// The rule files named by `paths`: files as given, directories searched recursively for *.yml and *.yaml.
// Sorted within each directory so compilation order (and thus the program) is deterministic.
// Errors: Io when a path does not exist or a directory cannot be read.
Result<std::vector<std::string>> collect_rule_files(const std::vector<std::string>& paths);

// A Sigma log source; an empty string is an attribute that is not set.
struct LogSourceSpec {
  std::string product;
  std::string category;
  std::string service;
};

// Parses a log-source declaration such as "product=zeek,service=http": comma-separated `key=value` pairs
// with the keys product, category and service, each at most once, at least one. Errors: InvalidArgument
// saying what is wrong.
Result<LogSourceSpec> parse_logsource_spec(const std::string& text);

// What becomes of a rule whose log source no mapping entry maps and no declaration covers.
enum class UnmappedRules {
  Skip,  // checked, but left out of the program (listed in Compilation::unmapped)
  Run,   // runs on every event (ad-hoc hunting; a rule that is only a negation then fires on everything)
};

// How rules are compiled. The defaults compile every rule to run on every event, with no mapping read.
struct CompileOptions {
  // Route each rule to the events of its log source (docs/logsources.md). Off: every rule runs on every
  // event and the other log-source options are ignored.
  bool route_logsources = false;
  // Mapping files or directories (searched for *.yml and *.yaml), read in order.
  std::vector<std::string> mapping_paths;
  // Mappings held in memory (tests, tools), read after mapping_paths; `path` names them in diagnostics.
  struct MappingText {
    std::string path;
    std::string text;
  };
  std::vector<MappingText> mapping_texts;
  // The stream is (each of) these log sources: rules whose log source contains one run on every event
  // without conditions; rules whose log source contradicts all of them do not run.
  std::vector<LogSourceSpec> declared_logsources;
  UnmappedRules unmapped = UnmappedRules::Skip;

  // Files or directories holding only Sigma filter documents. Filters found among the rule files apply
  // as well.
  std::vector<std::string> filter_paths;

  // Values of `%name%` placeholders for the `expand` modifier: a YAML file mapping each name to a value or
  // a list of values (each an alternative), read first; then the values given here, which replace the
  // file's for the same name. With neither, a rule using a placeholder fails with
  // "placeholder-unresolved"; problems in the file are "placeholders-file" errors.
  std::string placeholders_path;
  std::map<std::string, std::vector<std::string>> placeholders;
};

// A rule named in a listing (unmapped rules, ...).
struct RuleListing {
  std::string id;
  std::string title;
  std::string source_file;
  uint32_t line = 0;
  LogSourceSpec logsource;
};

struct Compilation {
  program::Program program;  // every rule that compiled and runs, in file order
  size_t files = 0;          // files read
  size_t files_failed = 0;   // files with at least one error
  // Rules without errors, whether or not the program runs them.
  size_t rules_compiled = 0;
  std::vector<std::string> failed_files;

  // With CompileOptions::route_logsources, how the rules were routed:
  size_t mapping_entries = 0;             // mapping entries loaded
  size_t rules_mapped = 0;                // run on the events of their mapping entries
  size_t rules_every_event = 0;           // run on every event: a declared log source covers them
  size_t rules_unmapped_run = 0;          // unmapped, run on every event (UnmappedRules::Run)
  std::vector<RuleListing> unmapped;      // unmapped and left out (UnmappedRules::Skip)
  std::vector<RuleListing> other_source;  // left out: their log source contradicts the declared ones
  // Filters: documents read, and (filter, rule) pairs applied.
  size_t filters = 0;
  size_t filters_applied = 0;
};

// Reads, checks and lowers every rule of `files`. Problems go to `diags` (every one of them: compilation
// goes on after errors); rules with errors are left out of the program. Filter documents among the files
// (and in options.filter_paths) are applied to the rules they name before lowering; mapping problems are
// reported like rule problems.
Compilation compile_rules(const std::vector<std::string>& files, diag::SourceManager& sources,
                          diag::DiagnosticEngine& diags, const CompileOptions& options = {});

// The same for rule text held in memory (tests, tools); `path` is only used in diagnostics.
Compilation compile_rule_text(const std::string& path, const std::string& text, diag::SourceManager& sources,
                              diag::DiagnosticEngine& diags, const CompileOptions& options = {});

// An engine running `program` on `backend`. Errors: those of Engine::create, and Native when the JIT is
// unavailable or fails.
Result<std::shared_ptr<const Engine>> make_engine(program::Program program, Backend backend);

}  // namespace sigrun::compiler
