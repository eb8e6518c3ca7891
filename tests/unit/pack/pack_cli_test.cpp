// `sigrun compile` and `sigrun scan --pack` from the command line: the same rules give the same pack bytes,
// a pack gives the matches of its rules, and bad packs or options are refused with the documented exit
// codes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string out;
};

CommandResult run(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return result;
  std::array<char, 65536> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class PackCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sigrun-pack-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string cli() const { return SIGRUN_CLI_PATH; }
  std::string rules() const { return std::string(SIGRUN_SOURCE_DIR) + "/rules"; }
  std::string events() const {
    return std::string(SIGRUN_SOURCE_DIR) + "/examples/cloudtrail/organizations.ndjson";
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(PackCli, CompilingTwiceGivesTheSameBytes) {
  const CommandResult first = run(cli() + " compile " + rules() + " -o " + path("a.pack") + " 2>&1");
  ASSERT_EQ(first.status, 0) << first.out;
  EXPECT_NE(first.out.find("wrote " + path("a.pack") + ": 1 rules"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("native code for cpu x86-64-v2"), std::string::npos) << first.out;
  const CommandResult second = run(cli() + " compile " + rules() + " -o " + path("b.pack") + " 2>&1");
  ASSERT_EQ(second.status, 0) << second.out;
  const std::string a = read_file(path("a.pack"));
  EXPECT_GT(a.size(), 1000u);
  EXPECT_TRUE(a == read_file(path("b.pack"))) << "two compiles of the same rules differ";
  // No temporary file is left beside the pack.
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir_))
    files += entry.is_regular_file();
  EXPECT_EQ(files, 2u);
}

TEST_F(PackCli, ScanningAPackGivesTheMatchesOfItsRules) {
  ASSERT_EQ(run(cli() + " compile " + rules() + " -o " + path("aws.pack") + " 2>&1").status, 0);
  const CommandResult jit = run(cli() + " scan --rules " + rules() + " " + events() + " 2>/dev/null");
  const CommandResult interp =
      run(cli() + " scan --rules " + rules() + " --engine interp " + events() + " 2>/dev/null");
  const CommandResult aot = run(cli() + " scan --pack " + path("aws.pack") + " " + events() + " 2>/dev/null");
  const CommandResult aot_interp =
      run(cli() + " scan --pack " + path("aws.pack") + " --engine interp " + events() + " 2>/dev/null");
  ASSERT_EQ(jit.status, 0);
  ASSERT_EQ(aot.status, 0);
  EXPECT_EQ(std::count(jit.out.begin(), jit.out.end(), '\n'), 3);
  EXPECT_EQ(aot.out, jit.out);
  EXPECT_EQ(aot.out, interp.out);
  EXPECT_EQ(aot_interp.out, interp.out);

  const CommandResult stats =
      run(cli() + " scan --pack " + path("aws.pack") + " --stats " + events() + " 2>&1 >/dev/null");
  EXPECT_NE(stats.out.find("sigrun: engine aot, 1 rules"), std::string::npos) << stats.out;
  const CommandResult from_stdin =
      run(cli() + " scan --pack " + path("aws.pack") + " < " + events() + " 2>/dev/null");
  EXPECT_EQ(from_stdin.out, aot.out);
}

TEST_F(PackCli, BadPacksAndOptionsAreRefused) {
  ASSERT_EQ(run(cli() + " compile " + rules() + " -o " + path("aws.pack") + " 2>&1").status, 0);
  const std::string pack = read_file(path("aws.pack"));
  std::ofstream(path("truncated.pack"), std::ios::binary) << pack.substr(0, pack.size() / 2);
  const CommandResult truncated =
      run(cli() + " scan --pack " + path("truncated.pack") + " " + events() + " 2>&1");
  EXPECT_EQ(truncated.status, 3);
  EXPECT_NE(truncated.out.find("invalid pack: truncated: the header says"), std::string::npos)
      << truncated.out;

  const CommandResult missing = run(cli() + " scan --pack " + path("nope.pack") + " " + events() + " 2>&1");
  EXPECT_EQ(missing.status, 3);
  EXPECT_NE(missing.out.find("cannot open: No such file or directory"), std::string::npos) << missing.out;

  const CommandResult both =
      run(cli() + " scan --pack " + path("aws.pack") + " --rules " + rules() + " " + events() + " 2>&1");
  EXPECT_EQ(both.status, 2) << both.out;
  const CommandResult neither = run(cli() + " scan " + events() + " 2>&1");
  EXPECT_EQ(neither.status, 2) << neither.out;
  EXPECT_NE(neither.out.find("--rules PATH or a compiled pack with --pack FILE"), std::string::npos)
      << neither.out;
  const CommandResult mappings =
      run(cli() + " scan --pack " + path("aws.pack") + " --mappings " + rules() + " " + events() + " 2>&1");
  EXPECT_EQ(mappings.status, 2);
  EXPECT_NE(mappings.out.find("--mappings does not apply to --pack"), std::string::npos) << mappings.out;
  const CommandResult jit =
      run(cli() + " scan --pack " + path("aws.pack") + " --engine jit " + events() + " 2>&1");
  EXPECT_EQ(jit.status, 2);
  EXPECT_NE(jit.out.find("--engine jit compiles rules"), std::string::npos) << jit.out;
  const CommandResult aot_rules =
      run(cli() + " scan --rules " + rules() + " --engine aot " + events() + " 2>&1");
  EXPECT_EQ(aot_rules.status, 2);
  EXPECT_NE(aot_rules.out.find("--engine aot needs --pack"), std::string::npos) << aot_rules.out;

  const CommandResult cpu = run(cli() + " compile " + rules() + " -o " + path("x.pack") + " --cpu 486 2>&1");
  EXPECT_EQ(cpu.status, 2);
  EXPECT_NE(cpu.out.find("unknown cpu '486'"), std::string::npos) << cpu.out;
  const CommandResult linker =
      run(cli() + " compile " + rules() + " -o " + path("x.pack") + " --linker /nonexistent/cc 2>&1");
  EXPECT_EQ(linker.status, 3);
  EXPECT_NE(linker.out.find("cannot run the linker '/nonexistent/cc'"), std::string::npos) << linker.out;
  EXPECT_FALSE(fs::exists(path("x.pack")));
  const CommandResult unwritable =
      run(cli() + " compile " + rules() + " -o " + path("no/such/dir/x.pack") + " 2>&1");
  EXPECT_EQ(unwritable.status, 3);
  EXPECT_NE(unwritable.out.find("cannot create a file beside it"), std::string::npos) << unwritable.out;
}

TEST_F(PackCli, PacksWithoutNativeCode) {
  const CommandResult compiled =
      run(cli() + " compile " + rules() + " -o " + path("plain.pack") + " --cpu none 2>&1");
  ASSERT_EQ(compiled.status, 0) << compiled.out;
  EXPECT_NE(compiled.out.find("no native code"), std::string::npos) << compiled.out;
  const CommandResult stats =
      run(cli() + " scan --pack " + path("plain.pack") + " --stats " + events() + " 2>&1");
  EXPECT_NE(stats.out.find("sigrun: engine interp, 1 rules"), std::string::npos) << stats.out;
}

}  // namespace
