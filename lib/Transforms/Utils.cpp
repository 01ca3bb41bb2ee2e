//===- Utils.cpp - Helpers shared by the dojo passes ----------------------===//

#include "dojo/Transforms/Utils.h"

using namespace mlir;

const dojo::MachineDesc *dojo::getTargetOrError(Operation *op) {
  if (TargetAttr t = TargetAttr::lookup(op))
    return &t.getDesc();
  op->emitError("no machine description: set the module attribute "
                "'dojo.target' (e.g. run dojo-set-target{target=d1})");
  return nullptr;
}

int64_t dojo::elementBytes(Type t) {
  if (t.isF32() || t.isInteger(32))
    return 4;
  if (t.isBF16())
    return 2;
  if (t.isInteger(8))
    return 1;
  return 0;
}

bool dojo::toDType(Type t, num::DType &out) {
  if (t.isF32())
    out = num::DType::F32;
  else if (t.isBF16())
    out = num::DType::BF16;
  else if (t.isInteger(32))
    out = num::DType::I32;
  else if (t.isInteger(8))
    out = num::DType::I8;
  else
    return false;
  return true;
}

int64_t dojo::tensorBytes(RankedTensorType t) {
  return t.getNumElements() * elementBytes(t.getElementType());
}

int64_t dojo::scratchBytes(Operation *op) {
  if (auto mm = dyn_cast<MatmulOp>(op)) {
    auto t = mm.getResult().getType();
    if (!t.getElementType().isF32())
      return t.getNumElements() * 4;
  }
  return 0;
}
