//===- Emitter.cpp - dojoisa.program to a program file --------------------===//

#include "dojo/Emit/Emitter.h"
#include "dojo/Pipelines/Pipelines.h"

#include "mlir/IR/Location.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace dojo;

namespace {

/// `file:line:col` of a location, looking through names, calls and fusions.
std::string locString(Location loc) {
  if (auto f = dyn_cast<FileLineColLoc>(loc))
    return (f.getFilename().str() + ":" + std::to_string(f.getLine()) + ":" +
            std::to_string(f.getColumn()));
  if (auto n = dyn_cast<NameLoc>(loc)) {
    std::string inner = locString(n.getChildLoc());
    return n.getName().str() + (inner.empty() ? "" : "@" + inner);
  }
  if (auto c = dyn_cast<CallSiteLoc>(loc))
    return locString(c.getCallee());
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location l : fused.getLocations()) {
      std::string s = locString(l);
      if (!s.empty())
        return s;
    }
  return "";
}

LogicalResult emitInstruction(Operation &op, isa::Instruction &inst) {
  StringRef name = op.getName().getStringRef();
  if (!name.consume_front("dojoisa."))
    return op.emitOpError("is not a dojoisa instruction");
  const isa::OpcodeInfo *info = isa::lookupMnemonic(name);
  if (!info)
    return op.emitOpError("is not an instruction of the ISA");
  inst = isa::Instruction();
  inst.op = info->opcode;
  auto get = [&](const char *attr, int64_t &v) -> LogicalResult {
    auto a = op.getAttrOfType<IntegerAttr>(attr);
    if (!a)
      return op.emitOpError("is missing operand '") << attr << "'";
    v = a.getValue().getSExtValue();
    return success();
  };
  for (int k = 0; k < info->numRegs; ++k) {
    int64_t v = 0;
    if (failed(get(info->regs[k], v)))
      return failure();
    if (v < 0 || v >= isa::kNumRegs)
      return op.emitOpError("register operand '")
             << info->regs[k] << "' out of range: " << v;
    inst.regs[k] = static_cast<uint8_t>(v);
  }
  for (int k = 0; k < info->numImms; ++k) {
    int64_t v = 0;
    if (failed(get(info->imms[k], v)))
      return failure();
    inst.imms[k] = static_cast<int32_t>(v);
  }
  return success();
}
} // namespace

LogicalResult dojo::emitProgram(isa_ir::ProgramOp op, isa::Program &out) {
  out = isa::Program();
  out.target = op.getTarget().getDesc();
  out.dramBytes = op.getDramBytes();
  std::map<int64_t, isa_ir::SectionOp> sections;
  for (Operation &child : op.getBody().front()) {
    if (auto sym = dyn_cast<isa_ir::SymbolOp>(child)) {
      isa::Symbol s;
      s.name = sym.getSymName().str();
      s.isOutput = sym.getKind() == "output";
      if (!num::parseDType(sym.getDtype().str().c_str(), s.dtype))
        return sym.emitOpError("unsupported dtype");
      s.shape.assign(sym.getShape().begin(), sym.getShape().end());
      s.dramOffset = sym.getOffset();
      out.symbols.push_back(s);
    } else if (auto core = dyn_cast<isa_ir::CoreOp>(child)) {
      out.cores.push_back({core.getRow(), core.getCol(), core.getSection()});
    } else if (auto sec = dyn_cast<isa_ir::SectionOp>(child)) {
      sections[sec.getIndex()] = sec;
    } else {
      return child.emitOpError("is not allowed directly in a program");
    }
  }
  int64_t expected = 0;
  for (auto &[index, sec] : sections) {
    if (index != expected++)
      return sec.emitOpError("section indices must be 0, 1, 2, ... without "
                             "gaps");
    std::vector<isa::Instruction> code;
    for (Operation &inst : sec.getBody().front()) {
      isa::Instruction i;
      if (failed(emitInstruction(inst, i)))
        return failure();
      std::string loc = locString(inst.getLoc());
      if (!loc.empty())
        out.debug.push_back(
            {static_cast<uint32_t>(index), static_cast<uint32_t>(code.size()),
             loc});
      code.push_back(i);
    }
    out.sections.push_back(std::move(code));
  }
  absl::Status st = out.validate();
  if (!st.ok())
    return op.emitOpError("is not a valid program: ")
           << std::string(st.message());
  return success();
}

LogicalResult dojo::emitProgram(ModuleOp module, isa::Program &out) {
  SmallVector<isa_ir::ProgramOp> programs(module.getOps<isa_ir::ProgramOp>());
  if (programs.size() != 1)
    return module.emitError("expected exactly one dojoisa.program, found ")
           << programs.size() << " (run dojo-pipeline first)";
  return emitProgram(programs.front(), out);
}

void dojo::registerDojoTranslations() {
  static TranslateFromMLIRRegistration toAsm(
      "dojo-to-asm", "Emit a dojoisa.program as assembly text",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        isa::Program p;
        if (!module || failed(emitProgram(module, p)))
          return failure();
        os << isa::writeAssembly(p);
        return success();
      },
      [](DialectRegistry &registry) { registerDojoDialects(registry); });
  static TranslateFromMLIRRegistration toBin(
      "dojo-to-bin", "Emit a dojoisa.program as a binary program file",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        isa::Program p;
        if (!module || failed(emitProgram(module, p)))
          return failure();
        std::vector<uint8_t> bytes = isa::writeBinary(p);
        os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
        return success();
      },
      [](DialectRegistry &registry) { registerDojoDialects(registry); });
  static TranslateRegistration asmToBin(
      "dojo-asm-to-bin", "Assemble program text into a binary program file",
      [](const std::shared_ptr<llvm::SourceMgr> &sm, raw_ostream &os,
         MLIRContext *) -> LogicalResult {
        const llvm::MemoryBuffer *buf =
            sm->getMemoryBuffer(sm->getMainFileID());
        absl::StatusOr<isa::Program> p =
            isa::readAssembly(buf->getBuffer().str());
        if (!p.ok()) {
          llvm::errs() << buf->getBufferIdentifier() << ": error: "
                       << std::string(p.status().message()) << "\n";
          return failure();
        }
        std::vector<uint8_t> bytes = isa::writeBinary(*p);
        os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
        return success();
      });
  static TranslateRegistration binToAsm(
      "dojo-bin-to-asm", "Disassemble a binary program file into text",
      [](const std::shared_ptr<llvm::SourceMgr> &sm, raw_ostream &os,
         MLIRContext *) -> LogicalResult {
        const llvm::MemoryBuffer *buf =
            sm->getMemoryBuffer(sm->getMainFileID());
        absl::StatusOr<isa::Program> p = isa::readBinary(
            reinterpret_cast<const uint8_t *>(buf->getBufferStart()),
            buf->getBufferSize());
        if (!p.ok()) {
          llvm::errs() << buf->getBufferIdentifier() << ": error: "
                       << std::string(p.status().message()) << "\n";
          return failure();
        }
        os << isa::writeAssembly(*p);
        return success();
      });
}
