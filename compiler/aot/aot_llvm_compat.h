// Internal to compiler/aot. Every call of the ahead-of-time path whose spelling depends on the LLVM major
// version (tech notes §1.2, "AOT emission"), as jit/llvm_compat.h does for the JIT.
#pragma once

#include <llvm/ADT/Optional.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/Support/CodeGen.h>

#if LLVM_VERSION_MAJOR != 14
#error "compiler/aot/aot_llvm_compat.h is written for LLVM 14; port this file to the new version"
#endif

namespace sigrun::aot::compat {

// The output kind of TargetMachine::addPassesToEmitFile (18+: CodeGenFileType::ObjectFile).
inline constexpr llvm::CodeGenFileType kObjectFile = llvm::CGFT_ObjectFile;

// The code generator's optimization level for packs: the default, as `-O2` (18+: CodeGenOptLevel).
inline constexpr llvm::CodeGenOpt::Level kCodegenLevel = llvm::CodeGenOpt::Default;

// "No code model given" for createTargetMachine (16+: std::nullopt).
inline llvm::Optional<llvm::CodeModel::Model> default_code_model() {
  return llvm::None;
}

}  // namespace sigrun::aot::compat
