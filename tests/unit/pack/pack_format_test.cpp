// Packs: what goes in comes out (program, metadata, matches equal to the interpreter and the JIT), the same
// rules give the same bytes, and a pack that is truncated, corrupted, of another format version or opcode
// table, for another machine, or malformed in any section is refused with the reason, never half-loaded.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "native/cpu_features.h"
#include "pack_test_support.h"

namespace sigrun::pack_testing {
#include "support/process.h"

namespace {

namespace fs = std::filesystem;

const program::Program& rules_program() {
  static const program::Program program = compile_text(kRules);
  return program;
}

const std::string& rules_pack() {
  static const std::string pack = build(rules_program());
  return pack;
}

// The error of loading `bytes`; fails the test when it loads.
Error load_error(const std::string& bytes, const PackLoadOptions& options = {}) {
  Result<Pack> pack = Pack::from_bytes(bytes, options);
  EXPECT_FALSE(pack) << "the damaged pack loaded";
  return pack ? Error{Error::Code::InvalidArgument, "loaded"} : pack.error();
}

void expect_error(const std::string& bytes, Error::Code code, const std::string& text) {
  const Error error = load_error(bytes);
  EXPECT_EQ(error.code, code) << error.message;
  EXPECT_NE(error.message.find(text), std::string::npos) << "'" << text << "' not in: " << error.message;
}

using sigrun::testing::command_output;

TEST(PackFormat, WhatGoesInComesOut) {
  Result<Pack> pack = Pack::from_bytes(rules_pack());
  ASSERT_TRUE(pack) << pack.error().message;
  const PackInfo& info = pack.value().info();
  EXPECT_EQ(info.format_version, pack_format::kFormatVersion);
  EXPECT_EQ(info.engine_version, "0.1.0");
  EXPECT_EQ(info.target_cpu, "x86-64-v2");
  EXPECT_EQ(info.target_triple.rfind("x86_64-", 0), 0u) << info.target_triple;
  EXPECT_EQ(info.file_size, rules_pack().size());
  EXPECT_EQ(info.rule_count, 4u);
  EXPECT_TRUE(info.has_native_code);
  // x86-64-v2 beyond the baseline, in table order.
  EXPECT_EQ(info.cpu_features, (std::vector<std::string>{"sse3", "ssse3", "cx16", "sse4.1", "sse4.2", "crc32",
                                                         "popcnt", "sahf"}));

  const Engine& engine = *pack.value().engine();
  EXPECT_EQ(engine.backend(), "aot");
  const program::Program& in = rules_program();
  const program::Program& out = engine.program();
  EXPECT_EQ(program::dump(out), program::dump(in));
  ASSERT_EQ(out.rules.size(), in.rules.size());
  for (size_t i = 0; i < in.rules.size(); ++i) {
    const program::RuleInfo& a = in.rules[i];
    const program::RuleInfo& b = out.rules[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.title, b.title);
    EXPECT_EQ(a.level, b.level);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.author, b.author);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.tags, b.tags);
    EXPECT_EQ(a.logsource.product, b.logsource.product);
    EXPECT_EQ(a.logsource.category, b.logsource.category);
    EXPECT_EQ(a.logsource.service, b.logsource.service);
    EXPECT_EQ(a.message, b.message);
    EXPECT_EQ(a.source_file, b.source_file);
    EXPECT_EQ(a.source_line, b.source_line);
    EXPECT_EQ(a.root, b.root);
  }
  for (size_t i = 0; i < in.operands.size(); ++i) {
    EXPECT_EQ(in.operands[i].number, out.operands[i].number) << i;
    EXPECT_EQ(in.operands[i].regex_options, out.operands[i].regex_options) << i;
  }
  for (size_t i = 0; i < in.fields.size(); ++i)
    EXPECT_EQ(in.fields[i].needs_folding, out.fields[i].needs_folding) << i;
  for (size_t i = 0; i < in.predicates.size(); ++i)
    EXPECT_EQ(in.predicates[i].other_slot, out.predicates[i].other_slot) << i;
}

TEST(PackFormat, NativeCodeMatchesTheInterpreterAndTheJit) {
  Result<Pack> pack = Pack::from_bytes(rules_pack());
  ASSERT_TRUE(pack) << pack.error().message;
  auto interp = compiler::make_engine(rules_program(), compiler::Backend::Interpreter);
  ASSERT_TRUE(interp) << interp.error().message;
  const auto expected = matches(interp.value(), events());
  // Every rule matches somewhere, so a pack that matched nothing could not pass.
  std::set<std::string> rules_matched;
  for (const auto& [event, what] : expected)
    rules_matched.insert(what.substr(0, what.find(' ')));
  EXPECT_EQ(rules_matched.size(), 4u);
  EXPECT_EQ(matches(pack.value().engine(), events()), expected);
  if (compiler::jit_available()) {
    auto jit = compiler::make_engine(rules_program(), compiler::Backend::Jit);
    ASSERT_TRUE(jit) << jit.error().message;
    EXPECT_EQ(matches(jit.value(), events()), expected);
  }
  Result<Pack> interpreted = Pack::from_bytes(rules_pack(), PackLoadOptions{false});
  ASSERT_TRUE(interpreted) << interpreted.error().message;
  EXPECT_EQ(interpreted.value().engine()->backend(), "interp");
  EXPECT_EQ(matches(interpreted.value().engine(), events()), expected);
}

TEST(PackFormat, TheSameRulesGiveTheSameBytes) {
  const std::string again = build(compile_text(kRules));
  EXPECT_EQ(again.size(), rules_pack().size());
  EXPECT_TRUE(again == rules_pack()) << "two builds of the same rules differ";
  // The CPU is part of the pack.
  if (compiler::native_packs_available()) {
    EXPECT_NE(build(rules_program(), "x86-64-v3"), rules_pack());
  }
}

TEST(PackFormat, NativeCodeIsASelfContainedSharedObject) {
  const pack_format::SectionEntry native = section(rules_pack(), pack_format::SectionKind::NativeLibrary);
  ASSERT_GT(native.size, 0u);
  const fs::path path =
      fs::temp_directory_path() / ("sigrun-pack-test-" + std::to_string(::getpid()) + ".so");
  {
    std::ofstream out(path, std::ios::binary);
    out.write(rules_pack().data() + native.offset, static_cast<std::streamsize>(native.size));
  }
  const std::string dynamic = command_output("readelf -d -W '" + path.string() + "' 2>&1");
  const std::string symbols = command_output("readelf --dyn-syms -W '" + path.string() + "' 2>&1");
  fs::remove(path);
  ASSERT_NE(dynamic.find("Dynamic section"), std::string::npos) << dynamic;
  // No library it needs, no code that runs when it is loaded, no symbol it takes from the process.
  for (const char* tag : {"(NEEDED)", "(INIT)", "(FINI)", "(INIT_ARRAY)", "(FINI_ARRAY)", "(TEXTREL)"})
    EXPECT_EQ(dynamic.find(tag), std::string::npos) << tag << " in:\n" << dynamic;
  EXPECT_EQ(symbols.find(" UND sigrun"), std::string::npos) << symbols;
  EXPECT_EQ(symbols.find(" UND mem"), std::string::npos) << symbols;
  EXPECT_NE(symbols.find("sigrun_rule_3"), std::string::npos) << symbols;
  EXPECT_NE(symbols.find("sigrun_pack_imports"), std::string::npos) << symbols;
}

TEST(PackFormat, TruncatedPacksAreRefused) {
  const std::string& pack = rules_pack();
  expect_error("", Error::Code::InvalidPack, "the file is empty");
  for (size_t size : {size_t{4}, size_t{8}, size_t{100}, size_t{143}}) {
    SCOPED_TRACE(size);
    expect_error(pack.substr(0, size), Error::Code::InvalidPack,
                 "truncated: " + std::to_string(size) + " bytes");
  }
  for (size_t size : {size_t{144}, size_t{145}, pack.size() / 2, pack.size() - 1}) {
    SCOPED_TRACE(size);
    expect_error(pack.substr(0, size), Error::Code::InvalidPack,
                 "truncated: the header says " + std::to_string(pack.size()) + " bytes, the file has " +
                     std::to_string(size));
  }
  expect_error(pack + "x", Error::Code::InvalidPack, "trailing bytes");
}

TEST(PackFormat, CorruptedPacksAreRefusedByTheirChecksum) {
  const std::string& pack = rules_pack();
  std::vector<size_t> positions = {60 /* cpu features */, 140 /* flags */};
  for (pack_format::SectionKind kind :
       {pack_format::SectionKind::Strings, pack_format::SectionKind::Operands,
        pack_format::SectionKind::Rules, pack_format::SectionKind::NativeLibrary}) {
    const pack_format::SectionEntry entry = section(pack, kind);
    positions.push_back(entry.offset + entry.size / 2);
  }
  positions.push_back(pack.size() - 1);
  for (size_t at : positions) {
    SCOPED_TRACE(at);
    std::string damaged = pack;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    expect_error(damaged, Error::Code::InvalidPack, "checksum mismatch");
  }
}

TEST(PackFormat, OtherFilesAreNotPacks) {
  expect_error("{\"eventName\":\"x\"}", Error::Code::InvalidPack, "not a sigrun pack");
  std::string elf = rules_pack();
  elf.replace(0, 4,
              "\x7f"
              "ELF");
  expect_error(elf, Error::Code::InvalidPack, "not a sigrun pack");
}

TEST(PackFormat, OtherFormatVersionsAreRefused) {
  pack_format::FileHeader header = header_of(rules_pack());
  header.format_version = 2;
  expect_error(with_header(rules_pack(), header), Error::Code::UnsupportedPack,
               "pack format version 2, this runtime reads version 1");
  // The version is read before the checksum: a newer format may checksum differently.
  std::string unsealed = rules_pack();
  std::memcpy(unsealed.data() + offsetof(pack_format::FileHeader, format_version), &header.format_version, 4);
  expect_error(unsealed, Error::Code::UnsupportedPack, "pack format version 2");
}

TEST(PackFormat, PacksOfAnotherOpcodeTableAreRefused) {
  pack_format::FileHeader header = header_of(rules_pack());
  header.abi_fingerprint ^= 1;
  expect_error(with_header(rules_pack(), header), Error::Code::UnsupportedPack,
               "against another opcode table");
}

TEST(PackFormat, PacksNeedingCpuFeaturesThisMachineLacksAreRefused) {
  const uint64_t host = native::host_cpu_features();
  int missing = -1;
  for (int i = 0; i < pack_format::kCpuFeatureCount && missing < 0; ++i) {
    if (((host >> i) & 1u) == 0)
      missing = i;
  }
  if (missing < 0)
    GTEST_SKIP() << "this CPU has every feature a pack can require";
  pack_format::FileHeader header = header_of(rules_pack());
  header.cpu_features |= uint64_t{1} << missing;
  const std::string pack = with_header(rules_pack(), header);
  const Error error = load_error(pack);
  EXPECT_EQ(error.code, Error::Code::UnsupportedPack) << error.message;
  EXPECT_NE(error.message.find(std::string("lacks: ") + pack_format::kCpuFeatures[missing].name),
            std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("built for cpu x86-64-v2"), std::string::npos) << error.message;

  // Its rules still run in the interpreter, where the CPU does not matter.
  Result<Pack> interpreted = Pack::from_bytes(pack, PackLoadOptions{false});
  ASSERT_TRUE(interpreted) << interpreted.error().message;
  auto interp = compiler::make_engine(rules_program(), compiler::Backend::Interpreter);
  ASSERT_TRUE(interp);
  EXPECT_EQ(matches(interpreted.value().engine(), events()), matches(interp.value(), events()));
}

TEST(PackFormat, PacksForAnotherArchitectureAreRefused) {
  pack_format::FileHeader header = header_of(rules_pack());
  std::memset(header.target_triple, 0, sizeof header.target_triple);
  std::strcpy(header.target_triple, "aarch64-unknown-linux-gnu");
  expect_error(with_header(rules_pack(), header), Error::Code::UnsupportedPack,
               "native code for aarch64-unknown-linux-gnu");
}

TEST(PackFormat, MalformedHeadersAreRefused) {
  const std::string& pack = rules_pack();
  {
    pack_format::FileHeader header = header_of(pack);
    header.flags |= 0x80;
    expect_error(with_header(pack, header), Error::Code::InvalidPack, "unknown header flags");
  }
  {
    pack_format::FileHeader header = header_of(pack);
    header.flags = 0;  // the native library section is then unannounced
    expect_error(with_header(pack, header), Error::Code::InvalidPack,
                 "a native library section, the header announces none");
  }
  {
    pack_format::FileHeader header = header_of(pack);
    header.rule_count = 5;
    expect_error(with_header(pack, header), Error::Code::InvalidPack,
                 "the header says 5 rules, the rules section has 4");
  }
  {
    pack_format::FileHeader header = header_of(pack);
    std::memset(header.engine_version, 'x', sizeof header.engine_version);
    expect_error(with_header(pack, header), Error::Code::InvalidPack, "engine_version is not terminated");
  }
  {
    pack_format::FileHeader header = header_of(pack);
    header.header_size = 200;
    expect_error(with_header(pack, header), Error::Code::InvalidPack, "header size 200, expected 144");
  }
}

// Rewrites section entry `index` of `pack` with `edit` applied, checksum made right.
template <typename Edit>
std::string edit_section_entry(const std::string& pack, pack_format::SectionKind kind, const Edit& edit) {
  const pack_format::FileHeader header = header_of(pack);
  std::string out = pack;
  for (uint32_t i = 0; i < header.section_count; ++i) {
    pack_format::SectionEntry entry;
    char* at = out.data() + header.section_table_offset + i * sizeof entry;
    std::memcpy(&entry, at, sizeof entry);
    if (entry.kind != static_cast<uint32_t>(kind))
      continue;
    edit(entry);
    std::memcpy(at, &entry, sizeof entry);
  }
  return resealed(out);
}

TEST(PackFormat, MalformedSectionTablesAreRefused) {
  const std::string& pack = rules_pack();
  using pack_format::SectionEntry;
  using pack_format::SectionKind;
  expect_error(
      edit_section_entry(pack, SectionKind::Rules, [&](SectionEntry& e) { e.offset = pack.size() - 8; }),
      Error::Code::InvalidPack, "(rules) at");
  expect_error(edit_section_entry(pack, SectionKind::Rules, [](SectionEntry& e) { e.size = ~uint64_t{0}; }),
               Error::Code::InvalidPack, "runs past the end of the file");
  const SectionEntry strings = section(pack, SectionKind::Strings);
  expect_error(
      edit_section_entry(pack, SectionKind::Fields, [&](SectionEntry& e) { e.offset = strings.offset; }),
      Error::Code::InvalidPack, "sections overlap");
  expect_error(edit_section_entry(pack, SectionKind::Tags, [](SectionEntry& e) { e.kind = 42; }),
               Error::Code::InvalidPack, "unknown kind 42");
  expect_error(
      edit_section_entry(pack, SectionKind::Tags,
                         [](SectionEntry& e) { e.kind = static_cast<uint32_t>(SectionKind::Rules); }),
      Error::Code::InvalidPack, "two rules sections");
  expect_error(edit_section_entry(pack, SectionKind::Nodes, [](SectionEntry& e) { e.size -= 4; }),
               Error::Code::InvalidPack, "the nodes section is");
  {
    pack_format::FileHeader header = header_of(pack);
    header.section_table_offset = pack.size() + 10;
    expect_error(with_header(pack, header), Error::Code::InvalidPack, "section table offset");
  }
  {
    pack_format::FileHeader header = header_of(pack);
    header.section_count = 4;
    expect_error(with_header(pack, header), Error::Code::InvalidPack, "section is missing");
  }
}

// `pack` with the record at `index` of section `kind` replaced by `record`, checksum made right.
template <typename Record>
std::string with_record(const std::string& pack, pack_format::SectionKind kind, size_t index,
                        const Record& record) {
  const pack_format::SectionEntry entry = section(pack, kind);
  std::string out = pack;
  std::memcpy(out.data() + entry.offset + index * sizeof(Record), &record, sizeof record);
  return resealed(out);
}

template <typename Record>
Record record_of(const std::string& pack, pack_format::SectionKind kind, size_t index) {
  Record record;
  std::memcpy(&record, pack.data() + section(pack, kind).offset + index * sizeof(Record), sizeof record);
  return record;
}

TEST(PackFormat, MalformedRecordsAreRefused) {
  const std::string& pack = rules_pack();
  using pack_format::SectionKind;
  {
    auto field = record_of<pack_format::FieldRecord>(pack, SectionKind::Fields, 1);
    field.path.offset = 1u << 30;
    expect_error(with_record(pack, SectionKind::Fields, 1, field), Error::Code::InvalidPack,
                 "field 1 refers to string bytes");
  }
  {
    auto field = record_of<pack_format::FieldRecord>(pack, SectionKind::Fields, 0);
    field.flags = 6;
    expect_error(with_record(pack, SectionKind::Fields, 0, field), Error::Code::InvalidPack,
                 "field 0 has unknown flags");
  }
  {
    auto predicate = record_of<pack_format::PredicateRecord>(pack, SectionKind::Predicates, 0);
    predicate.op = 200;
    expect_error(with_record(pack, SectionKind::Predicates, 0, predicate), Error::Code::InvalidPack,
                 "predicate 0 has opcode 200");
  }
  {
    auto predicate = record_of<pack_format::PredicateRecord>(pack, SectionKind::Predicates, 0);
    predicate.slot = 10000;
    expect_error(with_record(pack, SectionKind::Predicates, 0, predicate), Error::Code::InvalidProgram,
                 "predicate 0: slot out of range");
  }
  {
    auto node = record_of<pack_format::NodeRecord>(pack, SectionKind::Nodes, 0);
    node.op = 9;
    expect_error(with_record(pack, SectionKind::Nodes, 0, node), Error::Code::InvalidPack,
                 "node 0 has boolean operator 9");
  }
  {
    auto rule = record_of<pack_format::RuleRecord>(pack, SectionKind::Rules, 2);
    rule.root = 1u << 20;
    expect_error(with_record(pack, SectionKind::Rules, 2, rule), Error::Code::InvalidProgram,
                 "rule 2: root out of range");
  }
  {
    auto rule = record_of<pack_format::RuleRecord>(pack, SectionKind::Rules, 0);
    rule.tag_count = 1000;
    expect_error(with_record(pack, SectionKind::Rules, 0, rule), Error::Code::InvalidPack, "rule 0 has tags");
  }
  {
    auto operand = record_of<pack_format::OperandRecord>(pack, SectionKind::Operands, 0);
    operand.text.size = 1u << 31;
    expect_error(with_record(pack, SectionKind::Operands, 0, operand), Error::Code::InvalidPack,
                 "operand 0 refers to string bytes");
  }
}

// Random damage with the checksum made right (the worst case: damage the CRC cannot see). The reader must
// refuse or load, never crash or read out of bounds (run under SIGRUN_SANITIZE to check the latter).
// Native code is not loaded: a pack's code is trusted once its checksum holds.
TEST(PackFormat, RandomDamageIsRefusedOrHarmless) {
  const std::string& pack = rules_pack();
  const pack_format::SectionEntry native = section(pack, pack_format::SectionKind::NativeLibrary);
  std::mt19937 rng(1234);
  size_t refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string damaged = pack.substr(0, native.offset);  // everything but the native code
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      const size_t at = std::uniform_int_distribution<size_t>(0, damaged.size() - 1)(rng);
      damaged[at] = static_cast<char>(rng());
    }
    damaged += pack.substr(native.offset);
    if (damaged.size() < pack_format::kHeaderSize)
      continue;
    Result<Pack> loaded = Pack::from_bytes(resealed(damaged), PackLoadOptions{false});
    if (!loaded) {
      ++refused;
      continue;
    }
    // What loads evaluates without crashing.
    matches(loaded.value().engine(), events());
  }
  EXPECT_GT(refused, 1000u);
}

TEST(PackFormat, LoadsFromAFile) {
  const fs::path path =
      fs::temp_directory_path() / ("sigrun-pack-test-" + std::to_string(::getpid()) + ".pack");
  ASSERT_TRUE(compiler::write_pack_file(path.string(), rules_pack()));
  Result<Pack> pack = Pack::load(path.string());
  fs::remove(path);
  ASSERT_TRUE(pack) << pack.error().message;
  EXPECT_EQ(pack.value().info().checksum, header_of(rules_pack()).checksum);

  Result<Pack> missing = Pack::load(path.string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Error::Code::Io);
  EXPECT_NE(missing.error().message.find(path.string() + ": cannot open: No such file or directory"),
            std::string::npos)
      << missing.error().message;
  Result<Pack> directory = Pack::load(fs::temp_directory_path().string());
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().code, Error::Code::Io) << directory.error().message;
}

TEST(PackFormat, PacksLoadedTogetherKeepTheirOwnCode) {
  // The dynamic loader knows objects by path; each pack's code must stay its own even when descriptors
  // are reused between loads.
  const std::string first = build(compile_text(R"(title: a
id: aaaaaaaa-0000-0000-0000-000000000000
logsource: {product: test}
detection: {s: {x: 1}, condition: s}
)"));
  const std::string second = build(compile_text(R"(title: b
id: bbbbbbbb-0000-0000-0000-000000000000
logsource: {product: test}
detection: {s: {x: 2}, condition: s}
---
title: c
id: cccccccc-0000-0000-0000-000000000000
logsource: {product: test}
detection: {s: {y|exists: true}, condition: s}
)"));
  const std::vector<std::string> probe = {R"({"x":1})", R"({"x":2,"y":0})"};
  const auto ids = [&](const std::shared_ptr<const Engine>& engine) {
    std::vector<std::string> out;
    for (const auto& [event, what] : matches(engine, probe))
      out.push_back(std::to_string(event) + what.substr(0, 1));
    return out;
  };
  for (int round = 0; round < 3; ++round) {
    Result<Pack> a = Pack::from_bytes(first);
    ASSERT_TRUE(a) << a.error().message;
    Result<Pack> b = Pack::from_bytes(second);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(ids(a.value().engine()), (std::vector<std::string>{"0a"}));
    EXPECT_EQ(ids(b.value().engine()), (std::vector<std::string>{"1b", "1c"}));
    a = Error{Error::Code::InvalidArgument, "released"};  // unload the first, then load it again
    Result<Pack> again = Pack::from_bytes(first);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(ids(again.value().engine()), (std::vector<std::string>{"0a"}));
    EXPECT_EQ(ids(b.value().engine()), (std::vector<std::string>{"1b", "1c"}));
  }
}

TEST(PackFormat, PacksWithoutNativeCodeRunInTheInterpreter) {
  const std::string pack = build(rules_program(), "none");
  Result<Pack> loaded = Pack::from_bytes(pack);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_FALSE(loaded.value().info().has_native_code);
  EXPECT_TRUE(loaded.value().info().cpu_features.empty());
  EXPECT_EQ(loaded.value().engine()->backend(), "interp");
  auto interp = compiler::make_engine(rules_program(), compiler::Backend::Interpreter);
  ASSERT_TRUE(interp);
  EXPECT_EQ(matches(loaded.value().engine(), events()), matches(interp.value(), events()));
}

TEST(PackFormat, OtherCpuLevelsAndTheHostCpu) {
  if (!compiler::native_packs_available())
    GTEST_SKIP() << "built without LLVM";
  auto interp = compiler::make_engine(rules_program(), compiler::Backend::Interpreter);
  ASSERT_TRUE(interp);
  const auto expected = matches(interp.value(), events());
  for (const char* cpu : {"x86-64", "x86-64-v3", "native"}) {
    SCOPED_TRACE(cpu);
    const std::string pack = build(rules_program(), cpu);
    Result<Pack> loaded = Pack::from_bytes(pack);
    if (!loaded) {
      // Only a level above this machine's may be refused, and then for its CPU features.
      EXPECT_EQ(loaded.error().code, Error::Code::UnsupportedPack) << loaded.error().message;
      EXPECT_NE(std::string(cpu), "native");
      continue;
    }
    EXPECT_EQ(matches(loaded.value().engine(), events()), expected);
  }
  const std::string v3 = build(rules_program(), "x86-64-v3");
  Result<Pack> loaded = Pack::from_bytes(v3, PackLoadOptions{false});
  ASSERT_TRUE(loaded);
  const std::vector<std::string>& features = loaded.value().info().cpu_features;
  for (const char* feature : {"avx", "avx2", "bmi", "bmi2", "fma", "movbe", "lzcnt", "f16c", "xsave"})
    EXPECT_NE(std::find(features.begin(), features.end(), feature), features.end()) << feature;
}

TEST(PackFormat, BuildErrorsSayWhatIsWrong) {
  if (!compiler::native_packs_available())
    GTEST_SKIP() << "built without LLVM";
  compiler::PackOptions options;
  options.cpu = "pentium-pro-max";
  Result<std::string> unknown = compiler::build_pack(rules_program(), options);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Error::Code::InvalidArgument);
  EXPECT_NE(unknown.error().message.find("unknown cpu 'pentium-pro-max'"), std::string::npos)
      << unknown.error().message;

  options.cpu = "x86-64-v2";
  options.linker = "/nonexistent/cc";
  Result<std::string> no_linker = compiler::build_pack(rules_program(), options);
  ASSERT_FALSE(no_linker);
  EXPECT_EQ(no_linker.error().code, Error::Code::Native);
  EXPECT_NE(no_linker.error().message.find("cannot run the linker '/nonexistent/cc'"), std::string::npos)
      << no_linker.error().message;

  options.linker = "false";  // runs and fails
  Result<std::string> failing = compiler::build_pack(rules_program(), options);
  ASSERT_FALSE(failing);
  EXPECT_NE(failing.error().message.find("linking the native code with 'false' failed (exit status 1)"),
            std::string::npos)
      << failing.error().message;
}

}  // namespace
}  // namespace sigrun::pack_testing
