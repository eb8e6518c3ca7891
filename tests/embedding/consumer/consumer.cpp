// An embedder of the installed C++ API: loads a pack, scans an NDJSON file held in memory, and swaps the
// pack in while a scanner is live. Includes every public header, so each must compile on its own from
// the installed tree.
#include <sigrun/engine.h>
#include <sigrun/input_format.h>
#include <sigrun/live_engine.h>
#include <sigrun/match.h>
#include <sigrun/pack.h>
#include <sigrun/result.h>
#include <sigrun/sigrun.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: consumer PACK EVENTS\n";
    return 2;
  }
  sigrun::Result<sigrun::Pack> pack = sigrun::Pack::load(argv[1]);
  if (!pack) {
    std::cerr << "consumer: " << pack.error().message << "\n";
    return 1;
  }
  std::cout << "pack " << argv[1] << ": " << pack->info().rule_count << " rules for "
            << pack->info().target_cpu << ", backend " << pack->engine()->backend() << "\n";

  std::ifstream in(argv[2], std::ios::binary);
  const std::string events((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  sigrun::LiveEngine live(pack->engine());
  sigrun::LiveScanner scanner(live);
  const auto print = [](const sigrun::Match& m) {
    std::cout << "line " << m.line << ": " << m.rule->title << ": " << m.message << "\n";
  };
  sigrun::ScanStats stats = scanner.scan_buffer(events, print, nullptr);
  std::cout << stats.events_read << " events, " << stats.matches << " matches\n";

  sigrun::Result<sigrun::Pack> again = sigrun::Pack::load(argv[1]);
  if (!again) {
    std::cerr << "consumer: " << again.error().message << "\n";
    return 1;
  }
  live.replace(again->engine());
  stats = scanner.scan_buffer(events, nullptr, nullptr);
  std::cout << "after reload (generation " << scanner.generation() << "): " << stats.matches << " matches\n";
  return stats.matches == 0 ? 1 : 0;
}
