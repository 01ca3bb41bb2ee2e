//===- Dojo.cpp - Graph-level dojo dialect --------------------------------===//

#include "Dojo/DojoDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace dojo;

#include "Dojo/DojoDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "Dojo/DojoAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "Dojo/DojoOps.cpp.inc"

void DojoDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Dojo/DojoAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "Dojo/DojoOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

// #dojo.target<preset (, key = value)*> where value is an integer or a
// string (for `disabled`).
Attribute TargetAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  std::string preset;
  if (parser.parseLess() || parser.parseKeywordOrString(&preset))
    return {};
  MachineDesc desc;
  if (!MachineDesc::getPreset(preset, desc)) {
    parser.emitError(loc) << "unknown target preset '" << preset
                          << "' (expected tiny, small or d1)";
    return {};
  }
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc keyLoc = parser.getCurrentLocation();
    std::string key, value;
    if (parser.parseKeywordOrString(&key) || parser.parseEqual())
      return {};
    int64_t intValue = 0;
    OptionalParseResult intResult = parser.parseOptionalInteger(intValue);
    if (intResult.has_value()) {
      if (failed(*intResult))
        return {};
      value = std::to_string(intValue);
    } else if (parser.parseString(&value)) {
      return {};
    }
    std::string error;
    if (!desc.set(key, value, error)) {
      parser.emitError(keyLoc) << error;
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  std::string error;
  if (!desc.validate(error)) {
    parser.emitError(loc) << "invalid target: " << error;
    return {};
  }
  return TargetAttr::get(parser.getContext(), desc);
}

void TargetAttr::print(AsmPrinter &printer) const {
  const MachineDesc &d = getDesc();
  printer << "<" << d.preset;
  for (auto &[key, value] : d.overrides()) {
    printer << ", " << key << " = ";
    if (key == "disabled")
      printer << "\"" << value << "\"";
    else
      printer << value;
  }
  printer << ">";
}

TargetAttr TargetAttr::lookup(Operation *op) {
  for (Operation *cur = op; cur; cur = cur->getParentOp())
    if (auto t = cur->getAttrOfType<TargetAttr>(kAttrName))
      return t;
  return {};
}

//===----------------------------------------------------------------------===//
// Compute ops
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  auto lhs = getLhs().getType(), rhs = getRhs().getType();
  auto res = getResult().getType();
  if (lhs.getRank() != 2 || rhs.getRank() != 2 || res.getRank() != 2)
    return emitOpError("expects rank-2 operands and result");
  if (lhs.getElementType() != rhs.getElementType())
    return emitOpError("operand element types differ: ")
           << lhs.getElementType() << " vs " << rhs.getElementType();
  if (!lhs.hasStaticShape() || !rhs.hasStaticShape() || !res.hasStaticShape())
    return emitOpError("expects static shapes");
  if (lhs.getDimSize(1) != rhs.getDimSize(0))
    return emitOpError("contraction sizes differ: lhs has ")
           << lhs.getDimSize(1) << " columns, rhs has " << rhs.getDimSize(0)
           << " rows";
  if (res.getDimSize(0) != lhs.getDimSize(0) ||
      res.getDimSize(1) != rhs.getDimSize(1))
    return emitOpError("result shape must be ")
           << lhs.getDimSize(0) << "x" << rhs.getDimSize(1);
  return success();
}

static LogicalResult verifyBroadcast(Operation *op, RankedTensorType lhs,
                                     RankedTensorType rhs,
                                     RankedTensorType res) {
  if (lhs.getElementType() != res.getElementType() ||
      rhs.getElementType() != res.getElementType())
    return op->emitOpError("operand and result element types must match");
  if (!lhs.hasStaticShape() || !rhs.hasStaticShape() || !res.hasStaticShape())
    return op->emitOpError("expects static shapes");
  int64_t rank = std::max(lhs.getRank(), rhs.getRank());
  if (res.getRank() != rank)
    return op->emitOpError("result rank must be ") << rank;
  for (int64_t i = 0; i < rank; ++i) {
    auto dim = [&](RankedTensorType t) -> int64_t {
      int64_t k = i - (rank - t.getRank());
      return k < 0 ? 1 : t.getDimSize(k);
    };
    int64_t a = dim(lhs), b = dim(rhs);
    if (a != b && a != 1 && b != 1)
      return op->emitOpError("operands are not broadcast-compatible in "
                             "dimension ")
             << i << ": " << a << " vs " << b;
    if (res.getDimSize(i) != std::max(a, b))
      return op->emitOpError("result dimension ")
             << i << " must be " << std::max(a, b);
  }
  return success();
}

LogicalResult AddOp::verify() {
  return verifyBroadcast(*this, getLhs().getType(), getRhs().getType(),
                         getResult().getType());
}

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

int64_t KernelOp::numWorkers() {
  int64_t n = 1;
  for (int64_t g : getGrid())
    n *= g;
  return n;
}

RankedTensorType KernelOp::inputTileType(unsigned i) {
  return cast<RankedTensorType>(getBody().front().getArgument(i).getType());
}

YieldOp KernelOp::getYield() {
  return cast<YieldOp>(getBody().front().getTerminator());
}

RankedTensorType KernelOp::resultTileType() {
  return getYield().getValue().getType();
}

// Checks that `tile` tiles `full` exactly through `map` over `grid`.
static LogicalResult verifyTiling(KernelOp op, StringRef what,
                                  RankedTensorType full, RankedTensorType tile,
                                  AffineMap map, ArrayRef<int64_t> grid) {
  if (full.getElementType() != tile.getElementType())
    return op.emitOpError() << what << " tile element type "
                            << tile.getElementType() << " differs from "
                            << full.getElementType();
  if (full.getRank() != tile.getRank() ||
      map.getNumResults() != (unsigned)full.getRank())
    return op.emitOpError() << what << " tile rank, tensor rank and map "
                            << "results must agree";
  SmallVector<int64_t> maxIndex(grid.size());
  for (size_t i = 0; i < grid.size(); ++i)
    maxIndex[i] = grid[i] - 1;
  SmallVector<int64_t> last = map.compose(maxIndex);
  SmallVector<int64_t> zeros(grid.size(), 0);
  SmallVector<int64_t> first = map.compose(zeros);
  for (int64_t d = 0; d < full.getRank(); ++d) {
    if (first[d] != 0)
      return op.emitOpError() << what << " map must start at block 0";
    if ((last[d] + 1) * tile.getDimSize(d) != full.getDimSize(d))
      return op.emitOpError()
             << what << " tiles of size " << tile.getDimSize(d)
             << " over " << last[d] + 1 << " block(s) do not cover dimension "
             << d << " of size " << full.getDimSize(d);
  }
  return success();
}

LogicalResult KernelOp::verify() {
  ArrayRef<int64_t> grid = getGrid();
  if (grid.empty())
    return emitOpError("grid must have at least one dimension");
  for (int64_t g : grid)
    if (g < 1)
      return emitOpError("grid sizes must be positive");
  if (getMaps().size() != getInputs().size() + 1)
    return emitOpError("expects one map per input plus one for the result, "
                       "got ")
           << getMaps().size();
  for (Attribute a : getMaps()) {
    AffineMap m = cast<AffineMapAttr>(a).getValue();
    if (m.getNumDims() != grid.size() || m.getNumSymbols() != 0)
      return emitOpError("maps must take ")
             << grid.size() << " grid dimension(s) and no symbols";
  }
  if (auto place = getPlace())
    if (place->size() != 4)
      return emitOpError("place must be [row, col, height, width]");
  if (auto offs = getArgOffsets())
    if (offs->size() != getInputs().size())
      return emitOpError("arg_offsets must have one entry per input");
  return success();
}

LogicalResult KernelOp::verifyRegions() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError("body must take one tile argument per input");
  if (!isa<YieldOp>(body.getTerminator()))
    return emitOpError("body must end with dojo.yield");
  auto maps = getMaps().getValue();
  for (unsigned i = 0; i < getInputs().size(); ++i) {
    auto tile = dyn_cast<RankedTensorType>(body.getArgument(i).getType());
    if (!tile)
      return emitOpError("tile arguments must be ranked tensors");
    if (failed(verifyTiling(*this, ("input " + Twine(i)).str(),
                            cast<RankedTensorType>(getInputs()[i].getType()),
                            tile, cast<AffineMapAttr>(maps[i]).getValue(),
                            getGrid())))
      return failure();
  }
  return verifyTiling(*this, "result", getResult().getType(), resultTileType(),
                      cast<AffineMapAttr>(maps.back()).getValue(), getGrid());
}
