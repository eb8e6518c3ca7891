// `sigrun scan --stats` shows the sampled cost of the costliest rules; a progress bar is drawn on stderr
// when it is a terminal and the events come from a file, and never otherwise.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

fs::path temp_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("sigrun_scan_stats_test_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// 2,700 events: the 27 samples a hundred times, so the scan reports progress more than once.
fs::path many_events() {
  const fs::path path = temp_dir() / "events.ndjson";
  const std::string sample =
      read_file(fs::path(SIGRUN_SOURCE_DIR) / "examples/cloudtrail/organizations.ndjson");
  std::ofstream out(path, std::ios::binary);
  for (int i = 0; i < 100; ++i)
    out << sample;
  return path;
}

// Runs a shell command from the source directory; returns its exit status and what it wrote to `output`
// (standard output and standard error).
int run(const std::string& command, std::string& output) {
  const fs::path out = temp_dir() / "out.txt";
  const std::string full =
      "cd '" + std::string(SIGRUN_SOURCE_DIR) + "' && ( " + command + " ) >'" + out.string() + "' 2>&1";
  const int status = std::system(full.c_str());
  output = read_file(out);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const std::string kScan = std::string("'") + SIGRUN_CLI_PATH + "' scan --rules rules/ --unmapped run ";

TEST(ScanStats, ShowsTheSampledCostOfTheCostliestRules) {
  std::string err;
  ASSERT_EQ(run(kScan + "--stats '" + many_events().string() + "' >/dev/null", err), 0) << err;
  EXPECT_NE(err.find("sigrun: 2700 events read, 2700 evaluated, 0 rejected, 300 matches"), std::string::npos)
      << err;
  EXPECT_NE(err.find("sigrun: rule cost, sampled (1 event in 1024, each rule 16 times)"), std::string::npos)
      << err;
  EXPECT_TRUE(std::regex_search(
      err,
      std::regex("\nsigrun: +[0-9]+\\.[0-9] ns  100\\.0%  4a62e8cb-0cdc-4429-8b69-ab3a5616670d  Invitation "
                 "sent to account to join AWS organization\n")))
      << err;
  EXPECT_EQ(err.find("\x1b[K"), std::string::npos) << "a progress bar on a stderr that is not a terminal";
}

TEST(ScanStats, DrawsAProgressBarOnATerminalForAFile) {
  std::string ignored;
  if (run("command -v script", ignored) != 0)
    GTEST_SKIP() << "needs script(1) to give sigrun a terminal";
  const std::string events = many_events().string();
  // script(1) runs the command on a pseudo-terminal and copies what it writes there to our stdout.
  std::string terminal;
  ASSERT_EQ(run("script -qec \"" + kScan + "'" + events + "' >/dev/null\" /dev/null", terminal), 0)
      << terminal;
  EXPECT_TRUE(
      std::regex_search(terminal, std::regex("\rsigrun: \\[[#.]{24}\\] +[0-9]+%  [0-9.]+ of [0-9.]+ MB  "
                                             "[0-9]+ events/s  [0-9]+ matches\x1b\\[K")))
      << terminal;
  EXPECT_NE(terminal.find("\r\x1b[K"), std::string::npos) << "the bar is erased at the end";

  ASSERT_EQ(run("script -qec \"" + kScan + "--no-progress '" + events + "' >/dev/null\" /dev/null", terminal),
            0);
  EXPECT_EQ(terminal.find("sigrun: ["), std::string::npos) << terminal;
  ASSERT_EQ(run("script -qec \"cat '" + events + "' | " + kScan + "- >/dev/null\" /dev/null", terminal), 0);
  EXPECT_EQ(terminal.find("sigrun: ["), std::string::npos) << "no bar for standard input: " << terminal;
}

}  // namespace
