//===- TosaToDojo.cpp - tosa ops to dojo graph ops ------------------------===//
//
// Rewrites the float subset of TOSA (MLIR 22: zero points, shifts, shapes
// and padding constants are operands) into dojo graph ops, op by op. Zero
// points and shifts must be constant zeros, NaN modes must be PROPAGATE
// (dojo max/min propagate NaN). Any other tosa op, or a case that dojo
// cannot express, is a located error naming the op. Constants left without
// uses are erased at the end.
//
//===----------------------------------------------------------------------===//

#include "dojo/Conversion/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

namespace dojo {
#define GEN_PASS_DEF_CONVERTTOSATODOJO
#include "dojo/Conversion/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;

namespace {

/// A splat constant (tosa.const or arith.constant) as double, if `v` is one.
std::optional<double> splatValue(Value v) {
  DenseElementsAttr dense;
  if (!v || !matchPattern(v, m_Constant(&dense)) || !dense.isSplat())
    return std::nullopt;
  if (isa<FloatType>(dense.getElementType()))
    return dense.getSplatValue<APFloat>().convertToDouble();
  if (dense.getElementType().isInteger())
    return double(dense.getSplatValue<APInt>().getSExtValue());
  return std::nullopt;
}

bool isZeroConst(Value v) {
  std::optional<double> d = splatValue(v);
  return d && *d == 0.0;
}

Value reshapeTo(IRRewriter &rw, Location loc, Value v,
                ArrayRef<int64_t> shape) {
  auto t = cast<RankedTensorType>(v.getType());
  if (t.getShape() == shape)
    return v;
  return dojo::ReshapeOp::create(
      rw, loc, RankedTensorType::get(shape, t.getElementType()), v);
}

/// TOSA [top, bottom, left, right] -> dojo [top, left, bottom, right].
SmallVector<int64_t> padding(ArrayRef<int64_t> tosaPad) {
  return {tosaPad[0], tosaPad[2], tosaPad[1], tosaPad[3]};
}

struct ConvertTosaToDojoPass
    : dojo::impl::ConvertTosaToDojoBase<ConvertTosaToDojoPass> {
  using ConvertTosaToDojoBase::ConvertTosaToDojoBase;

  InFlightDiagnostic unsupported(Operation *op, StringRef why = {}) {
    InFlightDiagnostic d = op->emitOpError();
    if (why.empty())
      d << "is not supported by convert-tosa-to-dojo";
    else
      d << why;
    return d;
  }

  LogicalResult requireZero(Operation *op, Value v, StringRef what) {
    if (!isZeroConst(v))
      return op->emitOpError() << "with a non-zero or non-constant " << what
                             << " is not supported by convert-tosa-to-dojo";
    return success();
  }

  LogicalResult requirePropagate(Operation *op,
                                 tosa::NanPropagationMode mode) {
    if (mode != tosa::NanPropagationMode::PROPAGATE)
      return unsupported(op, "with nan_mode IGNORE is not supported by "
                             "convert-tosa-to-dojo (dojo propagates NaN)");
    return success();
  }

  /// Checks that tensors are statically shaped f32/bf16 (or integer for
  /// gather indices, shapes and zero points).
  LogicalResult checkTypes(Operation *op) {
    for (Value v : llvm::concat<Value>(op->getOperands(), op->getResults())) {
      auto rt = dyn_cast<RankedTensorType>(v.getType());
      if (!rt) {
        if (isa<TensorType>(v.getType()))
          return op->emitOpError() << "on unranked tensors is not supported by convert-tosa-to-dojo";
        continue; // !tosa.shape
      }
      if (!rt.hasStaticShape())
        return op->emitOpError() << "with dynamic shape " << rt
                                 << " is not supported by "
                                    "convert-tosa-to-dojo";
    }
    for (Type t : op->getResultTypes())
      if (auto rt = dyn_cast<RankedTensorType>(t);
          rt && !rt.getElementType().isF32() && !rt.getElementType().isBF16())
        return op->emitOpError()
               << "on element type " << rt.getElementType()
               << " is not supported by convert-tosa-to-dojo (dojo ops "
                  "take f32 and bf16)";
    return success();
  }

  LogicalResult convertConv(Operation *op, IRRewriter &rw, bool depthwise,
                            Value x, Value w, Value bias, Value xzp,
                            Value wzp, ArrayRef<int64_t> pad,
                            ArrayRef<int64_t> stride,
                            ArrayRef<int64_t> dilation, Type accType) {
    if (failed(requireZero(op, xzp, "input zero point")) ||
        failed(requireZero(op, wzp, "weight zero point")))
      return failure();
    if (!accType.isF32())
      return op->emitOpError() << "with acc_type " << accType
                             << " is not supported by convert-tosa-to-dojo (dojo "
                                "accumulates in f32)";
    Location loc = op->getLoc();
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    auto xt = cast<RankedTensorType>(x.getType());
    auto ws = cast<RankedTensorType>(w.getType()).getShape();
    Type welem = cast<RankedTensorType>(w.getType()).getElementType();
    if (xt.getElementType() != welem)
      return unsupported(op, "with different input and weight element types "
                             "is not supported by convert-tosa-to-dojo");
    int64_t groups = 1;
    if (depthwise) {
      // [KH, KW, C, M] -> HWIO [KH, KW, 1, C * M], one group per channel.
      w = reshapeTo(rw, loc, w, {ws[0], ws[1], 1, ws[2] * ws[3]});
      groups = ws[2];
    } else {
      // OHWI -> HWIO.
      w = dojo::TransposeOp::create(
          rw, loc, RankedTensorType::get({ws[1], ws[2], ws[3], ws[0]}, welem),
          w, rw.getDenseI64ArrayAttr({1, 2, 3, 0}));
    }
    int64_t outC = resTy.getDimSize(3);
    auto bt = cast<RankedTensorType>(bias.getType());
    // A zero bias is none; an [O] bias of the result type is the bias
    // operand; a broadcast [1] bias is added after (separate rounding).
    Value biasOperand, addAfter;
    if (!isZeroConst(bias)) {
      if (bt.getElementType() != resTy.getElementType())
        return unsupported(op, "with a bias of another element type than the "
                               "result is not supported");
      if (bt.getDimSize(0) == outC)
        biasOperand = bias;
      else
        addAfter = bias;
    }
    Value conv = dojo::Conv2DOp::create(rw, loc, resTy, x, w, biasOperand,
                                        Layout::NHWC, stride, padding(pad),
                                        dilation, groups);
    if (addAfter)
      conv = dojo::AddOp::create(rw, loc, resTy, conv, addAfter);
    rw.replaceOp(op, conv);
    return success();
  }

  LogicalResult convert(Operation *op, IRRewriter &rw) {
    rw.setInsertionPoint(op);
    if (failed(checkTypes(op)))
      return failure();
    Location loc = op->getLoc();
    auto resTy = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    auto replace = [&](Value v) {
      rw.replaceOp(op, v);
      return success();
    };
    auto binary = [&](auto dojoOp, Value a, Value b) {
      return replace(decltype(dojoOp)::create(rw, loc, resTy, a, b));
    };
    auto unary = [&](auto dojoOp, Value a) {
      return replace(decltype(dojoOp)::create(rw, loc, a));
    };
    return llvm::TypeSwitch<Operation *, LogicalResult>(op)
        .Case([&](tosa::MatMulOp o) -> LogicalResult {
          if (failed(requireZero(op, o.getAZp(), "a zero point")) ||
              failed(requireZero(op, o.getBZp(), "b zero point")))
            return failure();
          return replace(dojo::BatchMatmulOp::create(rw, loc, resTy, o.getA(),
                                                     o.getB()));
        })
        .Case([&](tosa::Conv2DOp o) {
          return convertConv(op, rw, false, o.getInput(), o.getWeight(),
                             o.getBias(), o.getInputZp(), o.getWeightZp(),
                             o.getPad(), o.getStride(), o.getDilation(),
                             o.getAccType());
        })
        .Case([&](tosa::DepthwiseConv2DOp o) {
          return convertConv(op, rw, true, o.getInput(), o.getWeight(),
                             o.getBias(), o.getInputZp(), o.getWeightZp(),
                             o.getPad(), o.getStride(), o.getDilation(),
                             o.getAccType());
        })
        .Case([&](tosa::AvgPool2dOp o) -> LogicalResult {
          if (failed(requireZero(op, o.getInputZp(), "input zero point")) ||
              failed(requireZero(op, o.getOutputZp(), "output zero point")))
            return failure();
          if (!o.getAccType().isF32())
            return op->emitOpError() << "with acc_type " << o.getAccType()
                                   << " is not supported by "
                                      "convert-tosa-to-dojo (dojo "
                                      "accumulates in f32)";
          // TOSA divides by the number of in-bounds elements.
          return replace(dojo::AvgPool2DOp::create(
              rw, loc, resTy, o.getInput(), o.getKernel(), o.getStride(),
              padding(o.getPad()), Layout::NHWC,
              /*count_include_pad=*/false));
        })
        .Case([&](tosa::MaxPool2dOp o) -> LogicalResult {
          if (failed(requirePropagate(op, o.getNanMode())))
            return failure();
          return replace(dojo::MaxPool2DOp::create(
              rw, loc, resTy, o.getInput(), o.getKernel(), o.getStride(),
              padding(o.getPad()), Layout::NHWC));
        })
        .Case([&](tosa::AddOp o) {
          return binary(dojo::AddOp(), o.getInput1(), o.getInput2());
        })
        .Case([&](tosa::SubOp o) {
          return binary(dojo::SubOp(), o.getInput1(), o.getInput2());
        })
        .Case([&](tosa::MulOp o) -> LogicalResult {
          if (failed(requireZero(op, o.getShift(), "shift")))
            return failure();
          return binary(dojo::MulOp(), o.getInput1(), o.getInput2());
        })
        .Case([&](tosa::MaximumOp o) -> LogicalResult {
          if (failed(requirePropagate(op, o.getNanMode())))
            return failure();
          return binary(dojo::MaxOp(), o.getInput1(), o.getInput2());
        })
        .Case([&](tosa::MinimumOp o) -> LogicalResult {
          if (failed(requirePropagate(op, o.getNanMode())))
            return failure();
          return binary(dojo::MinOp(), o.getInput1(), o.getInput2());
        })
        .Case([&](tosa::ReciprocalOp o) {
          return unary(dojo::ReciprocalOp(), o.getInput1());
        })
        .Case([&](tosa::ExpOp o) { return unary(dojo::ExpOp(), o.getInput1()); })
        .Case([&](tosa::LogOp o) { return unary(dojo::LogOp(), o.getInput1()); })
        .Case([&](tosa::TanhOp o) { return unary(dojo::TanhOp(), o.getInput()); })
        .Case([&](tosa::SigmoidOp o) {
          return unary(dojo::SigmoidOp(), o.getInput());
        })
        .Case([&](tosa::RsqrtOp o) {
          return unary(dojo::RsqrtOp(), o.getInput1());
        })
        .Case([&](tosa::ClampOp o) -> LogicalResult {
          auto lo = dyn_cast<FloatAttr>(o.getMinValAttr());
          auto hi = dyn_cast<FloatAttr>(o.getMaxValAttr());
          if (!lo || !hi || !lo.getValue().isZero() ||
              !hi.getValue().isInfinity() || hi.getValue().isNegative())
            return unsupported(op, "is only supported as relu: min_val 0 and "
                                   "max_val +inf");
          if (failed(requirePropagate(op, o.getNanMode())))
            return failure();
          return unary(dojo::ReluOp(), o.getInput());
        })
        .Case([&](tosa::ReduceSumOp o) {
          return replace(dojo::ReduceSumOp::create(
              rw, loc, resTy, o.getInput(),
              ArrayRef<int64_t>{int64_t(o.getAxis())}, /*keepdim=*/true));
        })
        .Case([&](tosa::ReduceMaxOp o) -> LogicalResult {
          if (failed(requirePropagate(op, o.getNanMode())))
            return failure();
          return replace(dojo::ReduceMaxOp::create(
              rw, loc, resTy, o.getInput(),
              ArrayRef<int64_t>{int64_t(o.getAxis())}, /*keepdim=*/true));
        })
        .Case([&](tosa::TransposeOp o) {
          SmallVector<int64_t> perm(o.getPerms().begin(), o.getPerms().end());
          return replace(dojo::TransposeOp::create(rw, loc, resTy,
                                                   o.getInput1(), perm));
        })
        .Case([&](tosa::ReshapeOp o) {
          return replace(
              dojo::ReshapeOp::create(rw, loc, resTy, o.getInput1()));
        })
        .Case([&](tosa::ConcatOp o) {
          return replace(dojo::ConcatOp::create(rw, loc, resTy, o.getInput1(),
                                                int64_t(o.getAxis())));
        })
        .Case([&](tosa::SliceOp o) -> LogicalResult {
          SmallVector<int64_t> start;
          if (!tosa::getConstShapeValues(o.getStart().getDefiningOp(), start))
            return unsupported(op, "with a non-constant start is not "
                                   "supported by convert-tosa-to-dojo");
          SmallVector<int64_t> ones(start.size(), 1);
          return replace(dojo::SliceOp::create(rw, loc, resTy, o.getInput1(),
                                               start, resTy.getShape(),
                                               ones));
        })
        .Case([&](tosa::PadOp o) -> LogicalResult {
          SmallVector<int64_t> pads;
          std::optional<double> value = splatValue(o.getPadConst());
          if (!tosa::getConstShapeValues(o.getPadding().getDefiningOp(),
                                         pads) ||
              !value)
            return unsupported(op, "with non-constant padding or pad_const "
                                   "is not supported by convert-tosa-to-dojo");
          SmallVector<int64_t> lo, hi;
          for (size_t i = 0; i + 1 < pads.size(); i += 2) {
            lo.push_back(pads[i]);
            hi.push_back(pads[i + 1]);
          }
          return replace(dojo::PadOp::create(
              rw, loc, resTy, o.getInput1(), lo, hi,
              rw.getF32FloatAttr(float(*value)).getValue()));
        })
        .Case([&](tosa::GatherOp o) -> LogicalResult {
          // values [N, K, C], indices [N, W] -> [N, W, C]; one table only.
          auto vt = cast<RankedTensorType>(o.getValues().getType());
          auto it = cast<RankedTensorType>(o.getIndices().getType());
          if (vt.getDimSize(0) != 1)
            return unsupported(op, "with a batch of tables (N > 1) is not "
                                   "supported by convert-tosa-to-dojo");
          Value table = reshapeTo(rw, loc, o.getValues(),
                                  {vt.getDimSize(1), vt.getDimSize(2)});
          // dojo.gather's result is indices.shape + [C]: [1, W, C].
          Value g = dojo::GatherOp::create(
              rw, loc,
              RankedTensorType::get({1, it.getDimSize(1), vt.getDimSize(2)},
                                    vt.getElementType()),
              table, o.getIndices());
          return replace(g);
        })
        .Case([&](tosa::CastOp o) -> LogicalResult {
          Type in = cast<RankedTensorType>(o.getInput().getType())
                        .getElementType();
          if (!in.isF32() && !in.isBF16())
            return op->emitOpError()
                   << "from " << in
                   << " is not supported by convert-tosa-to-dojo (f32 and "
                      "bf16 only)";
          return replace(dojo::CastOp::create(rw, loc, resTy, o.getInput()));
        })
        .Default([&](Operation *o) { return unsupported(o); });
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rw(&getContext());
    SmallVector<Operation *> worklist;
    func.walk([&](Operation *op) {
      if (isa<tosa::TosaDialect>(op->getDialect()) &&
          !isa<tosa::ConstOp, tosa::ConstShapeOp>(op))
        worklist.push_back(op);
    });
    bool failed = false;
    for (Operation *op : worklist)
      failed |= mlir::failed(convert(op, rw));
    if (failed)
      return signalPassFailure();
    // Zero points, shifts, shapes and padding constants are dead now.
    bool changed = true;
    while (changed) {
      changed = false;
      func.walk([&](Operation *op) {
        if (isa<tosa::ConstOp, tosa::ConstShapeOp>(op) && op->use_empty()) {
          op->erase();
          changed = true;
        }
      });
    }
    func.walk([&](Operation *op) {
      if (isa<tosa::ConstOp>(op)) {
        op->emitOpError("is not supported by convert-tosa-to-dojo: dojo "
                        "graphs take tensors as function arguments");
        failed = true;
      }
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
