// Test support for tests/unit/pack: packs built from rule text, byte-level access to their header and
// sections (to damage them on purpose), and the matches of an engine over a list of events.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "abi/pack_format.h"
#include "pack/crc32.h"
#include "sigrun/compiler/compiler.h"
#include "sigrun/compiler/pack.h"
#include "sigrun/engine.h"
#include "sigrun/pack.h"

namespace sigrun::pack_testing {

namespace pf = pack_format;

// Rules touching most opcodes: strings in every position, wildcards, regex, numbers, null, exists, CIDR,
// a field reference, keywords, and a message with placeholders.
inline const char* const kRules = R"(title: Encoded PowerShell
id: 11111111-1111-1111-1111-111111111111
status: test
level: high
author: Pack Tests
tags: [attack.execution, attack.t1059.001]
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\powershell.exe'
    CommandLine|contains: [' -enc ', ' -EncodedCommand ']
  condition: selection
---
title: Suspicious user agent or address
id: 22222222-2222-2222-2222-222222222222
level: medium
logsource: {product: aws, service: cloudtrail}
detection:
  agent:
    userAgent|re: '^(curl|python-requests)/[0-9.]+$'
  network:
    sourceIPAddress|cidr: ['10.0.0.0/8', '2001:db8::/32']
  error:
    errorCode: null
  condition: agent or (network and not error)
---
title: Many logons
id: 33333333-3333-3333-3333-333333333333
level: low
logsource: {product: windows, service: security}
detection:
  selection:
    EventID: 4625
    LogonType|gt: 2
    TargetUserName|exists: true
  glob:
    WorkstationName: 'WS-??-*'
  same:
    SubjectUserName|fieldref: TargetUserName
  condition: selection and (glob or same)
message: 'failed logon of {{TargetUserName|nobody}} from {{WorkstationName|somewhere}}'
---
title: Keyword
id: 44444444-4444-4444-4444-444444444444
level: informational
logsource: {product: any}
detection:
  keywords:
    - 'mimikatz'
    - 'sekurlsa::*'
  condition: keywords
)";

// Events for kRules: matches of every rule, near misses, arrays, nulls, malformed lines.
inline std::vector<std::string> events() {
  return {
      R"({"Image":"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\POWERSHELL.EXE","CommandLine":"powershell -enc SQBFAFgA"})",
      R"({"Image":"C:\\powershell.exe","CommandLine":"powershell -nop"})",
      R"({"userAgent":"curl/8.1.2","sourceIPAddress":"192.0.2.1"})",
      R"({"userAgent":"Mozilla/5.0","sourceIPAddress":"10.1.2.3","errorCode":null})",
      R"({"userAgent":"Mozilla/5.0","sourceIPAddress":"10.1.2.3"})",
      R"({"userAgent":"Mozilla/5.0","sourceIPAddress":"2001:db8::1","errorCode":"AccessDenied"})",
      R"({"EventID":4625,"LogonType":3,"TargetUserName":"bob","WorkstationName":"WS-01-FIN"})",
      R"({"EventID":"4625","LogonType":10,"TargetUserName":"bob","SubjectUserName":"bob"})",
      R"({"EventID":4625,"LogonType":2,"TargetUserName":"bob","SubjectUserName":"bob"})",
      R"({"message":"running Mimikatz now","tags":["a","sekurlsa::logonpasswords"]})",
      R"({"Image":["a.exe","x\\powershell.exe"],"CommandLine":[" -EncodedCommand ",null]})",
      R"({"broken": )",
      R"([1,2,3])",
  };
}

// The rules of `text` compiled; fails the test on any diagnostic error.
inline program::Program compile_text(const std::string& text) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  compiler::Compilation c = compiler::compile_rule_text("rules.yml", text, sources, diags);
  std::string rendered;
  for (const auto& d : diags.all())
    rendered += diag::render(d, sources);
  EXPECT_EQ(diags.error_count(), 0u) << rendered;
  return std::move(c.program);
}

inline std::string build(const program::Program& program, const std::string& cpu = "x86-64-v2") {
  compiler::PackOptions options;
  options.cpu = cpu;
  Result<std::string> pack = compiler::build_pack(program, options);
  EXPECT_TRUE(pack) << pack.error().message;
  return pack ? std::move(pack).value() : std::string();
}

inline pf::FileHeader header_of(const std::string& pack) {
  pf::FileHeader header;
  std::memcpy(&header, pack.data(), sizeof header);
  return header;
}

// `pack` with `header` written back and the checksum made right again: only the edit is wrong.
inline std::string with_header(std::string pack, pf::FileHeader header) {
  std::memcpy(pack.data(), &header, sizeof header);
  const size_t after = pf::kChecksumOffset + sizeof header.checksum;
  uint32_t crc = pack::crc32(0, pack.data(), pf::kChecksumOffset);
  crc = pack::crc32(crc, pack.data() + after, pack.size() - after);
  std::memcpy(pack.data() + pf::kChecksumOffset, &crc, sizeof crc);
  return pack;
}

// The checksum recomputed after editing bytes elsewhere.
inline std::string resealed(const std::string& pack) {
  return with_header(pack, header_of(pack));
}

inline pf::SectionEntry section(const std::string& pack, pf::SectionKind kind) {
  const pf::FileHeader header = header_of(pack);
  for (uint32_t i = 0; i < header.section_count; ++i) {
    pf::SectionEntry entry;
    std::memcpy(&entry, pack.data() + header.section_table_offset + i * sizeof entry, sizeof entry);
    if (entry.kind == static_cast<uint32_t>(kind))
      return entry;
  }
  ADD_FAILURE() << "no section of kind " << static_cast<uint32_t>(kind);
  return {};
}

// Every (event index, rule id) an engine reports, in order.
inline std::vector<std::pair<size_t, std::string>> matches(const std::shared_ptr<const Engine>& engine,
                                                           const std::vector<std::string>& events,
                                                           InputFormat format = InputFormat::Json) {
  std::vector<std::pair<size_t, std::string>> out;
  Scanner scanner(engine);
  for (size_t i = 0; i < events.size(); ++i) {
    scanner.scan(
        events[i], i + 1,
        [&](const Match& m) { out.emplace_back(i, m.rule->id + " " + std::string(m.message)); }, nullptr,
        format);
  }
  return out;
}

}  // namespace sigrun::pack_testing
