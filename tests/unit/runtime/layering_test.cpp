// The runtime never depends on the compiler: its shared library links no LLVM, yaml-cpp or PEGTL, and no
// runtime source includes a compiler, LLVM, yaml-cpp or PEGTL header.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "support/process.h"

namespace {

namespace fs = std::filesystem;

using sigrun::testing::command_output;

TEST(Layering, RuntimeLibraryLinksNoCompilerDependency) {
  const std::string needed = command_output(std::string("readelf -d '") + SIGRUN_RUNTIME_LIBRARY + "' 2>&1");
  ASSERT_NE(needed.find("NEEDED"), std::string::npos) << needed;
  EXPECT_NE(needed.find("libsimdjson"), std::string::npos) << needed;
  const std::string all = command_output(std::string("ldd '") + SIGRUN_RUNTIME_LIBRARY + "' 2>&1");
  ASSERT_NE(all.find("libc.so"), std::string::npos) << all;
  for (const char* forbidden : {"LLVM", "yaml-cpp", "pegtl", "clang"}) {
    EXPECT_EQ(all.find(forbidden), std::string::npos) << forbidden << " in:\n" << all;
  }
}

TEST(Layering, RuntimeSourcesIncludeNothingFromTheCompiler) {
  const std::regex forbidden(
      R"(#\s*include\s*[<"](llvm/|yaml-cpp/|tao/pegtl|frontend/|ast/|ir/|codegen/|jit/|sigrun/compiler/))");
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(SIGRUN_SOURCE_DIR) / "runtime")) {
    if (!entry.is_regular_file())
      continue;
    std::ifstream in(entry.path());
    size_t line_number = 0;
    ++files;
    for (std::string line; std::getline(in, line);) {
      ++line_number;
      EXPECT_FALSE(std::regex_search(line, forbidden)) << entry.path() << ":" << line_number << ": " << line;
    }
  }
  EXPECT_GT(files, 10u);
}

}  // namespace
