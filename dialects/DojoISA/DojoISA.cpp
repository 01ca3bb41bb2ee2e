//===- DojoISA.cpp - Core ISA dialect -------------------------------------===//

#include "DojoISA/DojoISADialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace dojo::isa_ir;

// Registers print as `r<N>`.
static ParseResult parseReg(OpAsmParser &parser, IntegerAttr &reg) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef kw;
  if (parser.parseKeyword(&kw))
    return failure();
  unsigned n;
  if (!kw.consume_front("r") || kw.getAsInteger(10, n) || n > 31)
    return parser.emitError(loc, "expected a register r0..r31");
  reg = parser.getBuilder().getI32IntegerAttr(n);
  return success();
}
static void printReg(OpAsmPrinter &p, Operation *, IntegerAttr reg) {
  p << "r" << reg.getInt();
}

static ParseResult parseKeyword(OpAsmParser &parser, StringAttr &attr) {
  StringRef kw;
  if (parser.parseKeyword(&kw))
    return failure();
  attr = parser.getBuilder().getStringAttr(kw);
  return success();
}
static void printKeyword(OpAsmPrinter &p, Operation *, StringAttr attr) {
  p << attr.getValue();
}

#include "DojoISA/DojoISADialect.cpp.inc"

#define GET_OP_CLASSES
#include "DojoISA/DojoISAOps.cpp.inc"

void DojoISADialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "DojoISA/DojoISAOps.cpp.inc"
      >();
}

LogicalResult SymbolOp::verify() {
  if (getKind() != "input" && getKind() != "output")
    return emitOpError("kind must be 'input' or 'output', got '")
           << getKind() << "'";
  StringRef dt = getDtype();
  if (dt != "f32" && dt != "bf16" && dt != "i32" && dt != "i8" &&
      dt != "cfp8_143" && dt != "cfp8_152")
    return emitOpError("unsupported dtype '") << dt << "'";
  for (int64_t d : getShape())
    if (d < 0)
      return emitOpError("shape must be non-negative");
  return success();
}

LogicalResult ProgramOp::verifyRegions() {
  const dojo::MachineDesc &desc = getTarget().getDesc();
  llvm::DenseSet<int64_t> sections, seenCores;
  for (auto s : getBody().front().getOps<SectionOp>())
    if (!sections.insert(s.getIndex()).second)
      return s.emitOpError("duplicate section ") << s.getIndex();
  int64_t numCores = 0;
  for (auto c : getBody().front().getOps<CoreOp>()) {
    ++numCores;
    if ((int64_t)c.getRow() >= desc.rows || (int64_t)c.getCol() >= desc.cols)
      return c.emitOpError("core (")
             << c.getRow() << ", " << c.getCol() << ") is outside the "
             << desc.rows << "x" << desc.cols << " mesh";
    if (desc.isDisabled(c.getRow(), c.getCol()))
      return c.emitOpError("core (")
             << c.getRow() << ", " << c.getCol() << ") is disabled";
    if (!seenCores.insert(c.getRow() * desc.cols + c.getCol()).second)
      return c.emitOpError("core (")
             << c.getRow() << ", " << c.getCol() << ") listed twice";
    if (!sections.contains(c.getSection()))
      return c.emitOpError("refers to missing section ") << c.getSection();
  }
  if (numCores == 0)
    return emitOpError("needs at least one dojoisa.core");
  return success();
}
