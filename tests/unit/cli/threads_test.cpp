// `sigrun scan --threads N`: any number of threads prints exactly what one thread prints (matches in input
// order, skipped-event lines, counters), whatever the chunk size, input format and framing, from files and
// from standard input. Chunks are made tiny (--testing-chunk-bytes) so their boundaries fall everywhere:
// inside runs of blank lines, before and after malformed lines, in lines longer than a chunk.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/shared_data.h"

namespace {

namespace fs = std::filesystem;

struct Output {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class ScanThreads : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sigrun-threads-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    // The interpreter: threads do not depend on the backend, and it is in every build.
    rules_ = std::string("--rules '") + SIGRUN_SOURCE_DIR + "/rules' --engine interp";
  }

  // The SigmaHQ corpus (through the interpreter); false when absent.
  bool use_corpus() {
    const fs::path corpus = sigrun::testing::shared_dir() / "sigma-rules" / "rules";
    if (!fs::is_directory(corpus))
      return false;
    rules_ = "--rules '" + corpus.string() + "' --engine interp";
    return true;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `sigrun scan` over `events` (a file, or standard input when `from_stdin`) with `args`.
  Output scan(const std::string& events, const std::string& args, bool from_stdin = false) {
    const fs::path input = dir_ / "events";
    std::ofstream(input, std::ios::binary) << events;
    const std::string command = std::string("'") + SIGRUN_CLI_PATH + "' scan " + rules_ + " " + args +
                                (from_stdin ? " - <'" : " '") + input.string() + "' >'" +
                                (dir_ / "out").string() + "' 2>'" + (dir_ / "err").string() + "'";
    const int status = std::system(command.c_str());
    return Output{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir_ / "out"),
                  read_file(dir_ / "err")};
  }

  // One thread against several, with chunk sizes from tiny to larger than the input.
  void expect_same_as_one_thread(const std::string& events, const std::string& format, size_t min_matches) {
    const Output one = scan(events, "--threads 1 --input-format " + format);
    ASSERT_EQ(one.exit_code, 0) << one.err;
    EXPECT_GE(static_cast<size_t>(std::count(one.out.begin(), one.out.end(), '\n')), min_matches);
    const std::pair<const char*, const char*> runs[] = {
        {"2", "65536"}, {"3", "1"}, {"3", "300"}, {"8", "300"}, {"8", "100000000"}};
    for (const auto& [threads, chunk] : runs) {
      SCOPED_TRACE(std::string("threads ") + threads + ", chunks of " + chunk + " bytes, format " + format);
      const Output many = scan(events, std::string("--threads ") + threads + " --testing-chunk-bytes " +
                                           chunk + " --input-format " + format);
      EXPECT_EQ(many.exit_code, one.exit_code);
      EXPECT_TRUE(many.out == one.out) << "matches differ";
      EXPECT_EQ(many.err, one.err);
    }
    const Output piped =
        scan(events, "--threads 4 --testing-chunk-bytes 1000 --input-format " + format, true);
    EXPECT_TRUE(piped.out == one.out) << "matches differ when read from standard input";
  }

  std::string rules_;
  fs::path dir_;
};

// Up to `limit` lines from the shared datasets whose lines start like `prefix` (or not, `with` false).
std::string dataset_lines(size_t limit, const std::string& prefix, bool with) {
  const fs::path root = sigrun::testing::shared_dir() / "datasets";
  std::string out;
  if (!fs::is_directory(root))
    return out;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".ndjson")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  size_t taken = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    size_t from_file = 0;
    for (std::string line; taken < limit && from_file < 40 && std::getline(in, line); ++from_file) {
      if ((line.rfind(prefix, 0) == 0) != with)
        break;
      out += line + "\n";
      ++taken;
    }
  }
  return out;
}

TEST_F(ScanThreads, MessyLinesGiveTheSameOutput) {
  const std::string invite =
      R"({"eventSource":"organizations.amazonaws.com","eventName":"InviteAccountToOrganization","requestParameters":{"target":{"type":"ACCOUNT","id":"1"}}})";
  std::string events;
  for (int i = 0; i < 40; ++i) {
    events += invite + (i % 3 == 0 ? "\r\n" : "\n");
    if (i % 5 == 0)
      events += "\n  \n";
    if (i % 7 == 0)
      events += "{\"broken\": \n";
    if (i % 11 == 0)
      events += "{\"padding\":\"" + std::string(2000, 'x') + "\"}\n";
  }
  events += invite;  // no newline at the end
  expect_same_as_one_thread(events, "json", 40);
  expect_same_as_one_thread(events, "auto", 40);
}

TEST_F(ScanThreads, AutoFallsBackToOneScannerForMultiLineDocuments) {
  // A pretty-printed CloudTrail log file: auto detects cloudtrail, which cannot be cut at line ends.
  std::string events = "{\n  \"Records\": [\n";
  for (int i = 0; i < 30; ++i) {
    events += std::string(i ? ",\n" : "") +
              "    {\"eventSource\": \"organizations.amazonaws.com\",\n     \"eventName\": "
              "\"InviteAccountToOrganization\"}";
  }
  events += "\n  ]\n}\n";
  expect_same_as_one_thread(events, "auto", 30);
  expect_same_as_one_thread(events, "cloudtrail", 30);
  // Malformed lines before the first object: nothing decided in the first chunk.
  expect_same_as_one_thread(std::string(50, '\n') + "[1]\nnope\n" + events, "auto", 30);
}

TEST_F(ScanThreads, DatasetsGiveTheSameOutput) {
  const std::string evtx = dataset_lines(3000, "{\"Event\":", true);
  const std::string json = dataset_lines(3000, "{\"Event\":", false);
  if (evtx.empty() && json.empty())
    GTEST_SKIP() << "datasets not found under " << sigrun::testing::shared_dir();
  if (!use_corpus())
    GTEST_SKIP() << "SigmaHQ corpus not found under " << sigrun::testing::shared_dir();
  expect_same_as_one_thread(evtx, "evtx-json", 1);
  expect_same_as_one_thread(evtx, "auto", 1);
  expect_same_as_one_thread(json, "json", 1);
}

TEST_F(ScanThreads, ThreadsMustBePositive) {
  const Output zero = scan("{}\n", "--threads 0");
  EXPECT_EQ(zero.exit_code, 2) << zero.err;
}

}  // namespace
