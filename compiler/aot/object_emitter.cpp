// Implements object_emitter.h. Each module has its own LLVMContext and target machine, so modules are
// emitted in parallel; the objects come out in module order whatever the thread schedule.
//
// The import table: rule code calls helpers (sigrun_str_glob, ...) and libc (memcmp, bcmp) by name, as in
// the JIT. Here each such name is defined once, with hidden visibility, as a stub that jumps through
// `sigrun_pack_imports[i]`, which the loader fills. The linked object therefore has no undefined symbol and
// no dependency: it loads the same in any process, whatever exports the runtime's symbols or not.
#include "aot/object_emitter.h"

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "abi/pack_format.h"
#include "aot/aot_llvm_compat.h"
#include "jit/optimizer.h"
#include "jit/rule_emitter.h"

namespace sigrun::aot {
namespace pf = pack_format;
namespace {

Error native(std::string message) {
  return Error{Error::Code::Native, std::move(message)};
}

Result<std::string> emit_object(llvm::Module& module, llvm::TargetMachine& machine) {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, stream, nullptr, compat::kObjectFile))
    return native("llvm cannot emit object files for " + machine.getTargetTriple().str());
  passes.run(module);
  return std::string(buffer.begin(), buffer.end());
}

// The object of rules [begin, end).
Result<std::string> emit_rules_object(const program::Program& program, const jit::EmitPlan& plan,
                                      size_t begin, size_t end, const CpuTarget& target) {
  Result<std::unique_ptr<llvm::TargetMachine>> machine = create_machine(target);
  if (!machine)
    return machine.error();
  llvm::TargetMachine& tm = *machine.value();
  Result<llvm::orc::ThreadSafeModule> module =
      jit::emit_rules(program, plan, begin, end, tm.createDataLayout(), tm.getTargetTriple());
  if (!module)
    return module.error();
  Result<std::string> object = native("no module");
  module.value().withModuleDo([&](llvm::Module& m) {
    jit::optimize_module(m, &tm);
    object = emit_object(m, tm);
  });
  return object;
}

// A hidden function `name` of `type` that calls import `index` with its own arguments and returns what
// that returns: a tail call through the table, one indirect jump.
void define_stub(llvm::Module& module, llvm::GlobalVariable* table, const std::string& name,
                 llvm::FunctionType* type, unsigned index, bool returns_bool) {
  llvm::LLVMContext& context = module.getContext();
  llvm::Function* stub = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, name, module);
  stub->setVisibility(llvm::GlobalValue::HiddenVisibility);
  stub->setDSOLocal(true);
  stub->addFnAttr(llvm::Attribute::NoUnwind);
  if (returns_bool)
    stub->addRetAttr(llvm::Attribute::ZExt);
  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", stub));
  llvm::Type* entry_type = table->getValueType()->getArrayElementType();
  llvm::Value* slot = builder.CreateConstInBoundsGEP2_32(table->getValueType(), table, 0, index);
  llvm::Value* target = builder.CreateLoad(entry_type, slot, name + ".import");
  llvm::Value* callee = builder.CreatePointerCast(target, llvm::PointerType::getUnqual(type));
  std::vector<llvm::Value*> arguments;
  for (llvm::Argument& argument : stub->args())
    arguments.push_back(&argument);
  llvm::CallInst* call = builder.CreateCall(type, callee, arguments);
  call->setTailCallKind(llvm::CallInst::TCK_Tail);
  if (returns_bool)
    call->addRetAttr(llvm::Attribute::ZExt);
  if (type->getReturnType()->isVoidTy()) {
    builder.CreateRetVoid();
  } else {
    builder.CreateRet(call);
  }
}

// The import table, its size, the ABI fingerprint, and a stub for every import.
Result<std::string> emit_imports_object(const CpuTarget& target) {
  Result<std::unique_ptr<llvm::TargetMachine>> machine = create_machine(target);
  if (!machine)
    return machine.error();
  llvm::TargetMachine& tm = *machine.value();
  llvm::LLVMContext context;
  llvm::Module module("sigrun_pack_imports", context);
  module.setDataLayout(tm.createDataLayout());
  module.setTargetTriple(tm.getTargetTriple().str());

  llvm::Type* i1 = llvm::Type::getInt1Ty(context);
  llvm::Type* i32 = llvm::Type::getInt32Ty(context);
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);
  llvm::Type* bytes = llvm::Type::getInt8PtrTy(context);
  llvm::Type* size = module.getDataLayout().getIntPtrType(context);
  llvm::Type* entry =
      llvm::PointerType::getUnqual(llvm::FunctionType::get(llvm::Type::getVoidTy(context), false));
  llvm::ArrayType* table_type = llvm::ArrayType::get(entry, pf::kImportCount);

  // Written by the loader after dlopen, so plain writable data (not RELRO).
  auto* table =
      new llvm::GlobalVariable(module, table_type, /*isConstant=*/false, llvm::GlobalValue::ExternalLinkage,
                               llvm::ConstantAggregateZero::get(table_type), pf::kImportTableSymbol);
  new llvm::GlobalVariable(module, i32, /*isConstant=*/true, llvm::GlobalValue::ExternalLinkage,
                           llvm::ConstantInt::get(i32, pf::kImportCount), pf::kImportCountSymbol);
  new llvm::GlobalVariable(module, i64, /*isConstant=*/true, llvm::GlobalValue::ExternalLinkage,
                           llvm::ConstantInt::get(i64, pf::abi_fingerprint()), pf::kAbiSymbol);

  llvm::FunctionType* value_helper = llvm::FunctionType::get(i1, {bytes, bytes}, false);
  llvm::FunctionType* pair_helper = llvm::FunctionType::get(i1, {bytes, bytes, bytes}, false);
  for (int op = 0; op < abi::kOpcodeCount; ++op) {
    const auto opcode = static_cast<abi::Opcode>(op);
    switch (abi::opcode_scope(opcode)) {
      case abi::OpcodeScope::Slot:
        break;
      case abi::OpcodeScope::Value:
        define_stub(module, table, abi::opcode_helper_name(opcode), value_helper, static_cast<unsigned>(op),
                    true);
        break;
      case abi::OpcodeScope::Pair:
        define_stub(module, table, abi::opcode_helper_name(opcode), pair_helper, static_cast<unsigned>(op),
                    true);
        break;
    }
  }
  // The libc imports, in SIGRUN_PACK_LIBC_IMPORTS order, with their C signatures.
  const auto libc_type = [&](const std::string& name) -> llvm::FunctionType* {
    if (name == "memcmp" || name == "bcmp")
      return llvm::FunctionType::get(i32, {bytes, bytes, size}, false);
    if (name == "memcpy" || name == "memmove")
      return llvm::FunctionType::get(bytes, {bytes, bytes, size}, false);
    if (name == "memset")
      return llvm::FunctionType::get(bytes, {bytes, i32, size}, false);
    return nullptr;
  };
  unsigned index = static_cast<unsigned>(abi::kOpcodeCount);
#define SIGRUN_LIBC_STUB(name)                                                    \
  if (llvm::FunctionType* type = libc_type(#name); type != nullptr) {             \
    define_stub(module, table, #name, type, index++, false);                      \
  } else {                                                                        \
    return native("no signature for the libc import " #name " (object_emitter)"); \
  }
  SIGRUN_PACK_LIBC_IMPORTS(SIGRUN_LIBC_STUB)
#undef SIGRUN_LIBC_STUB

  std::string problems;
  llvm::raw_string_ostream stream(problems);
  if (llvm::verifyModule(module, &stream))
    return native("the import table module is invalid: " + stream.str());
  return emit_object(module, tm);
}

}  // namespace

Result<std::vector<std::string>> emit_objects(const program::Program& program, const CpuTarget& target,
                                              unsigned threads) {
  const size_t rule_count = program.rules.size();
  const size_t module_count = (rule_count + jit::kRulesPerModule - 1) / jit::kRulesPerModule;
  const jit::EmitPlan plan(program);

  std::vector<Result<std::string>> objects(module_count + 1, native("not emitted"));
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t index = next++; index < module_count; index = next++) {
      const size_t begin = index * jit::kRulesPerModule;
      const size_t end = std::min(rule_count, begin + jit::kRulesPerModule);
      objects[index] = emit_rules_object(program, plan, begin, end, target);
    }
  };
  std::vector<std::thread> workers;
  const size_t extra =
      std::min<size_t>(threads > 1 ? threads - 1 : 0, module_count > 1 ? module_count - 1 : 0);
  for (size_t i = 0; i < extra; ++i)
    workers.emplace_back(work);
  work();
  for (std::thread& worker : workers)
    worker.join();
  objects[module_count] = emit_imports_object(target);

  std::vector<std::string> out;
  out.reserve(objects.size());
  for (Result<std::string>& object : objects) {
    if (!object)
      return object.error();
    out.push_back(std::move(object).value());
  }
  return out;
}

}  // namespace sigrun::aot
