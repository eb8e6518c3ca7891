// The SigmaHQ corpus through the command line, three ways: `sigrun scan --pack` (code compiled ahead of
// time), `sigrun scan --rules` (JIT) and `sigrun scan --rules --engine interp` must print exactly the same
// matches, over events generated from the rules themselves (built to satisfy each rule) and over the real
// datasets. Skips when the corpus is absent. Slow: compiling the corpus at O2 takes minutes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "pack_test_support.h"
#include "support/shared_data.h"

namespace sigrun::pack_testing {
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

std::string quote(const std::string& text) {
  return "'" + text + "'";
}

// JSON string literal of `text`, escaping what JSON requires (other bytes as they are).
std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string number_text(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15)
    return std::to_string(static_cast<long long>(value));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// Events built from a program's rules: for each rule, field values that make its predicates true along
// one path through its condition (the first alternative of each `or`, every part of each `and`), so the
// matching paths of every opcode run, not only the misses. Predicates that cannot be satisfied by
// construction (regexes, time parts) leave their field out.
class EventGenerator {
 public:
  explicit EventGenerator(const program::Program& program) : program_(program) {}

  std::string event_for(size_t rule, bool variant) {
    fields_.clear();
    variant_ = variant;
    satisfy(program_.rules[rule].root, true, 0);
    std::string out = "{";
    for (const auto& [slot, value] : fields_) {
      if (out.size() > 1)
        out += ",";
      const std::string& path = program_.fields[slot].path;
      out += json_string(path.empty() ? "keywords_" + std::to_string(slot) : path) + ":" + value;
    }
    return out + "}";
  }

 private:
  void satisfy(uint32_t node_index, bool want, int depth) {
    if (depth > 64)
      return;
    const abi::BoolNode& node = program_.nodes[node_index];
    switch (node.op) {
      case abi::BoolOp::And:
        if (want) {
          for (uint32_t i = 0; i < node.count; ++i)
            satisfy(program_.children[node.arg + i], true, depth + 1);
        } else if (node.count > 0) {
          satisfy(program_.children[node.arg], false, depth + 1);
        }
        return;
      case abi::BoolOp::Or:
        if (want && node.count > 0)
          satisfy(program_.children[node.arg + (variant_ ? node.count - 1 : 0)], true, depth + 1);
        return;
      case abi::BoolOp::Not:
        satisfy(node.arg, !want, depth + 1);
        return;
      case abi::BoolOp::Pred:
        if (want)
          assign(program_.predicates[node.arg]);
        return;
      case abi::BoolOp::True:
      case abi::BoolOp::False:
        return;
    }
  }

  void assign(const abi::Predicate& predicate) {
    const program::OperandData* operand =
        predicate.operand < program_.operands.size() ? &program_.operands[predicate.operand] : nullptr;
    const std::string text = operand ? operand->text : std::string();
    const uint32_t comparison =
        operand ? (operand->flags & kSigrunComparisonMask) >> kSigrunComparisonShift : 0;
    std::string& value = fields_[predicate.slot];
    switch (predicate.op) {
      case abi::Opcode::Exists:
        if (value.empty())
          value = "\"present\"";
        return;
      case abi::Opcode::IsNull:
        value = "null";
        return;
      case abi::Opcode::StrEq:
        value = json_string(variant_ ? upper(text) : text);
        return;
      case abi::Opcode::StrPrefix:
        value = json_string(text + "_tail");
        return;
      case abi::Opcode::StrSuffix:
        value = json_string("head_" + text);
        return;
      case abi::Opcode::StrContains:
        value = json_string("head " + text + " tail");
        return;
      case abi::Opcode::StrGlob: {
        std::string filled;
        for (char c : text) {
          if (static_cast<unsigned char>(c) == kSigrunGlobStar) {
            filled += "xyz";
          } else if (static_cast<unsigned char>(c) == kSigrunGlobQuestion) {
            filled += "q";
          } else {
            filled += c;
          }
        }
        value = json_string(filled);
        return;
      }
      case abi::Opcode::NumEq:
        value = number_text(operand ? operand->number : 0);
        return;
      case abi::Opcode::NumCompare: {
        const double n = operand ? operand->number : 0;
        value = number_text(comparison == kSigrunCompareGt   ? n + 1
                            : comparison == kSigrunCompareLt ? n - 1
                                                             : n);
        return;
      }
      case abi::Opcode::BoolEq:
        value = operand && (operand->flags & kSigrunBoolTrue) ? "true" : "false";
        return;
      case abi::Opcode::Cidr:
        value = json_string(address_of(text));
        return;
      default:
        // Regex, time parts, field comparisons: not built here; the field is left as it is.
        if (value.empty())
          fields_.erase(predicate.slot);
        return;
    }
  }

  static std::string upper(std::string text) {
    for (char& c : text) {
      if (c >= 'a' && c <= 'z')
        c = static_cast<char>(c - 'a' + 'A');
    }
    return text;
  }

  // The network address itself, as text: inside the network.
  static std::string address_of(const std::string& bytes) {
    char buffer[64];
    if (bytes.size() == 4) {
      std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", static_cast<unsigned char>(bytes[0]),
                    static_cast<unsigned char>(bytes[1]), static_cast<unsigned char>(bytes[2]),
                    static_cast<unsigned char>(bytes[3]));
      return buffer;
    }
    std::string out;
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
      std::snprintf(buffer, sizeof buffer, "%s%x", i ? ":" : "",
                    static_cast<unsigned>(static_cast<unsigned char>(bytes[i]) << 8 |
                                          static_cast<unsigned char>(bytes[i + 1])));
      out += buffer;
    }
    return out;
  }

  const program::Program& program_;
  std::map<uint32_t, std::string> fields_;  // slot -> JSON value
  bool variant_ = false;
};

// Up to `limit` lines of every dataset file, split by layout: evtx_dump events and the rest.
void dataset_events(size_t limit, std::string& json, std::string& evtx) {
  const fs::path root = sigrun::testing::shared_dir() / "datasets";
  if (!fs::is_directory(root))
    return;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".ndjson")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file);
    size_t taken = 0;
    for (std::string line; taken < limit && std::getline(in, line); ++taken)
      (line.rfind("{\"Event\":", 0) == 0 ? evtx : json) += line + "\n";
  }
}

class PackCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path corpus = sigrun::testing::shared_dir() / "sigma-rules" / "rules";
    if (!fs::is_directory(corpus))
      return;
    corpus_ = corpus.string();
    dir_ = fs::temp_directory_path() / ("sigrun-pack-corpus-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    pack_ = (dir_ / "corpus.pack").string();
    compile_ =
        run(std::string(SIGRUN_CLI_PATH) + " compile " + quote(corpus_) + " -o " + quote(pack_) + " 2>&1");
  }
  static void TearDownTestSuite() {
    if (!dir_.empty())
      fs::remove_all(dir_);
  }

  void SetUp() override {
    if (corpus_.empty())
      GTEST_SKIP() << "SigmaHQ corpus not found under " << sigrun::testing::shared_dir()
                   << " (set SIGRUN_SHARED_DIR)";
    ASSERT_EQ(compile_.status, 0) << compile_.out;
  }

  // The matches `sigrun scan` prints for `events` (written to a file) with each engine; all must agree.
  void expect_engines_agree(const std::string& name, const std::string& events, const std::string& format,
                            size_t min_matches) {
    const std::string path = (dir_ / (name + ".ndjson")).string();
    std::ofstream(path, std::ios::binary) << events;
    const std::string scan = std::string(SIGRUN_CLI_PATH) + " scan --input-format " + format + " ";
    const CommandResult aot = run(scan + "--pack " + quote(pack_) + " " + quote(path) + " 2>/dev/null");
    const CommandResult jit = run(scan + "--rules " + quote(corpus_) + " " + quote(path) + " 2>/dev/null");
    const CommandResult interp =
        run(scan + "--rules " + quote(corpus_) + " --engine interp " + quote(path) + " 2>/dev/null");
    EXPECT_EQ(aot.status, 0);
    EXPECT_EQ(jit.status, 0);
    EXPECT_EQ(interp.status, 0);
    const size_t matches = static_cast<size_t>(std::count(interp.out.begin(), interp.out.end(), '\n'));
    std::printf("pack corpus: %s: %zu bytes of events, %zu matches\n", name.c_str(), events.size(), matches);
    EXPECT_GE(matches, min_matches) << "too few matches to show the engines agree";
    EXPECT_TRUE(aot.out == interp.out) << "pack and interpreter differ on " << name;
    EXPECT_TRUE(jit.out == interp.out) << "jit and interpreter differ on " << name;
  }

  static inline std::string corpus_;
  static inline fs::path dir_;
  static inline std::string pack_;
  static inline CommandResult compile_;
};

// One test, so the corpus is compiled once per run (ctest runs every test in a process of its own).
TEST_F(PackCorpus, PackJitAndInterpreterPrintTheSameMatches) {
  const auto started = std::chrono::steady_clock::now();
  Result<Pack> pack = Pack::load(pack_);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(pack) << pack.error().message;
  const PackInfo& info = pack.value().info();
  std::ifstream in(pack_, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const pack_format::SectionEntry native = section(bytes, pack_format::SectionKind::NativeLibrary);
  std::printf("pack corpus: %zu rules, %llu bytes (native code %llu bytes), loaded in %.2f ms\n",
              info.rule_count, static_cast<unsigned long long>(info.file_size),
              static_cast<unsigned long long>(native.size), ms);
  EXPECT_GT(info.rule_count, 2500u);
  EXPECT_EQ(pack.value().engine()->backend(), "aot");

  {
    SCOPED_TRACE("events generated from the rules");
    const program::Program& program = pack.value().engine()->program();
    EventGenerator generator(program);
    std::string events;
    for (size_t rule = 0; rule < program.rules.size(); ++rule) {
      events += generator.event_for(rule, false) + "\n";
      events += generator.event_for(rule, true) + "\n";
    }
    // Generated to match: most rules must find their own event.
    expect_engines_agree("generated", events, "json", program.rules.size() / 2);
  }

  std::string json;
  std::string evtx;
  dataset_events(200, json, evtx);
  if (json.empty() && evtx.empty())
    GTEST_SKIP() << "datasets not found under " << sigrun::testing::shared_dir();
  {
    SCOPED_TRACE("datasets");
    expect_engines_agree("datasets-json", json, "json", 1);
    expect_engines_agree("datasets-evtx", evtx, "evtx-json", 1);
  }
}

}  // namespace
}  // namespace sigrun::pack_testing
