// `sigrun scan --rules PATH... [EVENTS|-]`: compile rules (or load a compiled pack, `--pack FILE`), then
// evaluate every JSON event and write one JSON line per match to stdout. Malformed events are reported on
// stderr with their line number and counted; the stream goes on.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "output/output.h"
#include "pack_loading.h"
#include "parallel_scan.h"
#include "rule_loading.h"
#include "scan_progress.h"
#include "sigrun/engine.h"

namespace sigrun::cli {
namespace {

struct ScanOptions {
  std::vector<std::string> rule_paths;
  std::string pack;                   // --pack: a compiled pack instead of rule paths
  const CLI::App* command = nullptr;  // to tell which options were given
  std::string events = "-";
  std::string engine = "jit";
  std::string input_format = "auto";
  bool keep_going = false;
  bool stats = false;
  bool no_progress = false;
  unsigned threads = 0;            // 0: one per core
  size_t testing_chunk_bytes = 0;  // FOR TESTING ONLY: chunks of this many bytes with --threads
  RoutingOptions routing;
};

void print_stats(const ScanStats& stats, const Engine& engine, const std::vector<uint64_t>& per_rule,
                 double seconds, bool format_detected) {
  std::fprintf(stderr, "sigrun: engine %.*s, %zu rules\n", static_cast<int>(engine.backend().size()),
               engine.backend().data(), engine.program().rules.size());
  const std::string_view format = input_format_name(stats.format);
  std::fprintf(stderr, "sigrun: input format %.*s (%s)\n", static_cast<int>(format.size()), format.data(),
               format_detected ? "detected" : "given");
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

// The engine of `scan --rules`: the rules compiled now. Null after printing why (exit code in *exit_code).
std::shared_ptr<const Engine> compile_engine(const ScanOptions& options, LoadedRules& loaded,
                                             int* exit_code) {
  compiler::Backend backend = compiler::Backend::Jit;
  if (options.engine == "interp") {
    backend = compiler::Backend::Interpreter;
  } else if (options.engine != "jit") {
    std::cerr << "sigrun: error: --engine " << options.engine
              << " needs --pack; rules run as jit or interp\n";
    *exit_code = kExitUsage;
    return nullptr;
  }

  const std::optional<compiler::CompileOptions> compile = compile_options(options.routing);
  if (!compile) {
    *exit_code = kExitUsage;
    return nullptr;
  }
  loaded = load_rules(options.rule_paths, *compile);
  if (loaded.io_error) {
    *exit_code = kExitIoError;
    return nullptr;
  }
  if (!options.stats && !loaded.compilation.unmapped.empty()) {
    std::cerr << "sigrun: " << loaded.compilation.unmapped.size()
              << " rules not run: no mapping for their log source (--stats lists them; --unmapped run "
                 "runs them on every event)\n";
  }
  if (loaded.errors != 0 && !options.keep_going) {
    std::cerr << "sigrun: error: " << loaded.errors << " errors in the rules; nothing scanned "
              << "(--keep-going runs the rules that compiled)\n";
    *exit_code = kExitRuleErrors;
    return nullptr;
  }
  auto engine = compiler::make_engine(std::move(loaded.compilation.program), backend);
  if (!engine) {
    std::cerr << "sigrun: error: " << engine.error().message << "\n";
    *exit_code = kExitRuleErrors;
    return nullptr;
  }
  return std::move(engine).value();
}

int run_scan(const ScanOptions& options) {
  if (options.rule_paths.empty() == options.pack.empty()) {
    std::cerr
        << "sigrun: error: give the rules to run with --rules PATH or a compiled pack with --pack FILE\n";
    return kExitUsage;
  }
  LoadedRules loaded;
  int exit_code = kExitOk;
  const std::shared_ptr<const Engine> engine =
      options.pack.empty() ? compile_engine(options, loaded, &exit_code)
                           : load_pack_engine(*options.command, options.pack, options.engine, &exit_code);
  if (!engine)
    return exit_code;
  const size_t rule_count = engine->program().rules.size();

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
  StreamOptions stream_options;
  stream_options.format = parse_input_format(options.input_format).value_or(InputFormat::Auto);
  std::vector<RuleCost> rule_costs;
  if (options.stats)
    stream_options.rule_costs = &rule_costs;
  const std::unique_ptr<ProgressBar> progress =
      options.no_progress || from_stdin ? nullptr : ProgressBar::create(input);
  if (progress)
    stream_options.on_progress = [&progress](const ScanStats& so_far) { progress->update(so_far); };

  ParallelOptions parallel;
  parallel.threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  if (options.testing_chunk_bytes != 0)
    parallel.chunk_bytes = options.testing_chunk_bytes;
  std::vector<uint64_t> per_rule(rule_count, 0);
  const program::RuleInfo* first_rule = rule_count ? &engine->program().rules[0] : nullptr;
  std::string line_out;
  const auto started = std::chrono::steady_clock::now();
  const ScanStats stats = scan_in_parallel(
      engine, input,
      [&](const Match& match) {
        ++per_rule[static_cast<size_t>(match.rule - first_rule)];
        line_out.clear();
        output::append_match_json(match, line_out);
        std::fwrite(line_out.data(), 1, line_out.size(), stdout);
      },
      [&](const EventError& error) {
        if (progress)
          progress->clear();
        if (error.line == 0) {
          std::cerr << "sigrun: error: " << source_name << ": " << error.reason << "\n";
        } else {
          std::cerr << "sigrun: " << source_name << ":" << error.line << ": skipped event: " << error.reason
                    << "\n";
        }
      },
      stream_options, parallel);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (progress)
    progress->clear();
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
  if (options.stats) {
    print_stats(stats, *engine, per_rule, seconds, stream_options.format == InputFormat::Auto);
    print_rule_costs(*engine, rule_costs);
    if (options.pack.empty())
      print_routing(loaded.compilation, /*list=*/true);
  }
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
  CLI::Option* rules = cmd->add_option("--rules,-r", options->rule_paths,
                                       "Rule file or directory; repeat or separate with commas")
                           ->allow_extra_args(false)
                           ->delimiter(',');
  cmd->add_option("--pack", options->pack, "A pack built by `sigrun compile`, instead of --rules")
      ->excludes(rules);
  options->command = cmd;
  cmd->add_option("events", options->events, "Events file to read, or - for standard input (the default)");
  const char* const input_format_help =
      "How events are framed and named: auto (the default: decided by the first event), json (one object "
      "per line), evtx-json (evtx_dump JSON lines, Sigma field names), cloudtrail (CloudTrail log files "
      "{\"Records\":[...]}, possibly pretty-printed, or one record per line)";
  cmd->add_option("--input-format", options->input_format, input_format_help)
      ->check(CLI::IsMember({"auto", "json", "evtx-json", "cloudtrail"}));
  cmd->add_option("--engine", options->engine,
                  "Evaluation backend: native code (the default: jit for --rules, the pack's aot code for "
                  "--pack) or interp")
      ->check(CLI::IsMember({"jit", "aot", "interp"}));
  cmd->add_flag("--keep-going", options->keep_going,
                "Run the rules that compiled even if others have errors (exit code 1 afterwards)");
  cmd->add_flag("--stats", options->stats,
                "Print counters, throughput, per-rule match counts, the costliest rules (sampled) and the "
                "rules not run to stderr");
  cmd->add_option(
         "--threads", options->threads,
         "Scanning threads (default: one per core); the output is the same, in input order, with any "
         "number")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--testing-chunk-bytes", options->testing_chunk_bytes,
                  "FOR TESTING ONLY: the size of the chunks --threads spreads")
      ->group("");
  cmd->add_flag("--no-progress", options->no_progress,
                "No progress bar (drawn on stderr when it is a terminal and EVENTS is a file)");
  add_routing_options(cmd, options->routing);
  return [options] { return run_scan(*options); };
}

}  // namespace sigrun::cli
