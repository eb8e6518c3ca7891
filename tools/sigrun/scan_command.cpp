// `sigrun scan --rules PATH... [EVENTS|-]`: compile rules, then evaluate every NDJSON event and write one
// JSON line per match to stdout. Malformed events are reported on stderr with their line number and
// counted; the stream goes on.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "output/output.h"
#include "rule_loading.h"
#include "sigrun/engine.h"

namespace sigrun::cli {
namespace {

struct ScanOptions {
  std::vector<std::string> rule_paths;
  std::string events = "-";
  std::string engine = "jit";
  bool keep_going = false;
  bool stats = false;
};

void print_stats(const ScanStats& stats, const Engine& engine, const std::vector<uint64_t>& per_rule,
                 double seconds) {
  std::fprintf(stderr, "sigrun: engine %.*s, %zu rules\n", static_cast<int>(engine.backend().size()),
               engine.backend().data(), engine.program().rules.size());
  std::fprintf(stderr,
               "sigrun: %llu events read, %llu evaluated, %llu rejected, %llu matches, %llu bytes in %.3f s "
               "(%.0f events/s)\n",
               static_cast<unsigned long long>(stats.events_read),
               static_cast<unsigned long long>(stats.events_evaluated),
               static_cast<unsigned long long>(stats.events_rejected),
               static_cast<unsigned long long>(stats.matches),
               static_cast<unsigned long long>(stats.bytes_read), seconds,
               seconds > 0 ? static_cast<double>(stats.events_read) / seconds : 0.0);
  for (size_t r = 0; r < per_rule.size(); ++r) {
    if (per_rule[r] == 0)
      continue;
    const program::RuleInfo& rule = engine.program().rules[r];
    std::fprintf(stderr, "sigrun:   %8llu  %s  %s\n", static_cast<unsigned long long>(per_rule[r]),
                 rule.id.c_str(), rule.title.c_str());
  }
}

int run_scan(const ScanOptions& options) {
  compiler::Backend backend = compiler::Backend::Jit;
  if (options.engine == "interp") {
    backend = compiler::Backend::Interpreter;
  } else if (options.engine != "jit") {
    std::cerr << "sigrun: error: unknown engine '" << options.engine << "'; expected jit or interp\n";
    return kExitUsage;
  }

  LoadedRules loaded = load_rules(options.rule_paths);
  if (loaded.io_error)
    return kExitIoError;
  if (loaded.errors != 0 && !options.keep_going) {
    std::cerr << "sigrun: error: " << loaded.errors << " errors in the rules; nothing scanned "
              << "(--keep-going runs the rules that compiled)\n";
    return kExitRuleErrors;
  }
  const size_t rule_count = loaded.compilation.program.rules.size();
  auto engine = compiler::make_engine(std::move(loaded.compilation.program), backend);
  if (!engine) {
    std::cerr << "sigrun: error: " << engine.error().message << "\n";
    return kExitRuleErrors;
  }

  std::FILE* input = stdin;
  const bool from_stdin = options.events == "-";
  if (!from_stdin) {
    input = std::fopen(options.events.c_str(), "rb");
    if (input == nullptr) {
      std::cerr << "sigrun: error: " << options.events << ": " << std::strerror(errno) << "\n";
      return kExitIoError;
    }
  }
  const std::string source_name = from_stdin ? "<stdin>" : options.events;

  Scanner scanner(engine.value());
  std::vector<uint64_t> per_rule(rule_count, 0);
  const program::RuleInfo* first_rule = rule_count ? &engine.value()->program().rules[0] : nullptr;
  std::string line_out;
  const auto started = std::chrono::steady_clock::now();
  const ScanStats stats = scanner.scan_stream(
      input,
      [&](const Match& match) {
        ++per_rule[static_cast<size_t>(match.rule - first_rule)];
        line_out.clear();
        output::append_match_json(match, line_out);
        std::fwrite(line_out.data(), 1, line_out.size(), stdout);
      },
      [&](const EventError& error) {
        if (error.line == 0) {
          std::cerr << "sigrun: error: " << source_name << ": " << error.reason << "\n";
        } else {
          std::cerr << "sigrun: " << source_name << ":" << error.line << ": skipped event: " << error.reason
                    << "\n";
        }
      });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const bool read_failed = std::ferror(input) != 0;
  if (!from_stdin)
    std::fclose(input);

  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::cerr << "sigrun: error: writing matches failed: " << std::strerror(errno) << "\n";
    return kExitIoError;
  }
  if (stats.events_rejected != 0) {
    std::cerr << "sigrun: " << stats.events_rejected << " of " << stats.events_read
              << " events were malformed and skipped\n";
  }
  if (options.stats)
    print_stats(stats, *engine.value(), per_rule, seconds);
  if (read_failed)
    return kExitIoError;
  return loaded.errors == 0 ? kExitOk : kExitRuleErrors;
}

}  // namespace

Command add_scan_command(CLI::App& app) {
  auto options = std::make_shared<ScanOptions>();
  CLI::App* cmd =
      app.add_subcommand("scan", "Evaluate rules over NDJSON events and print matches as JSON lines");
  // One path per occurrence (repeat the option, or separate with commas) so the events path that follows
  // is not taken for a rule path.
  cmd->add_option("--rules,-r", options->rule_paths, "Rule file or directory; repeat or separate with commas")
      ->required()
      ->allow_extra_args(false)
      ->delimiter(',');
  cmd->add_option("events", options->events, "NDJSON file to read, or - for standard input (the default)");
  cmd->add_option("--engine", options->engine, "Evaluation backend: jit (native code, the default) or interp")
      ->check(CLI::IsMember({"jit", "interp"}));
  cmd->add_flag("--keep-going", options->keep_going,
                "Run the rules that compiled even if others have errors (exit code 1 afterwards)");
  cmd->add_flag("--stats", options->stats, "Print counters, throughput and per-rule match counts to stderr");
  return [options] { return run_scan(*options); };
}

}  // namespace sigrun::cli
