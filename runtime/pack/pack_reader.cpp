// Implements pack_reader.h: decode(). Every offset, size and index read from the file is checked before it
// is used, with overflow-safe arithmetic, so no input makes the reader touch memory outside `bytes`.
#include "pack/pack_reader.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "abi/pack_format.h"
#include "pack/crc32.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "packs are little-endian and read by copying records; port pack_reader.cpp to a big-endian host"
#endif

namespace sigrun::pack {
namespace pf = pack_format;
namespace {

Error invalid(std::string message) {
  return Error{Error::Code::InvalidPack, "invalid pack: " + std::move(message)};
}

Error unsupported(std::string message) {
  return Error{Error::Code::UnsupportedPack, "unsupported pack: " + std::move(message)};
}

std::string hex32(uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08" PRIx32, value);
  return buffer;
}

std::string hex64(uint64_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%016" PRIx64, value);
  return buffer;
}

const char* section_name(uint32_t kind) {
  switch (static_cast<pf::SectionKind>(kind)) {
    case pf::SectionKind::Strings:
      return "strings";
    case pf::SectionKind::Fields:
      return "fields";
    case pf::SectionKind::Operands:
      return "operands";
    case pf::SectionKind::Predicates:
      return "predicates";
    case pf::SectionKind::Nodes:
      return "nodes";
    case pf::SectionKind::Children:
      return "children";
    case pf::SectionKind::Rules:
      return "rules";
    case pf::SectionKind::Tags:
      return "tags";
    case pf::SectionKind::NativeLibrary:
      return "native library";
  }
  return "unknown";
}

// A fixed-size text field of the header: NUL-terminated within its array, zero after the terminator.
Result<std::string> header_text(const char* field, size_t size, const char* what) {
  const char* end = static_cast<const char*>(std::memchr(field, '\0', size));
  if (end == nullptr)
    return invalid(std::string("header field ") + what + " is not terminated");
  for (const char* p = end; p < field + size; ++p) {
    if (*p != '\0')
      return invalid(std::string("header field ") + what + " has bytes after its terminator");
  }
  return std::string(field, end);
}

// Checks the sections' records and turns them into a program.
class SectionDecoder {
 public:
  explicit SectionDecoder(std::string_view bytes) : bytes_(bytes) {}

  Status read_table(const pf::FileHeader& header) {
    const uint64_t size = bytes_.size();
    if (header.section_table_offset < pf::kHeaderSize || header.section_table_offset > size)
      return invalid("section table offset " + std::to_string(header.section_table_offset) +
                     " is outside the file");
    if (header.section_count > pf::kLastSectionKind)
      return invalid("section table has " + std::to_string(header.section_count) + " entries, at most " +
                     std::to_string(pf::kLastSectionKind) + " are possible");
    const uint64_t table_size = uint64_t{header.section_count} * sizeof(pf::SectionEntry);
    if (table_size > size - header.section_table_offset)
      return invalid("section table runs past the end of the file");

    // [begin, end) of the header, the table and every section: none may overlap.
    std::vector<std::pair<uint64_t, uint64_t>> extents{
        {0, pf::kHeaderSize}, {header.section_table_offset, header.section_table_offset + table_size}};
    for (uint32_t i = 0; i < header.section_count; ++i) {
      pf::SectionEntry entry;
      std::memcpy(&entry, bytes_.data() + header.section_table_offset + i * sizeof(pf::SectionEntry),
                  sizeof entry);
      const std::string where = "section " + std::to_string(i);
      if (entry.kind < pf::kFirstSectionKind || entry.kind > pf::kLastSectionKind)
        return invalid(where + " has unknown kind " + std::to_string(entry.kind));
      if (entry.reserved != 0)
        return invalid(where + " (" + section_name(entry.kind) + ") has a non-zero reserved field");
      if (entry.offset > size || entry.size > size - entry.offset)
        return invalid(where + " (" + section_name(entry.kind) + ") at " + std::to_string(entry.offset) +
                       ", " + std::to_string(entry.size) + " bytes, runs past the end of the file (" +
                       std::to_string(size) + " bytes)");
      std::string_view& slot = sections_[entry.kind];
      if (present_[entry.kind])
        return invalid(std::string("two ") + section_name(entry.kind) + " sections");
      present_[entry.kind] = true;
      slot = bytes_.substr(entry.offset, entry.size);
      extents.emplace_back(entry.offset, entry.offset + entry.size);
    }
    std::sort(extents.begin(), extents.end());
    uint64_t covered = 0;  // end of the non-empty extents so far
    for (const auto& [begin, end] : extents) {
      if (begin == end)
        continue;
      if (begin < covered)
        return invalid("sections overlap at offset " + std::to_string(begin));
      covered = end;
    }
    for (uint32_t kind = pf::kFirstSectionKind; kind <= static_cast<uint32_t>(pf::SectionKind::Tags);
         ++kind) {
      if (!present_[kind])
        return invalid(std::string("the ") + section_name(kind) + " section is missing");
    }
    return Ok{};
  }

  bool has(pf::SectionKind kind) const { return present_[static_cast<uint32_t>(kind)]; }
  std::string_view section(pf::SectionKind kind) const { return sections_[static_cast<uint32_t>(kind)]; }

  Result<program::Program> decode_program() {
    strings_ = section(pf::SectionKind::Strings);
    program::Program program;
    std::vector<pf::StringRef> tags;
    if (Status s = read_records(pf::SectionKind::Tags, tags); !s)
      return s.error();
    tags_ = tags.size();

    std::vector<pf::FieldRecord> fields;
    if (Status s = read_records(pf::SectionKind::Fields, fields); !s)
      return s.error();
    program.fields.reserve(fields.size());
    for (size_t i = 0; i < fields.size(); ++i) {
      const pf::FieldRecord& f = fields[i];
      const std::string where = "field " + std::to_string(i);
      if ((f.flags & ~uint32_t{pf::kFieldNeedsFolding}) != 0 || f.reserved != 0)
        return invalid(where + " has unknown flags");
      program::FieldSlot slot;
      if (Status s = text(f.path, where, slot.path); !s)
        return s.error();
      slot.needs_folding = (f.flags & pf::kFieldNeedsFolding) != 0;
      program.fields.push_back(std::move(slot));
    }

    std::vector<pf::OperandRecord> operands;
    if (Status s = read_records(pf::SectionKind::Operands, operands); !s)
      return s.error();
    program.operands.reserve(operands.size());
    for (size_t i = 0; i < operands.size(); ++i) {
      const pf::OperandRecord& o = operands[i];
      program::OperandData data;
      if (Status s = text(o.text, "operand " + std::to_string(i), data.text); !s)
        return s.error();
      data.flags = o.flags;
      data.regex_options = o.regex_options;
      std::memcpy(&data.number, &o.number_bits, sizeof data.number);
      program.operands.push_back(std::move(data));
    }

    std::vector<pf::PredicateRecord> predicates;
    if (Status s = read_records(pf::SectionKind::Predicates, predicates); !s)
      return s.error();
    program.predicates.reserve(predicates.size());
    for (size_t i = 0; i < predicates.size(); ++i) {
      const pf::PredicateRecord& p = predicates[i];
      if (p.op >= static_cast<uint32_t>(abi::kOpcodeCount))
        return invalid("predicate " + std::to_string(i) + " has opcode " + std::to_string(p.op) +
                       ", the table has " + std::to_string(abi::kOpcodeCount));
      abi::Predicate predicate;
      predicate.op = static_cast<abi::Opcode>(p.op);
      predicate.slot = p.slot;
      predicate.operand = p.operand;
      predicate.other_slot = p.other_slot;
      program.predicates.push_back(predicate);
    }

    std::vector<pf::NodeRecord> nodes;
    if (Status s = read_records(pf::SectionKind::Nodes, nodes); !s)
      return s.error();
    program.nodes.reserve(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) {
      const pf::NodeRecord& n = nodes[i];
      if (n.op > static_cast<uint32_t>(abi::BoolOp::False) || n.reserved != 0)
        return invalid("node " + std::to_string(i) + " has boolean operator " + std::to_string(n.op));
      program.nodes.push_back(abi::BoolNode{static_cast<abi::BoolOp>(n.op), n.arg, n.count});
    }

    if (Status s = read_records(pf::SectionKind::Children, program.children); !s)
      return s.error();

    std::vector<pf::RuleRecord> rules;
    if (Status s = read_records(pf::SectionKind::Rules, rules); !s)
      return s.error();
    program.rules.reserve(rules.size());
    for (size_t i = 0; i < rules.size(); ++i) {
      const pf::RuleRecord& r = rules[i];
      const std::string where = "rule " + std::to_string(i);
      program::RuleInfo rule;
      const std::pair<const pf::StringRef*, std::string*> texts[] = {
          {&r.id, &rule.id},
          {&r.title, &rule.title},
          {&r.level, &rule.level},
          {&r.status, &rule.status},
          {&r.author, &rule.author},
          {&r.description, &rule.description},
          {&r.product, &rule.logsource.product},
          {&r.category, &rule.logsource.category},
          {&r.service, &rule.logsource.service},
          {&r.message, &rule.message},
          {&r.source_file, &rule.source_file},
      };
      for (const auto& [ref, out] : texts) {
        if (Status s = text(*ref, where, *out); !s)
          return s.error();
      }
      if (r.first_tag > tags_ || r.tag_count > tags_ - r.first_tag)
        return invalid(where + " has tags " + std::to_string(r.first_tag) + "+" +
                       std::to_string(r.tag_count) + ", the tags section has " + std::to_string(tags_));
      rule.tags.resize(r.tag_count);
      for (uint32_t t = 0; t < r.tag_count; ++t) {
        if (Status s = text(tags[r.first_tag + t], where + " tag " + std::to_string(t), rule.tags[t]); !s)
          return s.error();
      }
      rule.source_line = r.source_line;
      rule.root = r.root;
      program.rules.push_back(std::move(rule));
    }
    return program;
  }

 private:
  template <typename Record>
  Status read_records(pf::SectionKind kind, std::vector<Record>& out) {
    const std::string_view data = section(kind);
    if (data.size() % sizeof(Record) != 0)
      return invalid(std::string("the ") + section_name(static_cast<uint32_t>(kind)) + " section is " +
                     std::to_string(data.size()) + " bytes, not a multiple of its " +
                     std::to_string(sizeof(Record)) + "-byte records");
    if (data.size() / sizeof(Record) > UINT32_MAX)
      return invalid(std::string("the ") + section_name(static_cast<uint32_t>(kind)) +
                     " section has too many records");
    out.resize(data.size() / sizeof(Record));
    if (!data.empty())
      std::memcpy(out.data(), data.data(), data.size());
    return Ok{};
  }

  Status text(const pf::StringRef& ref, const std::string& where, std::string& out) const {
    if (ref.offset > strings_.size() || ref.size > strings_.size() - ref.offset)
      return invalid(where + " refers to string bytes " + std::to_string(ref.offset) + "+" +
                     std::to_string(ref.size) + ", the strings section has " +
                     std::to_string(strings_.size()));
    out.assign(strings_.data() + ref.offset, ref.size);
    return Ok{};
  }

  std::string_view bytes_;
  std::array<std::string_view, pf::kLastSectionKind + 1> sections_{};
  std::array<bool, pf::kLastSectionKind + 1> present_{};
  std::string_view strings_;
  size_t tags_ = 0;
};

std::vector<std::string> feature_names(uint64_t bits) {
  std::vector<std::string> names;
  for (int i = 0; i < pf::kCpuFeatureCount; ++i) {
    if ((bits >> i) & 1u)
      names.emplace_back(pf::kCpuFeatures[i].name);
  }
  return names;
}

}  // namespace

Result<DecodedPack> decode(std::string_view bytes) {
  const uint64_t size = bytes.size();
  const size_t magic_bytes = std::min<size_t>(bytes.size(), sizeof pf::kMagic);
  if (magic_bytes == 0)
    return invalid("the file is empty");
  if (std::memcmp(bytes.data(), pf::kMagic, magic_bytes) != 0)
    return invalid("not a sigrun pack (the file does not start with \"SIGRUNPK\")");
  if (size < pf::kHeaderSize)
    return invalid("truncated: " + std::to_string(size) + " bytes, less than the " +
                   std::to_string(pf::kHeaderSize) + "-byte header");
  pf::FileHeader header;
  std::memcpy(&header, bytes.data(), sizeof header);

  if (header.format_version != pf::kFormatVersion)
    return unsupported("pack format version " + std::to_string(header.format_version) +
                       ", this runtime reads version " + std::to_string(pf::kFormatVersion) +
                       "; rebuild the pack with this version's sigrun compile");
  if (header.header_size != pf::kHeaderSize)
    return invalid("header size " + std::to_string(header.header_size) + ", expected " +
                   std::to_string(pf::kHeaderSize));
  if (size < header.file_size)
    return invalid("truncated: the header says " + std::to_string(header.file_size) +
                   " bytes, the file has " + std::to_string(size));
  if (size > header.file_size)
    return invalid("trailing bytes: the header says " + std::to_string(header.file_size) +
                   " bytes, the file has " + std::to_string(size));

  uint32_t crc = crc32(0, bytes.data(), pf::kChecksumOffset);
  const size_t after = pf::kChecksumOffset + sizeof header.checksum;
  crc = crc32(crc, bytes.data() + after, bytes.size() - after);
  if (crc != header.checksum)
    return invalid("checksum mismatch: the header says " + hex32(header.checksum) + ", the contents give " +
                   hex32(crc) + " (the file is corrupted)");

  Result<std::string> engine_version =
      header_text(header.engine_version, sizeof header.engine_version, "engine_version");
  if (!engine_version)
    return engine_version.error();
  if (header.abi_fingerprint != pf::abi_fingerprint())
    return unsupported("built by sigrun " + engine_version.value() +
                       " against another opcode table (fingerprint " + hex64(header.abi_fingerprint) +
                       ", this runtime " + hex64(pf::abi_fingerprint()) +
                       "); rebuild the pack with this version's sigrun compile");
  if ((header.flags & ~uint32_t{pf::kHasNativeCode}) != 0)
    return invalid("unknown header flags " + hex32(header.flags));
  if (pf::kCpuFeatureCount < 64 && (header.cpu_features >> pf::kCpuFeatureCount) != 0)
    return invalid("unknown cpu feature bits " + hex64(header.cpu_features));

  DecodedPack out;
  Result<std::string> triple =
      header_text(header.target_triple, sizeof header.target_triple, "target_triple");
  if (!triple)
    return triple.error();
  Result<std::string> cpu = header_text(header.target_cpu, sizeof header.target_cpu, "target_cpu");
  if (!cpu)
    return cpu.error();

  SectionDecoder sections(bytes);
  if (Status s = sections.read_table(header); !s)
    return s.error();
  const bool native = (header.flags & pf::kHasNativeCode) != 0;
  if (native != sections.has(pf::SectionKind::NativeLibrary))
    return invalid(native ? "the header announces native code, the native library section is missing"
                          : "a native library section, the header announces none");
  Result<program::Program> program = sections.decode_program();
  if (!program)
    return program.error();
  if (program.value().rules.size() != header.rule_count)
    return invalid("the header says " + std::to_string(header.rule_count) + " rules, the rules section has " +
                   std::to_string(program.value().rules.size()));
  if (std::string problem = program::verify(program.value()); !problem.empty())
    return Error{Error::Code::InvalidProgram, "invalid program in pack: " + problem};

  out.info.format_version = header.format_version;
  out.info.engine_version = std::move(engine_version).value();
  out.info.target_triple = std::move(triple).value();
  out.info.target_cpu = std::move(cpu).value();
  out.info.cpu_features = feature_names(header.cpu_features);
  out.info.file_size = header.file_size;
  out.info.checksum = header.checksum;
  out.info.rule_count = header.rule_count;
  out.info.has_native_code = native;
  out.cpu_features = header.cpu_features;
  out.program = std::move(program).value();
  if (native)
    out.native = sections.section(pf::SectionKind::NativeLibrary);
  return out;
}

}  // namespace sigrun::pack
