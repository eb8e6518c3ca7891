// Implements aot::write_pack (aot.h): a program and its native code in the layout of abi/pack_format.h.
// Strings are stored once each, in first-use order; sections follow the table in kind order, each at a
// multiple of kSectionAlignment; the checksum is computed last. Nothing depends on time or addresses, so
// the same input gives the same bytes.
#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "abi/pack_format.h"
#include "aot/aot.h"
#include "pack/crc32.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "packs are little-endian and written by copying records; port pack_writer.cpp to a big-endian host"
#endif

namespace sigrun::aot {
namespace pf = pack_format;

// A field added to the program must be added to the pack format too (abi/pack_format.h, the reader, this
// writer, docs/pack-format.md): these sizes make the build fail until it is.
static_assert(sizeof(program::FieldSlot) == 40, "FieldSlot changed: update the pack format");
static_assert(sizeof(program::OperandData) == 56, "OperandData changed: update the pack format");
static_assert(sizeof(abi::Predicate) == 16, "Predicate changed: update the pack format");
static_assert(sizeof(abi::BoolNode) == 12, "BoolNode changed: update the pack format");
static_assert(sizeof(program::RuleInfo) == 384, "RuleInfo changed: update the pack format");
static_assert(sizeof(program::Program) == 144, "Program changed: update the pack format");

namespace {

class StringTable {
 public:
  pf::StringRef add(const std::string& text) {
    auto [it, inserted] = offsets_.try_emplace(text, static_cast<uint32_t>(bytes_.size()));
    if (inserted)
      bytes_ += text;
    return pf::StringRef{it->second, static_cast<uint32_t>(text.size())};
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  std::unordered_map<std::string, uint32_t> offsets_;
};

template <typename Record>
std::string record_bytes(const std::vector<Record>& records) {
  std::string out(records.size() * sizeof(Record), '\0');
  if (!records.empty())
    std::memcpy(out.data(), records.data(), out.size());
  return out;
}

// `text` into a NUL-padded field of `size` bytes, cut to leave at least one NUL.
void copy_text(char* field, size_t size, const std::string& text) {
  std::fill_n(field, size, '\0');
  text.copy(field, std::min(text.size(), size - 1));
}

}  // namespace

std::string write_pack(const program::Program& program, const NativeLibrary* native) {
  StringTable strings;
  std::vector<pf::StringRef> tags;

  std::vector<pf::FieldRecord> fields;
  for (const program::FieldSlot& field : program.fields) {
    pf::FieldRecord record{};
    record.path = strings.add(field.path);
    record.flags = field.needs_folding ? pf::kFieldNeedsFolding : 0u;
    fields.push_back(record);
  }
  std::vector<pf::OperandRecord> operands;
  for (const program::OperandData& operand : program.operands) {
    pf::OperandRecord record{};
    record.text = strings.add(operand.text);
    record.flags = operand.flags;
    record.regex_options = operand.regex_options;
    std::memcpy(&record.number_bits, &operand.number, sizeof record.number_bits);
    operands.push_back(record);
  }
  std::vector<pf::PredicateRecord> predicates;
  for (const abi::Predicate& predicate : program.predicates) {
    predicates.push_back(pf::PredicateRecord{static_cast<uint32_t>(predicate.op), predicate.slot,
                                             predicate.operand, predicate.other_slot});
  }
  std::vector<pf::NodeRecord> nodes;
  for (const abi::BoolNode& node : program.nodes)
    nodes.push_back(pf::NodeRecord{static_cast<uint32_t>(node.op), node.arg, node.count, 0});
  std::vector<pf::RuleRecord> rules;
  for (const program::RuleInfo& rule : program.rules) {
    pf::RuleRecord record{};
    record.id = strings.add(rule.id);
    record.title = strings.add(rule.title);
    record.level = strings.add(rule.level);
    record.status = strings.add(rule.status);
    record.author = strings.add(rule.author);
    record.description = strings.add(rule.description);
    record.product = strings.add(rule.logsource.product);
    record.category = strings.add(rule.logsource.category);
    record.service = strings.add(rule.logsource.service);
    record.message = strings.add(rule.message);
    record.source_file = strings.add(rule.source_file);
    record.source_line = rule.source_line;
    record.root = rule.root;
    record.first_tag = static_cast<uint32_t>(tags.size());
    record.tag_count = static_cast<uint32_t>(rule.tags.size());
    for (const std::string& tag : rule.tags)
      tags.push_back(strings.add(tag));
    rules.push_back(record);
  }

  std::vector<std::pair<pf::SectionKind, std::string>> sections = {
      {pf::SectionKind::Strings, strings.bytes()},
      {pf::SectionKind::Fields, record_bytes(fields)},
      {pf::SectionKind::Operands, record_bytes(operands)},
      {pf::SectionKind::Predicates, record_bytes(predicates)},
      {pf::SectionKind::Nodes, record_bytes(nodes)},
      {pf::SectionKind::Children, record_bytes(program.children)},
      {pf::SectionKind::Rules, record_bytes(rules)},
      {pf::SectionKind::Tags, record_bytes(tags)},
  };
  if (native != nullptr)
    sections.emplace_back(pf::SectionKind::NativeLibrary, native->bytes);

  const auto align = [](uint64_t offset) {
    return (offset + pf::kSectionAlignment - 1) / pf::kSectionAlignment * pf::kSectionAlignment;
  };
  pf::FileHeader header{};
  std::memcpy(header.magic, pf::kMagic, sizeof header.magic);
  header.format_version = pf::kFormatVersion;
  header.header_size = static_cast<uint32_t>(pf::kHeaderSize);
  header.section_count = static_cast<uint32_t>(sections.size());
  header.section_table_offset = pf::kHeaderSize;
  header.abi_fingerprint = pf::abi_fingerprint();
  copy_text(header.engine_version, sizeof header.engine_version, SIGRUN_VERSION_STRING);
  header.rule_count = static_cast<uint32_t>(program.rules.size());
  if (native != nullptr) {
    header.flags |= pf::kHasNativeCode;
    header.cpu_features = native->cpu_features;
    copy_text(header.target_triple, sizeof header.target_triple, native->triple);
    copy_text(header.target_cpu, sizeof header.target_cpu, native->cpu);
  }

  std::vector<pf::SectionEntry> table;
  uint64_t offset = align(pf::kHeaderSize + sections.size() * sizeof(pf::SectionEntry));
  for (const auto& [kind, bytes] : sections) {
    table.push_back(pf::SectionEntry{static_cast<uint32_t>(kind), 0, offset, bytes.size()});
    offset = align(offset + bytes.size());
  }
  header.file_size = table.empty() ? offset : table.back().offset + table.back().size;

  std::string out(header.file_size, '\0');
  std::memcpy(out.data() + pf::kHeaderSize, table.data(), table.size() * sizeof(pf::SectionEntry));
  for (size_t i = 0; i < sections.size(); ++i) {
    if (!sections[i].second.empty())
      std::memcpy(out.data() + table[i].offset, sections[i].second.data(), sections[i].second.size());
  }
  std::memcpy(out.data(), &header, sizeof header);
  uint32_t crc = pack::crc32(0, out.data(), pf::kChecksumOffset);
  const size_t after = pf::kChecksumOffset + sizeof header.checksum;
  crc = pack::crc32(crc, out.data() + after, out.size() - after);
  std::memcpy(out.data() + pf::kChecksumOffset, &crc, sizeof crc);
  return out;
}

}  // namespace sigrun::aot
