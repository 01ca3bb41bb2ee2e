//===- LinalgToDojo.cpp - linalg on tensors to dojo graph ops -------------===//

#include "dojo/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

namespace dojo {
#define GEN_PASS_DEF_CONVERTLINALGTODOJO
#include "dojo/Conversion/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;

namespace {

/// True if `v` is known to be a tensor of zeros: linalg.fill of 0.0 or a
/// zero splat constant.
bool isZeroTensor(Value v) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat()) ||
           matchPattern(fill.getInputs()[0], m_Zero());
  return matchPattern(v, m_AnyZeroFloat());
}

/// True if `v` is a float zero (scalar constant).
bool isZeroScalar(Value v) {
  return matchPattern(v, m_AnyZeroFloat()) && !matchPattern(v, m_NegZeroFloat());
}

/// An input map of an elementwise op that NumPy-broadcasts the input to the
/// iteration space: results are the trailing dims in order, or constant 0
/// where the input has size 1.
bool isTrailingBroadcast(AffineMap map, RankedTensorType in, unsigned rank) {
  unsigned r = map.getNumResults();
  if (r > rank || in.getRank() != (int64_t)r)
    return false;
  for (unsigned k = 0; k < r; ++k) {
    AffineExpr e = map.getResult(k);
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      if (d.getPosition() != rank - r + k)
        return false;
    } else if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      if (c.getValue() != 0 || in.getDimSize(k) != 1)
        return false;
    } else {
      return false;
    }
  }
  return true;
}

/// If `op` is an all-parallel generic with one identity-mapped output and a
/// body of one arith op feeding the yield, returns that op.
Operation *elementwiseBody(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 0)
    return nullptr;
  if (!op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return nullptr;
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 2)
    return nullptr;
  Operation *inner = &body.front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (yield.getNumOperands() != 1 || yield.getOperand(0).getDefiningOp() != inner)
    return nullptr;
  return inner;
}

struct ConvertLinalgToDojoPass
    : dojo::impl::ConvertLinalgToDojoBase<ConvertLinalgToDojoPass> {
  using ConvertLinalgToDojoBase::ConvertLinalgToDojoBase;

  LogicalResult convertMatmul(linalg::MatmulOp op, IRRewriter &rw) {
    if (op.hasUserDefinedMaps())
      return op.emitOpError("with user-defined indexing maps is not supported "
                            "yet by convert-linalg-to-dojo");
    if (!op.hasPureTensorSemantics())
      return op.emitOpError("on memrefs is not supported; expected tensors");
    rw.setInsertionPoint(op);
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1];
    Value init = op.getDpsInits()[0];
    auto resTy = cast<RankedTensorType>(op.getResult(0).getType());
    Value mm = dojo::MatmulOp::create(rw, op.getLoc(), resTy, a, b);
    if (!isZeroTensor(init) && !init.getDefiningOp<tensor::EmptyOp>())
      mm = dojo::AddOp::create(rw, op.getLoc(), resTy, mm, init);
    else if (init.getDefiningOp<tensor::EmptyOp>())
      return op.emitOpError("accumulates into an uninitialized tensor "
                            "(tensor.empty); fill it with zero first");
    rw.replaceOp(op, mm);
    return success();
  }

  LogicalResult convertGeneric(linalg::GenericOp op, IRRewriter &rw) {
    Operation *inner = elementwiseBody(op);
    if (!inner || !op.hasPureTensorSemantics())
      return op.emitOpError("is not an elementwise add or max-with-zero that "
                            "convert-linalg-to-dojo supports");
    auto resTy = cast<RankedTensorType>(op.getResult(0).getType());
    unsigned rank = op.getNumLoops();
    Block &body = op.getRegion().front();
    // Maps a body value to the generic's input it reads, if any.
    auto inputOf = [&](Value v) -> Value {
      auto arg = dyn_cast<BlockArgument>(v);
      if (!arg || arg.getOwner() != &body ||
          arg.getArgNumber() >= op.getNumDpsInputs())
        return {};
      OpOperand *operand = op.getDpsInputOperand(arg.getArgNumber());
      auto inTy = dyn_cast<RankedTensorType>(operand->get().getType());
      if (!inTy ||
          !isTrailingBroadcast(op.getMatchingIndexingMap(operand), inTy, rank))
        return {};
      return operand->get();
    };
    rw.setInsertionPoint(op);
    if (isa<arith::AddFOp>(inner)) {
      Value lhs = inputOf(inner->getOperand(0));
      Value rhs = inputOf(inner->getOperand(1));
      if (!lhs || !rhs)
        return op.emitOpError("adds operands that are not NumPy-broadcast "
                              "inputs of the generic");
      rw.replaceOp(op, dojo::AddOp::create(rw, op.getLoc(), resTy, lhs, rhs)
                           .getResult());
      return success();
    }
    if (isa<arith::MaximumFOp, arith::MaxNumFOp>(inner)) {
      for (int k = 0; k < 2; ++k) {
        Value x = inputOf(inner->getOperand(k));
        if (x && isZeroScalar(inner->getOperand(1 - k)) &&
            x.getType() == resTy) {
          rw.replaceOp(op,
                       dojo::ReluOp::create(rw, op.getLoc(), x).getResult());
          return success();
        }
      }
      return op.emitOpError("computes a maximum that is not max(x, 0)");
    }
    return op.emitOpError("body op '")
           << inner->getName() << "' is not supported by convert-linalg-to-dojo";
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rw(&getContext());
    SmallVector<Operation *> worklist;
    func.walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::FillOp>(op.getOperation()))
        worklist.push_back(op);
    });
    bool failed = false;
    for (Operation *op : worklist) {
      LogicalResult r = success();
      if (auto mm = dyn_cast<linalg::MatmulOp>(op)) {
        r = convertMatmul(mm, rw);
      } else if (auto add = dyn_cast<linalg::AddOp>(op)) {
        rw.setInsertionPoint(add);
        if (add.hasPureTensorSemantics()) {
          rw.replaceOp(add, dojo::AddOp::create(
                                rw, add.getLoc(), add.getResult(0).getType(),
                                add.getDpsInputs()[0], add.getDpsInputs()[1])
                                .getResult());
        } else {
          r = add.emitOpError("on memrefs is not supported");
        }
      } else if (auto max = dyn_cast<linalg::MaxOp>(op)) {
        Value a = max.getDpsInputs()[0], b = max.getDpsInputs()[1];
        rw.setInsertionPoint(max);
        if (isZeroTensor(b) && a.getType() == max.getResult(0).getType())
          rw.replaceOp(max, dojo::ReluOp::create(rw, max.getLoc(), a).getResult());
        else if (isZeroTensor(a) && b.getType() == max.getResult(0).getType())
          rw.replaceOp(max, dojo::ReluOp::create(rw, max.getLoc(), b).getResult());
        else
          r = max.emitOpError("is only supported as max(x, 0)");
      } else if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
        r = convertGeneric(generic, rw);
      } else {
        r = op->emitOpError("is not supported by convert-linalg-to-dojo");
      }
      failed |= mlir::failed(r);
    }
    if (failed)
      return signalPassFailure();
    // Remove fills, empties and constants that fed only the converted ops.
    bool changed = true;
    while (changed) {
      changed = false;
      func.walk([&](Operation *op) {
        if (isa<linalg::FillOp, tensor::EmptyOp, arith::ConstantOp>(op) &&
            op->use_empty()) {
          op->erase();
          changed = true;
        }
      });
    }
  }
};
} // namespace
