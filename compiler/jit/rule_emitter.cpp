// IR generation for rules (rule_emitter.h): EmitPlan, rule_symbol and emit_rules.
//
// A node is emitted by "jumping code": emitting node N in block B with targets T and F makes B's code
// branch to T when N is true and to F when it is false. And, Or and Not only wire targets (And's child i
// jumps to child i+1 when true, to F when false), so the DAG becomes short-circuit control flow with no
// boolean values or phis, and evaluation order is the interpreter's: children left to right, stopping at
// the first that decides. The walk uses an explicit work list, so nesting depth costs no stack.
#include "jit/rule_emitter.h"

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "abi/program.h"
#include "abi/slots.h"
#include "jit/llvm_compat.h"
#include "jit/runtime_symbols.h"

namespace sigrun::jit {

// ---------------------------------------------------------------------------------------------------
// EmitPlan

EmitPlan::EmitPlan(const program::Program& program) : outlined_(program.nodes.size(), false) {
  const size_t node_count = program.nodes.size();
  // Saturates well below overflow; any size past the budget is treated alike.
  constexpr uint64_t kSizeCap = uint64_t{1} << 40;

  std::vector<uint32_t> references(node_count, 0);
  for (const program::RuleInfo& rule : program.rules)
    ++references[rule.root];
  for (const abi::BoolNode& node : program.nodes) {
    if (node.op == abi::BoolOp::Not)
      ++references[node.arg];
  }
  for (uint32_t child : program.children)
    ++references[child];

  // Expanded size of each node when copied, in leaves and calls. Children come before parents, so one
  // pass in index order sees every child's size before its parents.
  std::vector<uint64_t> size(node_count, 0);
  auto cost = [&](uint32_t child) -> uint64_t { return outlined_[child] ? 1 : size[child]; };
  for (size_t n = 0; n < node_count; ++n) {
    const abi::BoolNode& node = program.nodes[n];
    switch (node.op) {
      case abi::BoolOp::And:
      case abi::BoolOp::Or: {
        uint64_t total = 0;
        for (uint32_t i = 0; i < node.count; ++i) {
          total = std::min(kSizeCap, total + cost(program.children[node.arg + i]));
        }
        size[n] = total;
        break;
      }
      case abi::BoolOp::Not:
        size[n] = cost(node.arg);
        break;
      case abi::BoolOp::Pred:
      case abi::BoolOp::True:
      case abi::BoolOp::False:
        size[n] = 1;
        break;
    }
    outlined_[n] = references[n] > 1 && size[n] > kInlineBudget;
  }
}

std::string rule_symbol(size_t rule) {
  return "sigrun_rule_" + std::to_string(rule);
}

namespace {

// ---------------------------------------------------------------------------------------------------
// The ABI structs as LLVM types, field for field from slots.h and program.h. Each struct is checked
// against the C layout (offsetof/sizeof) under the module's data layout before any code uses it.

// Field indices the generated code addresses.
constexpr unsigned kEventSlots = 0;
constexpr unsigned kEventValues = 1;
constexpr unsigned kSlotFirst = 0;
constexpr unsigned kSlotCount = 1;
constexpr unsigned kValueText = 0;
constexpr unsigned kValueFolded = 1;
constexpr unsigned kValueTextLength = 2;
constexpr unsigned kValueFoldedLength = 3;
constexpr unsigned kValueKind = 4;

struct AbiTypes {
  llvm::StructType* value = nullptr;          // SigrunValue
  llvm::StructType* slot = nullptr;           // SigrunSlot
  llvm::StructType* event = nullptr;          // SigrunEvent
  llvm::StructType* operand = nullptr;        // SigrunOperand
  llvm::FunctionType* rule = nullptr;         // abi::RuleFunction
  llvm::FunctionType* helper = nullptr;       // SigrunValueHelper
  llvm::FunctionType* pair_helper = nullptr;  // SigrunPairHelper
};

struct AbiField {
  llvm::Type* type;
  uint64_t offset;  // offsetof in the C struct
};

class AbiTypeBuilder {
 public:
  AbiTypeBuilder(llvm::LLVMContext& context, const llvm::DataLayout& layout)
      : context_(context), layout_(layout) {}

  Result<AbiTypes> build() {
    llvm::Type* i8 = llvm::Type::getInt8Ty(context_);
    llvm::Type* i32 = llvm::Type::getInt32Ty(context_);
    llvm::Type* bytes = llvm::PointerType::getUnqual(i8);
    AbiTypes types;

    Result<llvm::StructType*> value =
        define("SigrunValue", sizeof(SigrunValue),
               {{bytes, offsetof(SigrunValue, text)},
                {bytes, offsetof(SigrunValue, folded)},
                {i32, offsetof(SigrunValue, text_len)},
                {i32, offsetof(SigrunValue, folded_len)},
                {i8, offsetof(SigrunValue, kind)},
                {llvm::ArrayType::get(i8, sizeof(SigrunValue::reserved)), offsetof(SigrunValue, reserved)}});
    if (!value)
      return value.error();
    types.value = value.value();

    Result<llvm::StructType*> slot =
        define("SigrunSlot", sizeof(SigrunSlot),
               {{i32, offsetof(SigrunSlot, first)}, {i32, offsetof(SigrunSlot, count)}});
    if (!slot)
      return slot.error();
    types.slot = slot.value();

    Result<llvm::StructType*> event =
        define("SigrunEvent", sizeof(SigrunEvent),
               {{llvm::PointerType::getUnqual(types.slot), offsetof(SigrunEvent, slots)},
                {llvm::PointerType::getUnqual(types.value), offsetof(SigrunEvent, values)}});
    if (!event)
      return event.error();
    types.event = event.value();

    Result<llvm::StructType*> operand =
        define("SigrunOperand", sizeof(SigrunOperand),
               {{bytes, offsetof(SigrunOperand, text)},
                {i32, offsetof(SigrunOperand, len)},
                {i32, offsetof(SigrunOperand, flags)},
                {llvm::Type::getDoubleTy(context_), offsetof(SigrunOperand, number)},
                {bytes, offsetof(SigrunOperand, native)}});
    if (!operand)
      return operand.error();
    types.operand = operand.value();

    llvm::Type* boolean = llvm::Type::getInt1Ty(context_);
    llvm::Type* operand_ptr = llvm::PointerType::getUnqual(types.operand);
    types.rule =
        llvm::FunctionType::get(boolean, {llvm::PointerType::getUnqual(types.event), operand_ptr}, false);
    types.helper =
        llvm::FunctionType::get(boolean, {llvm::PointerType::getUnqual(types.value), operand_ptr}, false);
    types.pair_helper = llvm::FunctionType::get(
        boolean,
        {llvm::PointerType::getUnqual(types.value), llvm::PointerType::getUnqual(types.value), operand_ptr},
        false);
    return types;
  }

 private:
  Result<llvm::StructType*> define(const char* name, uint64_t size, const std::vector<AbiField>& fields) {
    std::vector<llvm::Type*> elements;
    elements.reserve(fields.size());
    for (const AbiField& field : fields)
      elements.push_back(field.type);
    llvm::StructType* type = llvm::StructType::create(context_, elements, name);
    for (unsigned i = 0; i < fields.size(); ++i) {
      uint64_t offset = compat::field_offset(layout_, type, i);
      if (offset != fields[i].offset) {
        return Error{Error::Code::Native, std::string("llvm places field ") + std::to_string(i) + " of " +
                                              name + " at offset " + std::to_string(offset) +
                                              ", the abi at " + std::to_string(fields[i].offset)};
      }
    }
    uint64_t actual = compat::struct_size(layout_, type);
    if (actual != size) {
      return Error{Error::Code::Native, std::string("llvm makes ") + name + " " + std::to_string(actual) +
                                            " bytes long, the abi " + std::to_string(size)};
    }
    return type;
  }

  llvm::LLVMContext& context_;
  const llvm::DataLayout& layout_;
};

// ---------------------------------------------------------------------------------------------------
// Function bodies.

class ModuleEmitter {
 public:
  ModuleEmitter(const program::Program& program, const EmitPlan& plan, llvm::Module& module,
                const AbiTypes& types)
      : program_(program),
        plan_(plan),
        module_(module),
        types_(types),
        builder_(module.getContext()),
        node_functions_(program.nodes.size(), nullptr),
        predicate_functions_(program.predicates.size(), nullptr) {}

  // Defines rule_symbol(rule), exported.
  void emit_rule(size_t rule) {
    llvm::Function* function = declare_function(rule_symbol(rule), llvm::GlobalValue::ExternalLinkage);
    emit_body(function, program_.rules[rule].root, kNoNode);
  }

  // Defines the node functions the emitted bodies call (which may call further ones), then the predicate
  // functions they call.
  void emit_node_functions() {
    while (!pending_nodes_.empty()) {
      uint32_t node = pending_nodes_.back();
      pending_nodes_.pop_back();
      emit_body(node_functions_[node], node, node);
    }
    while (!pending_predicates_.empty()) {
      uint32_t predicate = pending_predicates_.back();
      pending_predicates_.pop_back();
      emit_predicate_body(predicate);
    }
  }

 private:
  static constexpr uint32_t kNoNode = UINT32_MAX;

  // One pending piece of jumping code: node `node`, emitted into the empty block `block`.
  struct Jump {
    uint32_t node;
    llvm::BasicBlock* block;
    llvm::BasicBlock* on_true;
    llvm::BasicBlock* on_false;
  };

  llvm::Function* declare_function(const std::string& name, llvm::GlobalValue::LinkageTypes linkage) {
    llvm::Function* function = llvm::Function::Create(types_.rule, linkage, name, module_);
    function->addRetAttr(llvm::Attribute::ZExt);  // C's bool: callers read the whole byte
    function->addFnAttr(llvm::Attribute::NoUnwind);
    function->getArg(0)->setName("event");
    function->getArg(1)->setName("operands");
    return function;
  }

  // The function computing `node`, declared on first use and defined by emit_node_functions().
  llvm::Function* node_function(uint32_t node) {
    llvm::Function*& function = node_functions_[node];
    if (function == nullptr) {
      function = declare_function("sigrun_node_" + std::to_string(node), llvm::GlobalValue::InternalLinkage);
      pending_nodes_.push_back(node);
    }
    return function;
  }

  // Where a rule uses a predicate. Slot-scope predicates are a load and a compare: inline. Value-scope ones
  // (a loop over the slot's values) are one function per predicate, shared by every rule of the module
  // that uses it and never inlined: rule functions then stay linear in the size of their boolean DAG,
  // which keeps O2 compile time linear on rules with hundreds of values (inlined loops made the SigmaHQ
  // corpus take minutes to compile).
  void emit_predicate_use(uint32_t index, llvm::BasicBlock* on_true, llvm::BasicBlock* on_false) {
    const abi::Predicate& predicate = program_.predicates[index];
    if (abi::opcode_is_slot_scope(predicate.op)) {
      emit_predicate(predicate, on_true, on_false);
      return;
    }
    llvm::CallInst* value = builder_.CreateCall(predicate_function(index), {event_, operands_});
    value->addRetAttr(llvm::Attribute::ZExt);
    builder_.CreateCondBr(value, on_true, on_false);
  }

  // The function computing predicate `index`, declared on first use and defined by emit_node_functions().
  llvm::Function* predicate_function(uint32_t index) {
    llvm::Function*& function = predicate_functions_[index];
    if (function == nullptr) {
      function = declare_function("sigrun_pred_" + std::to_string(index), llvm::GlobalValue::InternalLinkage);
      function->addFnAttr(llvm::Attribute::NoInline);
      pending_predicates_.push_back(index);
    }
    return function;
  }

  void emit_predicate_body(uint32_t index) {
    begin_function(predicate_functions_[index]);
    llvm::LLVMContext& context = module_.getContext();
    llvm::BasicBlock* matched = llvm::BasicBlock::Create(context, "matched");
    llvm::BasicBlock* unmatched = llvm::BasicBlock::Create(context, "unmatched");
    emit_predicate(program_.predicates[index], matched, unmatched);
    end_function(matched, unmatched);
  }

  llvm::FunctionCallee helper(abi::Opcode op) {
    llvm::Function*& function = helpers_[static_cast<size_t>(op)];
    if (function == nullptr) {
      llvm::FunctionType* type =
          abi::opcode_scope(op) == abi::OpcodeScope::Pair ? types_.pair_helper : types_.helper;
      function = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, helper_symbol(op), module_);
      function->addRetAttr(llvm::Attribute::ZExt);
      function->addFnAttr(llvm::Attribute::NoUnwind);  // helpers never throw (abi/helpers.h)
    }
    return function;
  }

  llvm::BasicBlock* new_block(const char* name = "") {
    return llvm::BasicBlock::Create(module_.getContext(), name, function_);
  }

  // `function` returns the value of node `root`. `self` is the node the function stands for, which must
  // be expanded here rather than called (kNoNode for rule functions).
  void emit_body(llvm::Function* function, uint32_t root, uint32_t self) {
    llvm::BasicBlock* entry = begin_function(function);
    llvm::LLVMContext& context = module_.getContext();
    llvm::BasicBlock* matched = llvm::BasicBlock::Create(context, "matched");
    llvm::BasicBlock* unmatched = llvm::BasicBlock::Create(context, "unmatched");

    std::vector<Jump> work{{root, entry, matched, unmatched}};
    while (!work.empty()) {
      Jump jump = work.back();
      work.pop_back();
      emit_jump(jump, self, work);
    }
    end_function(matched, unmatched);
  }

  // Starts `function`: its entry block, with the event's arrays loaded once (nothing generated code calls
  // can change them). Returns the entry block, the insertion point.
  llvm::BasicBlock* begin_function(llvm::Function* function) {
    function_ = function;
    event_ = function->getArg(0);
    operands_ = function->getArg(1);
    llvm::BasicBlock* entry = new_block("entry");
    builder_.SetInsertPoint(entry);
    slots_ = builder_.CreateLoad(llvm::PointerType::getUnqual(types_.slot),
                                 builder_.CreateStructGEP(types_.event, event_, kEventSlots), "slots");
    values_ = builder_.CreateLoad(llvm::PointerType::getUnqual(types_.value),
                                  builder_.CreateStructGEP(types_.event, event_, kEventValues), "values");
    return entry;
  }

  // Ends the function begun last: `matched` returns true, `unmatched` false.
  void end_function(llvm::BasicBlock* matched, llvm::BasicBlock* unmatched) {
    matched->insertInto(function_);
    builder_.SetInsertPoint(matched);
    builder_.CreateRet(builder_.getTrue());
    unmatched->insertInto(function_);
    builder_.SetInsertPoint(unmatched);
    builder_.CreateRet(builder_.getFalse());
  }

  // Emits `jump`, pushing the jumps of its children to `work`.
  void emit_jump(const Jump& jump, uint32_t self, std::vector<Jump>& work) {
    builder_.SetInsertPoint(jump.block);
    if (jump.node != self && plan_.outlined(jump.node)) {
      llvm::CallInst* value = builder_.CreateCall(node_function(jump.node), {event_, operands_});
      value->addRetAttr(llvm::Attribute::ZExt);
      builder_.CreateCondBr(value, jump.on_true, jump.on_false);
      return;
    }
    const abi::BoolNode& node = program_.nodes[jump.node];
    switch (node.op) {
      case abi::BoolOp::And:
      case abi::BoolOp::Or:
        emit_sequence(node, jump, work);
        return;
      case abi::BoolOp::Not:
        work.push_back({node.arg, jump.block, jump.on_false, jump.on_true});
        return;
      case abi::BoolOp::Pred:
        emit_predicate_use(node.arg, jump.on_true, jump.on_false);
        return;
      case abi::BoolOp::True:
        builder_.CreateBr(jump.on_true);
        return;
      case abi::BoolOp::False:
        builder_.CreateBr(jump.on_false);
        return;
    }
    llvm_unreachable("bool op outside abi::BoolOp");
  }

  // And/Or: child i starts in its own block and goes on to child i+1 unless it decides the node. An empty
  // And is true and an empty Or false, as in the interpreter.
  void emit_sequence(const abi::BoolNode& node, const Jump& jump, std::vector<Jump>& work) {
    const bool is_and = node.op == abi::BoolOp::And;
    if (node.count == 0) {
      builder_.CreateBr(is_and ? jump.on_true : jump.on_false);
      return;
    }
    std::vector<llvm::BasicBlock*> starts{jump.block};
    for (uint32_t i = 1; i < node.count; ++i)
      starts.push_back(new_block());
    // Pushed last child first, so the first child is emitted next and blocks come out in source order.
    for (uint32_t i = node.count; i-- > 0;) {
      llvm::BasicBlock* next = i + 1 < node.count ? starts[i + 1] : (is_and ? jump.on_true : jump.on_false);
      uint32_t child = program_.children[node.arg + i];
      work.push_back(is_and ? Jump{child, starts[i], next, jump.on_false}
                            : Jump{child, starts[i], jump.on_true, next});
    }
  }

  void emit_predicate(const abi::Predicate& predicate, llvm::BasicBlock* on_true,
                      llvm::BasicBlock* on_false) {
    llvm::Value* slot =
        builder_.CreateInBoundsGEP(types_.slot, slots_, builder_.getInt64(predicate.slot), "slot");
    llvm::Value* first = builder_.CreateLoad(
        builder_.getInt32Ty(), builder_.CreateStructGEP(types_.slot, slot, kSlotFirst), "first");
    llvm::Value* absent = builder_.CreateICmpEQ(first, builder_.getInt32(kSigrunAbsent), "absent");

// Value-scope opcodes share one emitter, Pair-scope opcodes another; a new Slot-scope opcode has no case
// and fails -Wswitch.
#define SIGRUN_JIT_CASE_Value(name) case abi::Opcode::name:
#define SIGRUN_JIT_CASE_Slot(name)
#define SIGRUN_JIT_CASE_Pair(name)
#define SIGRUN_JIT_VALUE_CASE(name, helper, scope, doc) SIGRUN_JIT_CASE_##scope(name)
#define SIGRUN_JIT_PAIR_CASE_Value(name)
#define SIGRUN_JIT_PAIR_CASE_Slot(name)
#define SIGRUN_JIT_PAIR_CASE_Pair(name) case abi::Opcode::name:
#define SIGRUN_JIT_PAIR_CASE(name, helper, scope, doc) SIGRUN_JIT_PAIR_CASE_##scope(name)
    switch (predicate.op) {
      case abi::Opcode::Exists:
        builder_.CreateCondBr(absent, on_false, on_true);
        return;
      case abi::Opcode::IsNull:
        emit_is_null(slot, first, absent, on_true, on_false);
        return;
        SIGRUN_OPCODES(SIGRUN_JIT_VALUE_CASE)
        emit_any_value(predicate, slot, first, absent, on_true, on_false);
        return;
        SIGRUN_OPCODES(SIGRUN_JIT_PAIR_CASE)
        emit_any_pair(predicate, slot, first, absent, on_true, on_false);
        return;
    }
#undef SIGRUN_JIT_PAIR_CASE
#undef SIGRUN_JIT_PAIR_CASE_Pair
#undef SIGRUN_JIT_PAIR_CASE_Slot
#undef SIGRUN_JIT_PAIR_CASE_Value
#undef SIGRUN_JIT_VALUE_CASE
#undef SIGRUN_JIT_CASE_Pair
#undef SIGRUN_JIT_CASE_Slot
#undef SIGRUN_JIT_CASE_Value
    llvm_unreachable("opcodes are checked before emission");
  }

  // Absent, or exactly one value and that value is JSON null.
  void emit_is_null(llvm::Value* slot, llvm::Value* first, llvm::Value* absent, llvm::BasicBlock* on_true,
                    llvm::BasicBlock* on_false) {
    llvm::BasicBlock* present = new_block("present");
    builder_.CreateCondBr(absent, on_true, present);

    builder_.SetInsertPoint(present);
    llvm::Value* count = builder_.CreateLoad(
        builder_.getInt32Ty(), builder_.CreateStructGEP(types_.slot, slot, kSlotCount), "count");
    llvm::BasicBlock* single = new_block("single");
    builder_.CreateCondBr(builder_.CreateICmpEQ(count, builder_.getInt32(1)), single, on_false);

    builder_.SetInsertPoint(single);
    llvm::Value* value =
        builder_.CreateInBoundsGEP(types_.value, values_, builder_.CreateZExt(first, builder_.getInt64Ty()));
    llvm::Value* kind = builder_.CreateLoad(
        builder_.getInt8Ty(), builder_.CreateStructGEP(types_.value, value, kValueKind), "kind");
    builder_.CreateCondBr(builder_.CreateICmpEQ(kind, builder_.getInt8(kSigrunNull)), on_true, on_false);
  }

  // True when the opcode's helper is true for some value of the slot; an absent slot or an empty array
  // is false. Values are tried in order and the loop stops at the first match.
  void emit_any_value(const abi::Predicate& predicate, llvm::Value* slot, llvm::Value* first,
                      llvm::Value* absent, llvm::BasicBlock* on_true, llvm::BasicBlock* on_false) {
    llvm::BasicBlock* present = new_block("present");
    builder_.CreateCondBr(absent, on_false, present);

    builder_.SetInsertPoint(present);
    llvm::Value* count = builder_.CreateLoad(
        builder_.getInt32Ty(), builder_.CreateStructGEP(types_.slot, slot, kSlotCount), "count");
    llvm::Value* base = builder_.CreateInBoundsGEP(types_.value, values_,
                                                   builder_.CreateZExt(first, builder_.getInt64Ty()), "base");
    llvm::BasicBlock* loop = new_block("loop");
    llvm::BasicBlock* body = new_block("body");
    llvm::BasicBlock* next = new_block("next");
    builder_.CreateBr(loop);

    builder_.SetInsertPoint(loop);
    llvm::PHINode* index = builder_.CreatePHI(builder_.getInt32Ty(), 2, "k");
    index->addIncoming(builder_.getInt32(0), present);
    builder_.CreateCondBr(builder_.CreateICmpULT(index, count), body, on_false);

    builder_.SetInsertPoint(body);
    llvm::Value* value = builder_.CreateInBoundsGEP(
        types_.value, base, builder_.CreateZExt(index, builder_.getInt64Ty()), "value");
    if (predicate.op == abi::Opcode::StrEq) {
      emit_str_eq(program_.operands[predicate.operand], value, on_true, next);
    } else {
      llvm::Value* operand = builder_.CreateInBoundsGEP(types_.operand, operands_,
                                                        builder_.getInt64(predicate.operand), "operand");
      llvm::CallInst* matched = builder_.CreateCall(helper(predicate.op), {value, operand});
      matched->addRetAttr(llvm::Attribute::ZExt);
      builder_.CreateCondBr(matched, on_true, next);
    }

    builder_.SetInsertPoint(next);
    // No unsigned wrap: k < count <= UINT32_MAX.
    llvm::Value* incremented = builder_.CreateAdd(index, builder_.getInt32(1), "k.next", /*HasNUW=*/true);
    index->addIncoming(incremented, next);
    builder_.CreateBr(loop);
  }

  // Pair scope: true when the opcode's helper is true for some value of the slot together with some value
  // of the other slot; false when either slot is absent or an empty array. As in the interpreter, each
  // value is tried against every other value in order, stopping at the first match.
  void emit_any_pair(const abi::Predicate& predicate, llvm::Value* slot, llvm::Value* first,
                     llvm::Value* absent, llvm::BasicBlock* on_true, llvm::BasicBlock* on_false) {
    llvm::Value* other_slot = builder_.CreateInBoundsGEP(
        types_.slot, slots_, builder_.getInt64(predicate.other_slot), "other.slot");
    llvm::Value* other_first = builder_.CreateLoad(
        builder_.getInt32Ty(), builder_.CreateStructGEP(types_.slot, other_slot, kSlotFirst), "other.first");
    llvm::Value* other_absent =
        builder_.CreateICmpEQ(other_first, builder_.getInt32(kSigrunAbsent), "other.absent");
    llvm::BasicBlock* present = new_block("present");
    builder_.CreateCondBr(builder_.CreateOr(absent, other_absent), on_false, present);

    builder_.SetInsertPoint(present);
    llvm::Value* count = builder_.CreateLoad(
        builder_.getInt32Ty(), builder_.CreateStructGEP(types_.slot, slot, kSlotCount), "count");
    llvm::Value* other_count = builder_.CreateLoad(
        builder_.getInt32Ty(), builder_.CreateStructGEP(types_.slot, other_slot, kSlotCount), "other.count");
    llvm::Value* base = builder_.CreateInBoundsGEP(types_.value, values_,
                                                   builder_.CreateZExt(first, builder_.getInt64Ty()), "base");
    llvm::Value* other_base = builder_.CreateInBoundsGEP(
        types_.value, values_, builder_.CreateZExt(other_first, builder_.getInt64Ty()), "other.base");
    llvm::Value* operand = builder_.CreateInBoundsGEP(types_.operand, operands_,
                                                      builder_.getInt64(predicate.operand), "operand");
    llvm::BasicBlock* outer = new_block("outer");
    llvm::BasicBlock* outer_body = new_block("outer.body");
    llvm::BasicBlock* inner = new_block("inner");
    llvm::BasicBlock* inner_body = new_block("inner.body");
    llvm::BasicBlock* inner_next = new_block("inner.next");
    llvm::BasicBlock* outer_next = new_block("outer.next");
    builder_.CreateBr(outer);

    builder_.SetInsertPoint(outer);
    llvm::PHINode* k = builder_.CreatePHI(builder_.getInt32Ty(), 2, "k");
    k->addIncoming(builder_.getInt32(0), present);
    builder_.CreateCondBr(builder_.CreateICmpULT(k, count), outer_body, on_false);

    builder_.SetInsertPoint(outer_body);
    llvm::Value* value = builder_.CreateInBoundsGEP(types_.value, base,
                                                    builder_.CreateZExt(k, builder_.getInt64Ty()), "value");
    builder_.CreateBr(inner);

    builder_.SetInsertPoint(inner);
    llvm::PHINode* j = builder_.CreatePHI(builder_.getInt32Ty(), 2, "j");
    j->addIncoming(builder_.getInt32(0), outer_body);
    builder_.CreateCondBr(builder_.CreateICmpULT(j, other_count), inner_body, outer_next);

    builder_.SetInsertPoint(inner_body);
    llvm::Value* other = builder_.CreateInBoundsGEP(types_.value, other_base,
                                                    builder_.CreateZExt(j, builder_.getInt64Ty()), "other");
    llvm::CallInst* matched = builder_.CreateCall(helper(predicate.op), {value, other, operand});
    matched->addRetAttr(llvm::Attribute::ZExt);
    builder_.CreateCondBr(matched, on_true, inner_next);

    // No unsigned wrap: j < other_count and k < count, both at most UINT32_MAX.
    builder_.SetInsertPoint(inner_next);
    j->addIncoming(builder_.CreateAdd(j, builder_.getInt32(1), "j.next", /*HasNUW=*/true), inner_next);
    builder_.CreateBr(inner);

    builder_.SetInsertPoint(outer_next);
    k->addIncoming(builder_.CreateAdd(k, builder_.getInt32(1), "k.next", /*HasNUW=*/true), outer_next);
    builder_.CreateBr(outer);
  }

  // StrEq, inline: exactly sigrun_str_eq (runtime/interp/helpers.cpp) with the operand known at compile
  // time, so the length test and a memcmp of a constant size replace the call. JSON null never matches;
  // other values compare their folded text, or their text when the operand is cased. The engine builds
  // SigrunOperand::text/len/flags from this OperandData unchanged. The differential tests pin it to the
  // helper.
  void emit_str_eq(const program::OperandData& literal, llvm::Value* value, llvm::BasicBlock* on_match,
                   llvm::BasicBlock* on_miss) {
    const bool cased = (literal.flags & kSigrunCased) != 0;
    const unsigned text_field = cased ? kValueText : kValueFolded;
    const unsigned length_field = cased ? kValueTextLength : kValueFoldedLength;

    llvm::Value* kind = builder_.CreateLoad(
        builder_.getInt8Ty(), builder_.CreateStructGEP(types_.value, value, kValueKind), "kind");
    llvm::BasicBlock* not_null = new_block("not_null");
    builder_.CreateCondBr(builder_.CreateICmpEQ(kind, builder_.getInt8(kSigrunNull)), on_miss, not_null);

    builder_.SetInsertPoint(not_null);
    llvm::Value* length = builder_.CreateLoad(
        builder_.getInt32Ty(), builder_.CreateStructGEP(types_.value, value, length_field), "length");
    llvm::Value* same_length =
        builder_.CreateICmpEQ(length, builder_.getInt32(static_cast<uint32_t>(literal.text.size())));
    if (literal.text.empty()) {
      builder_.CreateCondBr(same_length, on_match, on_miss);
      return;
    }
    llvm::BasicBlock* compare = new_block("compare");
    builder_.CreateCondBr(same_length, compare, on_miss);

    builder_.SetInsertPoint(compare);
    llvm::Type* bytes = llvm::PointerType::getUnqual(builder_.getInt8Ty());
    llvm::Value* text =
        builder_.CreateLoad(bytes, builder_.CreateStructGEP(types_.value, value, text_field), "text");
    llvm::Value* difference = builder_.CreateCall(
        memcmp_function(), {text, literal_bytes(literal.text),
                            llvm::ConstantInt::get(size_type(), static_cast<uint64_t>(literal.text.size()))});
    builder_.CreateCondBr(builder_.CreateICmpEQ(difference, builder_.getInt32(0)), on_match, on_miss);
  }

  llvm::IntegerType* size_type() {
    return module_.getDataLayout().getIntPtrType(module_.getContext());
  }

  // int memcmp(const void*, const void*, size_t), from libc; LLVM knows it and expands small constant
  // sizes inline.
  llvm::FunctionCallee memcmp_function() {
    llvm::Type* bytes = llvm::PointerType::getUnqual(builder_.getInt8Ty());
    return module_.getOrInsertFunction("memcmp", builder_.getInt32Ty(), bytes, bytes, size_type());
  }

  // A private constant holding `text`'s bytes (no terminator), one per distinct text in the module.
  llvm::Constant* literal_bytes(const std::string& text) {
    llvm::GlobalVariable*& global = literals_[text];
    if (global == nullptr) {
      llvm::Constant* data =
          llvm::ConstantDataArray::getString(module_.getContext(), text, /*AddNull=*/false);
      // Owned by the module, as every global.
      global = new llvm::GlobalVariable(module_, data->getType(), /*isConstant=*/true,
                                        llvm::GlobalValue::PrivateLinkage, data, "literal");
      global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
      global->setAlignment(llvm::Align(1));
    }
    return llvm::ConstantExpr::getInBoundsGetElementPtr(
        global->getValueType(), global,
        llvm::ArrayRef<llvm::Constant*>{builder_.getInt64(0), builder_.getInt64(0)});
  }

  const program::Program& program_;
  const EmitPlan& plan_;
  llvm::Module& module_;
  const AbiTypes& types_;
  llvm::IRBuilder<> builder_;

  std::vector<llvm::Function*> node_functions_;       // by node; null until first used in this module
  std::vector<uint32_t> pending_nodes_;               // declared, body not emitted yet
  std::vector<llvm::Function*> predicate_functions_;  // by predicate; null until first used in this module
  std::vector<uint32_t> pending_predicates_;          // declared, body not emitted yet
  std::array<llvm::Function*, abi::kOpcodeCount> helpers_{};
  std::map<std::string, llvm::GlobalVariable*> literals_;  // by text

  // The function being emitted and its values.
  llvm::Function* function_ = nullptr;
  llvm::Value* event_ = nullptr;
  llvm::Value* operands_ = nullptr;
  llvm::Value* slots_ = nullptr;
  llvm::Value* values_ = nullptr;
};

}  // namespace

Result<llvm::orc::ThreadSafeModule> emit_rules(const program::Program& program, const EmitPlan& plan,
                                               size_t begin, size_t end, const llvm::DataLayout& layout,
                                               const llvm::Triple& triple) {
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>("sigrun_rules_" + std::to_string(begin), *context);
  module->setDataLayout(layout);
  module->setTargetTriple(triple.str());

  Result<AbiTypes> types = AbiTypeBuilder(*context, layout).build();
  if (!types)
    return types.error();

  ModuleEmitter emitter(program, plan, *module, types.value());
  for (size_t rule = begin; rule < end; ++rule)
    emitter.emit_rule(rule);
  emitter.emit_node_functions();

  std::string problems;
  llvm::raw_string_ostream stream(problems);
  if (llvm::verifyModule(*module, &stream)) {
    return Error{Error::Code::Native, "generated ir for rules " + std::to_string(begin) + ".." +
                                          std::to_string(end) + " is invalid: " + stream.str()};
  }
  return llvm::orc::ThreadSafeModule(std::move(module), std::move(context));
}

}  // namespace sigrun::jit
