// Internal to compiler/jit. Every call whose spelling depends on the LLVM major version, so moving to a
// newer LLVM changes this file only (tech notes §1.2 lists the differences between 14 and 19). The rest
// of compiler/jit writes version-neutral IR code: explicit element types in every load and GEP, which
// compiles unchanged with typed (14) and opaque (15+) pointers.
#pragma once

#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/JITSymbol.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/Support/CodeGen.h>
#include <llvm/Support/Error.h>

#include <cstdint>

#include "abi/program.h"

#if LLVM_VERSION_MAJOR != 14
#error "compiler/jit/llvm_compat.h is written for LLVM 14; port this file to the new version"
#endif

namespace sigrun::jit::compat {

// A host function as an absolute symbol for `absoluteSymbols` (15+: ExecutorSymbolDef/ExecutorAddr).
inline llvm::JITEvaluatedSymbol host_function_symbol(SigrunValueHelper function) {
  return llvm::JITEvaluatedSymbol(llvm::pointerToJITTargetAddress(function),
                                  llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
}
inline llvm::JITEvaluatedSymbol host_function_symbol(SigrunPairHelper function) {
  return llvm::JITEvaluatedSymbol(llvm::pointerToJITTargetAddress(function),
                                  llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
}

// The address of a symbol returned by ExecutionSession::lookup (15+: an ExecutorAddr).
inline uint64_t symbol_address(const llvm::JITEvaluatedSymbol& symbol) {
  return symbol.getAddress();
}

// A compiled function's address as a callable pointer (15+: ExecutorAddr::toPtr).
template <typename Function>
Function address_to_function(uint64_t address) {
  return llvm::jitTargetAddressToFunction<Function>(static_cast<llvm::JITTargetAddress>(address));
}

// Where LLVM places field `index` of `type`, and the type's size (15+: TypeSize results).
inline uint64_t field_offset(const llvm::DataLayout& layout, llvm::StructType* type, unsigned index) {
  return layout.getStructLayout(type)->getElementOffset(index);
}
inline uint64_t struct_size(const llvm::DataLayout& layout, llvm::StructType* type) {
  return layout.getStructLayout(type)->getSizeInBytes();
}

// Machine-code optimization level: `optimize` selects the default level, else none (18+: CodeGenOptLevel).
inline void set_codegen_level(llvm::orc::JITTargetMachineBuilder& builder, bool optimize) {
  builder.setCodeGenOptLevel(optimize ? llvm::CodeGenOpt::Default : llvm::CodeGenOpt::None);
}

// Makes libc (memcmp, bcmp, memcpy, memset) visible to generated code. LLVM 14 does not link process
// symbols by default, and InstCombine turns `memcmp(...) == 0` into `bcmp` (15+: linked by default, so
// this is only needed when the default is turned off).
inline llvm::Error link_process_symbols(llvm::orc::LLJIT& jit) {
  auto generator =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(jit.getDataLayout().getGlobalPrefix());
  if (!generator)
    return generator.takeError();
  jit.getMainJITDylib().addGenerator(std::move(*generator));
  return llvm::Error::success();
}

}  // namespace sigrun::jit::compat
