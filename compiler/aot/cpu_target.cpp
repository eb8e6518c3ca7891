// Implements cpu_target.h. The features a CPU enables are read back from the target machine LLVM builds
// for it (not from a table of ours), over every x86 feature name LLVM's host detection knows; those the
// runtime cannot check are turned off, and the rest are what the pack requires.
#include "aot/cpu_target.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/Triple.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/Host.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/X86TargetParser.h>
#include <llvm/Target/TargetOptions.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "abi/pack_format.h"
#include "aot/aot_llvm_compat.h"

namespace sigrun::aot {
namespace pf = pack_format;
namespace {

Error native(std::string message) {
  return Error{Error::Code::Native, std::move(message)};
}

// LLVM's target registry is process-wide: register the host target once, whoever compiles first.
Status initialize_native_target() {
  static std::once_flag once;
  static bool failed = false;
  std::call_once(once,
                 [] { failed = llvm::InitializeNativeTarget() || llvm::InitializeNativeTargetAsmPrinter(); });
  if (failed)
    return native("llvm has no native target for this host");
  return Ok{};
}

int table_index(const std::string& name) {
  for (int i = 0; i < pf::kCpuFeatureCount; ++i) {
    if (name == pf::kCpuFeatures[i].name)
      return i;
  }
  return -1;
}

bool is_baseline(const std::string& name) {
  return std::any_of(std::begin(pf::kBaselineFeatures), std::end(pf::kBaselineFeatures),
                     [&](const char* baseline) { return name == baseline; });
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty())
      out += ',';
    out += part;
  }
  return out;
}

// Every x86 feature name this LLVM can detect on a host (the keys of its host feature map, present
// whether or not this CPU has the feature) and every name of our table: sorted, for determinism.
std::vector<std::string> feature_universe(const llvm::StringMap<bool>& host) {
  std::set<std::string> names;
  for (const auto& entry : host)
    names.insert(entry.getKey().str());
  for (const pf::CpuFeatureInfo& feature : pf::kCpuFeatures)
    names.insert(feature.name);
  return {names.begin(), names.end()};
}

// Features of `universe` the machine's subtarget has enabled.
std::vector<std::string> enabled_features(const llvm::TargetMachine& machine,
                                          const std::vector<std::string>& universe) {
  const llvm::MCSubtargetInfo* subtarget = machine.getMCSubtargetInfo();
  std::vector<std::string> enabled;
  for (const std::string& name : universe) {
    if (subtarget->checkFeatures("+" + name))
      enabled.push_back(name);
  }
  return enabled;
}

}  // namespace

Result<std::unique_ptr<llvm::TargetMachine>> create_machine(const CpuTarget& target) {
  if (Status status = initialize_native_target(); !status)
    return status.error();
  std::string problem;
  const llvm::Target* llvm_target = llvm::TargetRegistry::lookupTarget(target.triple, problem);
  if (llvm_target == nullptr)
    return native("llvm cannot generate code for " + target.triple + ": " + problem);
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(
      llvm_target->createTargetMachine(target.triple, target.cpu, target.features, options, llvm::Reloc::PIC_,
                                       compat::default_code_model(), compat::kCodegenLevel));
  if (!machine)
    return native("llvm cannot create a target machine for " + target.triple + " cpu " + target.cpu);
  return machine;
}

Result<CpuTarget> resolve_cpu(const std::string& cpu) {
  if (Status status = initialize_native_target(); !status)
    return status.error();
  CpuTarget target;
  target.triple = llvm::Triple::normalize(llvm::sys::getProcessTriple());
  const llvm::Triple triple(target.triple);
  if (triple.getArch() != llvm::Triple::x86_64 || !triple.isOSLinux()) {
    return native(
        "ahead-of-time packs hold x86-64 linux code (the only kind the runtime can check and load); "
        "this host is " +
        target.triple);
  }

  llvm::StringMap<bool> host;
  llvm::sys::getHostCPUFeatures(host);
  std::vector<std::string> features;
  if (cpu == "native") {
    target.cpu = llvm::sys::getHostCPUName().str();
    for (const auto& entry : host)
      features.push_back((entry.getValue() ? "+" : "-") + entry.getKey().str());
    std::sort(features.begin(), features.end());
  } else {
    target.cpu = cpu;
  }
  if (llvm::X86::parseArchX86(target.cpu, /*Only64Bit=*/true) == llvm::X86::CK_None) {
    return Error{
        Error::Code::InvalidArgument,
        "unknown cpu '" + target.cpu +
            "': expected x86-64, x86-64-v2, x86-64-v3, x86-64-v4, native, or an x86-64 cpu llvm knows "
            "(skylake, znver3, ...)"};
  }

  const std::vector<std::string> universe = feature_universe(host);
  for (int round = 0; round < 2; ++round) {
    target.features = join(features);
    Result<std::unique_ptr<llvm::TargetMachine>> machine = create_machine(target);
    if (!machine)
      return machine.error();
    std::vector<std::string> unchecked;
    target.required = 0;
    for (const std::string& name : enabled_features(*machine.value(), universe)) {
      const int index = table_index(name);
      if (index >= 0) {
        target.required |= uint64_t{1} << index;
      } else if (!is_baseline(name)) {
        unchecked.push_back(name);
      }
    }
    if (unchecked.empty())
      return target;
    if (round == 1)
      return native("cannot turn off the cpu features " + join(unchecked) + " of cpu " + target.cpu);
    // Turned off, so the code never uses a feature the loader cannot check on the machine running it.
    for (const std::string& name : unchecked)
      features.push_back("-" + name);
  }
  return target;
}

}  // namespace sigrun::aot
