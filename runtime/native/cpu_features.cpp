// Implements cpu_features.h with CPUID and XGETBV, driven by the feature table of abi/pack_format.h.
#include "native/cpu_features.h"

#include "abi/pack_format.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace sigrun::native {
namespace pf = pack_format;
namespace {

#if defined(__x86_64__)

struct Registers {
  uint32_t eax = 0;
  uint32_t ebx = 0;
  uint32_t ecx = 0;
  uint32_t edx = 0;
};

// CPUID(leaf, subleaf); all zero when the CPU does not have the leaf.
Registers cpuid(uint32_t leaf, uint32_t subleaf) {
  Registers r;
  if (__get_cpuid_count(leaf, subleaf, &r.eax, &r.ebx, &r.ecx, &r.edx) == 0)
    return Registers{};
  return r;
}

// XCR0: which register state the OS saves and restores.
uint64_t xcr0() {
  uint32_t low = 0;
  uint32_t high = 0;
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return (uint64_t{high} << 32) | low;
}

uint64_t detect() {
  const Registers leaf1 = cpuid(1, 0);
  constexpr uint32_t kOsxsave = 1u << 27;
  const uint64_t enabled = (leaf1.ecx & kOsxsave) != 0 ? xcr0() : 0;
  constexpr uint64_t kAvxState = 0x6;      // XMM, YMM
  constexpr uint64_t kAvx512State = 0xE6;  // XMM, YMM, opmask, ZMM upper halves, ZMM 16-31
  const bool avx_state = (enabled & kAvxState) == kAvxState;
  const bool avx512_state = (enabled & kAvx512State) == kAvx512State;

  uint64_t bits = 0;
  for (int i = 0; i < pf::kCpuFeatureCount; ++i) {
    const pf::CpuFeatureInfo& feature = pf::kCpuFeatures[i];
    const Registers r = cpuid(feature.leaf, feature.subleaf);
    uint32_t word = 0;
    switch (feature.reg) {
      case pf::CpuidRegister::Eax:
        word = r.eax;
        break;
      case pf::CpuidRegister::Ebx:
        word = r.ebx;
        break;
      case pf::CpuidRegister::Ecx:
        word = r.ecx;
        break;
      case pf::CpuidRegister::Edx:
        word = r.edx;
        break;
    }
    bool usable = ((word >> feature.bit) & 1u) != 0;
    switch (feature.state) {
      case pf::OsState::None:
        break;
      case pf::OsState::Avx:
        usable = usable && avx_state;
        break;
      case pf::OsState::Avx512:
        usable = usable && avx512_state;
        break;
    }
    if (usable)
      bits |= uint64_t{1} << i;
  }
  return bits;
}

#else

uint64_t detect() {
  return 0;
}

#endif

}  // namespace

uint64_t host_cpu_features() {
  static const uint64_t kFeatures = detect();
  return kFeatures;
}

bool host_runs_triple(const std::string& triple, std::string* reason) {
#if defined(__x86_64__) && defined(__linux__)
  const bool x86_64 = triple.rfind("x86_64-", 0) == 0;
  const bool linux_os = triple.find("-linux") != std::string::npos;
  if (x86_64 && linux_os)
    return true;
  if (reason)
    *reason = "native code for " + triple + ", this runtime runs x86_64 linux code";
  return false;
#else
  if (reason)
    *reason = "native code for " + triple + ", this runtime cannot run native packs on its architecture";
  return false;
#endif
}

}  // namespace sigrun::native
