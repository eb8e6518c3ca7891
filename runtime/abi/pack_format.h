// The on-disk layout of a pack (docs/pack-format.md): the one source of truth for the writer
// (compiler/aot/pack_writer.cpp), the reader (runtime/pack/pack_reader.cpp) and the native code's import
// table (compiler/aot/object_emitter.cpp, runtime/native/native_library.cpp).
//
// A pack is a flat little-endian file:
//
//   FileHeader                      at offset 0, kHeaderSize bytes
//   SectionEntry[section_count]     at section_table_offset
//   sections                        each at a multiple of kSectionAlignment, zero padding between
//
// Every record below is a plain struct of fixed-width integers copied with memcpy (never cast in place),
// so the file needs no alignment beyond what the writer chooses. Nothing in a pack is trusted before the
// whole file has been checked: magic, format version, size, checksum, then every section and index.
#pragma once

#include <cstddef>
#include <cstdint>

#include "abi/program.h"

namespace sigrun::pack_format {

// ---------------------------------------------------------------------------------------------------
// Header

inline constexpr char kMagic[8] = {'S', 'I', 'G', 'R', 'U', 'N', 'P', 'K'};

// Bumped whenever anything in this file changes meaning; a reader accepts exactly its own version.
inline constexpr uint32_t kFormatVersion = 1;

inline constexpr uint64_t kSectionAlignment = 16;

enum HeaderFlags : uint32_t {
  kHasNativeCode = 1u << 0,  // a NativeLibrary section holds the rules' compiled code
};

struct FileHeader {
  char magic[8];            // kMagic
  uint32_t format_version;  // kFormatVersion of the writer
  uint32_t header_size;     // sizeof(FileHeader)
  uint64_t file_size;       // the whole file, in bytes
  uint32_t checksum;        // CRC-32 (IEEE 802.3, as zlib) of every byte of the file but these four
  uint32_t section_count;   // entries in the section table
  uint64_t section_table_offset;
  uint64_t abi_fingerprint;  // abi_fingerprint() of the writer: opcode table and native imports
  uint64_t cpu_features;     // CpuFeature bits the native code needs beyond x86-64 (bit i: feature i)
  char engine_version[16];   // sigrun version that wrote the pack, NUL-padded ("0.1.0")
  char target_triple[32];    // LLVM triple of the native code, NUL-padded ("x86_64-pc-linux-gnu")
  char target_cpu[32];       // LLVM CPU the code was built for, NUL-padded ("x86-64-v2")
  uint32_t rule_count;       // == the Rules section's record count
  uint32_t flags;            // HeaderFlags; other bits are zero
};
static_assert(sizeof(FileHeader) == 144, "the header is 144 bytes on disk");
static_assert(offsetof(FileHeader, checksum) == 24);
inline constexpr uint64_t kHeaderSize = sizeof(FileHeader);
inline constexpr uint64_t kChecksumOffset = offsetof(FileHeader, checksum);

// ---------------------------------------------------------------------------------------------------
// Sections

enum class SectionKind : uint32_t {
  Strings = 1,        // bytes every StringRef points into (no terminators)
  Fields = 2,         // FieldRecord[]: the field plan, in slot order
  Operands = 3,       // OperandRecord[]
  Predicates = 4,     // PredicateRecord[]
  Nodes = 5,          // NodeRecord[]
  Children = 6,       // uint32_t[]: child lists of And/Or nodes
  Rules = 7,          // RuleRecord[]
  Tags = 8,           // StringRef[]: every rule's tags, rules take runs of them
  NativeLibrary = 9,  // an ELF shared object (x86-64, no dependencies) defining the rule functions
};
inline constexpr uint32_t kFirstSectionKind = 1;
inline constexpr uint32_t kLastSectionKind = 9;

// One per section, each kind at most once; Strings..Tags always present, NativeLibrary exactly when the
// header has kHasNativeCode. Sections do not overlap each other, the header or the table.
struct SectionEntry {
  uint32_t kind;      // SectionKind
  uint32_t reserved;  // zero
  uint64_t offset;
  uint64_t size;  // bytes; a multiple of the record size for record sections
};
static_assert(sizeof(SectionEntry) == 24);

struct StringRef {
  uint32_t offset;  // into the Strings section
  uint32_t size;
};
static_assert(sizeof(StringRef) == 8);

enum FieldFlags : uint32_t {
  kFieldNeedsFolding = 1u << 0,  // program::FieldSlot::needs_folding
};

struct FieldRecord {  // program::FieldSlot
  StringRef path;
  uint32_t flags;     // FieldFlags
  uint32_t reserved;  // zero
};
static_assert(sizeof(FieldRecord) == 16);

struct OperandRecord {  // program::OperandData
  StringRef text;
  uint32_t flags;          // SigrunOperandFlags and the comparison/time-part bit fields, as in memory
  uint32_t regex_options;  // program::RegexOption bits
  uint64_t number_bits;    // the IEEE 754 bits of OperandData::number
};
static_assert(sizeof(OperandRecord) == 24);

struct PredicateRecord {  // abi::Predicate
  uint32_t op;            // abi::Opcode
  uint32_t slot;
  uint32_t operand;
  uint32_t other_slot;
};
static_assert(sizeof(PredicateRecord) == 16);

struct NodeRecord {  // abi::BoolNode
  uint32_t op;       // abi::BoolOp
  uint32_t arg;
  uint32_t count;
  uint32_t reserved;  // zero
};
static_assert(sizeof(NodeRecord) == 16);

struct RuleRecord {  // program::RuleInfo
  StringRef id;
  StringRef title;
  StringRef level;
  StringRef status;
  StringRef author;
  StringRef description;
  StringRef product;
  StringRef category;
  StringRef service;
  StringRef message;
  StringRef source_file;
  uint32_t source_line;
  uint32_t root;       // node index
  uint32_t first_tag;  // tags are Tags[first_tag .. first_tag + tag_count)
  uint32_t tag_count;
};
static_assert(sizeof(RuleRecord) == 104);

// ---------------------------------------------------------------------------------------------------
// Native code

// The shared object defines `sigrun_rule_<i>` (abi::RuleFunction) for every rule i and reaches nothing
// outside itself except through its import table: an array of kImportCount function pointers that the
// loader fills before any rule runs. Entry i < abi::kOpcodeCount is the helper of opcode i (null for
// Slot-scope opcodes); the libc functions of SIGRUN_PACK_LIBC_IMPORTS follow in order. Code calls each
// import through a local stub of the same name, so the object needs no symbol from the process and loads
// the same whether libsigrun was linked, dlopen'ed with RTLD_LOCAL (Python ctypes) or embedded.
#define SIGRUN_PACK_LIBC_IMPORTS(X) X(memcmp) X(bcmp) X(memcpy) X(memmove) X(memset)

inline constexpr uint32_t kLibcImportCount = 0
#define SIGRUN_PACK_COUNT_IMPORT(name) +1
    SIGRUN_PACK_LIBC_IMPORTS(SIGRUN_PACK_COUNT_IMPORT)
#undef SIGRUN_PACK_COUNT_IMPORT
    ;
inline constexpr uint32_t kImportCount = static_cast<uint32_t>(abi::kOpcodeCount) + kLibcImportCount;

inline constexpr char kImportTableSymbol[] = "sigrun_pack_imports";       // void (*[kImportCount])(void)
inline constexpr char kImportCountSymbol[] = "sigrun_pack_import_count";  // const uint32_t
inline constexpr char kAbiSymbol[] = "sigrun_pack_abi";                   // const uint64_t fingerprint
inline constexpr char kRuleSymbolPrefix[] = "sigrun_rule_";

// Bumped by hand when the meaning of the ABI changes in a way the text below does not show: operand flag
// bits, value kinds, the slot layout.
inline constexpr uint32_t kAbiRevision = 1;

// What the fingerprint hashes: every opcode with its helper and scope, in order, and the imports.
#define SIGRUN_PACK_OPCODE_TEXT(name, helper, scope, doc) #name ":" #helper ":" #scope ";"
#define SIGRUN_PACK_IMPORT_TEXT(name) #name ";"
inline constexpr char kAbiText[] = SIGRUN_OPCODES(SIGRUN_PACK_OPCODE_TEXT) "|" SIGRUN_PACK_LIBC_IMPORTS(
    SIGRUN_PACK_IMPORT_TEXT) "|value=32;slot=8;event=16;operand=32";
#undef SIGRUN_PACK_IMPORT_TEXT
#undef SIGRUN_PACK_OPCODE_TEXT

// FNV-1a over kAbiText and kAbiRevision. A pack whose fingerprint differs from the reader's was built
// against another opcode table and is refused (its opcode numbers and imports mean other things).
constexpr uint64_t abi_fingerprint() {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (size_t i = 0; i + 1 < sizeof(kAbiText); ++i) {
    hash ^= static_cast<unsigned char>(kAbiText[i]);
    hash *= 0x100000001b3ull;
  }
  for (int shift = 0; shift < 32; shift += 8) {
    hash ^= (kAbiRevision >> shift) & 0xFFu;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

// ---------------------------------------------------------------------------------------------------
// CPU features

// Which register of a CPUID leaf holds a feature bit.
enum class CpuidRegister : uint8_t { Eax, Ebx, Ecx, Edx };

// What the operating system must have enabled (XCR0) for a feature's registers to be usable.
enum class OsState : uint8_t {
  None,    // no extended register state
  Avx,     // XMM and YMM state
  Avx512,  // XMM, YMM, opmask and ZMM state
};

// X(Enum, llvm name, CPUID leaf, subleaf, register, bit, OS state). Every x86 feature a pack may require
// beyond the x86-64 baseline (cmov, cx8, fxsr, mmx, sse, sse2, x87): the compiler disables any other
// feature of the target CPU, so the code never uses one the loader cannot check. Bit i of
// FileHeader::cpu_features is entry i; append only (the order is part of the format).
#define SIGRUN_CPU_FEATURES(X)                                   \
  X(Sse3, "sse3", 0x1, 0, Ecx, 0, None)                          \
  X(Pclmul, "pclmul", 0x1, 0, Ecx, 1, None)                      \
  X(Ssse3, "ssse3", 0x1, 0, Ecx, 9, None)                        \
  X(Fma, "fma", 0x1, 0, Ecx, 12, Avx)                            \
  X(Cx16, "cx16", 0x1, 0, Ecx, 13, None)                         \
  X(Sse41, "sse4.1", 0x1, 0, Ecx, 19, None)                      \
  X(Sse42, "sse4.2", 0x1, 0, Ecx, 20, None)                      \
  X(Crc32, "crc32", 0x1, 0, Ecx, 20, None)                       \
  X(Movbe, "movbe", 0x1, 0, Ecx, 22, None)                       \
  X(Popcnt, "popcnt", 0x1, 0, Ecx, 23, None)                     \
  X(Aes, "aes", 0x1, 0, Ecx, 25, None)                           \
  X(Xsave, "xsave", 0x1, 0, Ecx, 26, None)                       \
  X(Avx, "avx", 0x1, 0, Ecx, 28, Avx)                            \
  X(F16c, "f16c", 0x1, 0, Ecx, 29, Avx)                          \
  X(Rdrnd, "rdrnd", 0x1, 0, Ecx, 30, None)                       \
  X(Bmi, "bmi", 0x7, 0, Ebx, 3, None)                            \
  X(Avx2, "avx2", 0x7, 0, Ebx, 5, Avx)                           \
  X(Bmi2, "bmi2", 0x7, 0, Ebx, 8, None)                          \
  X(Avx512f, "avx512f", 0x7, 0, Ebx, 16, Avx512)                 \
  X(Avx512dq, "avx512dq", 0x7, 0, Ebx, 17, Avx512)               \
  X(Rdseed, "rdseed", 0x7, 0, Ebx, 18, None)                     \
  X(Adx, "adx", 0x7, 0, Ebx, 19, None)                           \
  X(Avx512ifma, "avx512ifma", 0x7, 0, Ebx, 21, Avx512)           \
  X(Clflushopt, "clflushopt", 0x7, 0, Ebx, 23, None)             \
  X(Clwb, "clwb", 0x7, 0, Ebx, 24, None)                         \
  X(Avx512cd, "avx512cd", 0x7, 0, Ebx, 28, Avx512)               \
  X(Sha, "sha", 0x7, 0, Ebx, 29, None)                           \
  X(Avx512bw, "avx512bw", 0x7, 0, Ebx, 30, Avx512)               \
  X(Avx512vl, "avx512vl", 0x7, 0, Ebx, 31, Avx512)               \
  X(Avx512vbmi, "avx512vbmi", 0x7, 0, Ecx, 1, Avx512)            \
  X(Avx512vbmi2, "avx512vbmi2", 0x7, 0, Ecx, 6, Avx512)          \
  X(Gfni, "gfni", 0x7, 0, Ecx, 8, None)                          \
  X(Vaes, "vaes", 0x7, 0, Ecx, 9, Avx)                           \
  X(Vpclmulqdq, "vpclmulqdq", 0x7, 0, Ecx, 10, Avx)              \
  X(Avx512vnni, "avx512vnni", 0x7, 0, Ecx, 11, Avx512)           \
  X(Avx512bitalg, "avx512bitalg", 0x7, 0, Ecx, 12, Avx512)       \
  X(Avx512vpopcntdq, "avx512vpopcntdq", 0x7, 0, Ecx, 14, Avx512) \
  X(Rdpid, "rdpid", 0x7, 0, Ecx, 22, None)                       \
  X(Movdiri, "movdiri", 0x7, 0, Ecx, 27, None)                   \
  X(Movdir64b, "movdir64b", 0x7, 0, Ecx, 28, None)               \
  X(Serialize, "serialize", 0x7, 0, Edx, 14, None)               \
  X(Avxvnni, "avxvnni", 0x7, 1, Eax, 4, Avx)                     \
  X(Avx512bf16, "avx512bf16", 0x7, 1, Eax, 5, Avx512)            \
  X(Xsaveopt, "xsaveopt", 0xD, 1, Eax, 0, None)                  \
  X(Xsavec, "xsavec", 0xD, 1, Eax, 1, None)                      \
  X(Sahf, "sahf", 0x80000001, 0, Ecx, 0, None)                   \
  X(Lzcnt, "lzcnt", 0x80000001, 0, Ecx, 5, None)                 \
  X(Sse4a, "sse4a", 0x80000001, 0, Ecx, 6, None)                 \
  X(Prfchw, "prfchw", 0x80000001, 0, Ecx, 8, None)               \
  X(Xop, "xop", 0x80000001, 0, Ecx, 11, Avx)                     \
  X(Fma4, "fma4", 0x80000001, 0, Ecx, 16, Avx)                   \
  X(Tbm, "tbm", 0x80000001, 0, Ecx, 21, None)                    \
  X(Clzero, "clzero", 0x80000008, 0, Ebx, 0, None)               \
  X(Wbnoinvd, "wbnoinvd", 0x80000008, 0, Ebx, 9, None)

enum class CpuFeature : uint8_t {
#define SIGRUN_CPU_FEATURE_ENUM(name, llvm_name, leaf, subleaf, reg, bit, state) name,
  SIGRUN_CPU_FEATURES(SIGRUN_CPU_FEATURE_ENUM)
#undef SIGRUN_CPU_FEATURE_ENUM
};

inline constexpr int kCpuFeatureCount = 0
#define SIGRUN_CPU_FEATURE_COUNT(name, llvm_name, leaf, subleaf, reg, bit, state) +1
    SIGRUN_CPU_FEATURES(SIGRUN_CPU_FEATURE_COUNT)
#undef SIGRUN_CPU_FEATURE_COUNT
    ;
static_assert(kCpuFeatureCount <= 64, "FileHeader::cpu_features has 64 bits");

struct CpuFeatureInfo {
  const char* name;  // LLVM's spelling, also what error messages show
  uint32_t leaf;
  uint32_t subleaf;
  CpuidRegister reg;
  uint8_t bit;
  OsState state;
};

inline constexpr CpuFeatureInfo kCpuFeatures[kCpuFeatureCount] = {
#define SIGRUN_CPU_FEATURE_INFO(name, llvm_name, leaf, subleaf, reg, bit, state) \
  {llvm_name, leaf, subleaf, CpuidRegister::reg, bit, OsState::state},
    SIGRUN_CPU_FEATURES(SIGRUN_CPU_FEATURE_INFO)
#undef SIGRUN_CPU_FEATURE_INFO
};

// Features of every x86-64 CPU: never recorded, always allowed.
inline constexpr const char* kBaselineFeatures[] = {"64bit", "cmov", "cx8",  "fxsr",
                                                    "mmx",   "sse",  "sse2", "x87"};

}  // namespace sigrun::pack_format
