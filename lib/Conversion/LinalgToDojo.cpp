//===- LinalgToDojo.cpp - linalg and tensor ops to dojo graph ops ---------===//
//
// Rewrites linalg named ops, elementwise linalg.generic ops and the tensor
// shape ops on tensors into dojo graph ops, op by op in program order. Each
// op that cannot be expressed is a located error naming it. Broadcasts
// (linalg.broadcast and copy-only generics) are folded into the
// broadcasting dojo ops that consume them; fills, empties and constants
// left without uses are erased at the end.
//
//===----------------------------------------------------------------------===//

#include "dojo/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <optional>

namespace dojo {
#define GEN_PASS_DEF_CONVERTLINALGTODOJO
#include "dojo/Conversion/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;

namespace {

constexpr StringLiteral kPass = "convert-linalg-to-dojo";

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// The scalar a tensor is filled with: linalg.fill of a constant or a splat
/// constant.
std::optional<APFloat> fillValue(Value v) {
  Value scalar = v;
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    scalar = fill.getInputs()[0];
  FloatAttr f;
  if (matchPattern(scalar, m_Constant(&f)))
    return f.getValue();
  DenseElementsAttr dense;
  if (matchPattern(scalar, m_Constant(&dense)) && dense.isSplat() &&
      isa<FloatType>(dense.getElementType()))
    return dense.getSplatValue<APFloat>();
  if (auto fill = v.getDefiningOp<linalg::FillOp>()) {
    IntegerAttr i;
    if (matchPattern(fill.getInputs()[0], m_Constant(&i)) && i.getInt() == 0)
      return APFloat(0.0f);
  }
  return std::nullopt;
}

bool isZeroTensor(Value v) {
  std::optional<APFloat> f = fillValue(v);
  return f && f->isZero();
}

bool isNegInfTensor(Value v) {
  std::optional<APFloat> f = fillValue(v);
  return f && f->isInfinity() && f->isNegative();
}

/// True if `v` is a float zero (scalar constant).
bool isZeroScalar(Value v) {
  return matchPattern(v, m_AnyZeroFloat()) && !matchPattern(v, m_NegZeroFloat());
}

bool isDojoElement(Type t) { return t.isF32() || t.isBF16(); }

RankedTensorType withElement(RankedTensorType t, Type e) {
  return RankedTensorType::get(t.getShape(), e);
}

/// `v` converted to element type `e` (exact for bf16 -> f32).
Value castTo(IRRewriter &rw, Location loc, Value v, Type e) {
  auto t = cast<RankedTensorType>(v.getType());
  if (t.getElementType() == e)
    return v;
  return dojo::CastOp::create(rw, loc, withElement(t, e), v);
}

/// `v` reshaped to `shape` (same element count), if it is not already.
Value reshapeTo(IRRewriter &rw, Location loc, Value v,
                ArrayRef<int64_t> shape) {
  auto t = cast<RankedTensorType>(v.getType());
  if (t.getShape() == shape)
    return v;
  return dojo::ReshapeOp::create(
      rw, loc, RankedTensorType::get(shape, t.getElementType()), v);
}

/// `v` made NumPy-broadcastable as `shape` (a shape with the iteration
/// rank, 1 in broadcast dimensions): unchanged if its own shape already is
/// the trailing part of `shape` after leading 1s, else reshaped to `shape`.
Value broadcastable(IRRewriter &rw, Location loc, Value v,
                    ArrayRef<int64_t> shape) {
  auto own = cast<RankedTensorType>(v.getType()).getShape();
  if (own.size() <= shape.size()) {
    size_t lead = shape.size() - own.size();
    if (shape.drop_front(lead) == own &&
        llvm::all_of(shape.take_front(lead), [](int64_t d) { return d == 1; }))
      return v;
  }
  return reshapeTo(rw, loc, v, shape);
}

/// If the input map of an elementwise op reads the input along increasing
/// loop dimensions (a constant 0 where the input has size 1), the shape
/// that NumPy-broadcasts the input to the `rank`-d iteration space (1 in
/// the missing dimensions).
std::optional<SmallVector<int64_t>>
broadcastShape(AffineMap map, RankedTensorType in, unsigned rank) {
  if (in.getRank() != (int64_t)map.getNumResults())
    return std::nullopt;
  SmallVector<int64_t> shape(rank, 1);
  int64_t last = -1;
  for (unsigned k = 0; k < map.getNumResults(); ++k) {
    AffineExpr e = map.getResult(k);
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      int64_t pos = d.getPosition();
      if (pos <= last)
        return std::nullopt;
      shape[pos] = in.getDimSize(k);
      last = pos;
    } else if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      if (c.getValue() != 0 || in.getDimSize(k) != 1)
        return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  return shape;
}

/// A copy-only broadcast: linalg.broadcast, or a generic whose body yields
/// its single input read through a broadcasting map. Returns its source
/// and the shape of the source in the result's rank (1 where broadcast).
std::optional<std::pair<Value, SmallVector<int64_t>>>
asBroadcast(Operation *op) {
  if (auto b = dyn_cast_or_null<linalg::BroadcastOp>(op)) {
    if (!b.hasPureTensorSemantics())
      return std::nullopt;
    auto in = cast<RankedTensorType>(b.getInput().getType());
    auto out = cast<RankedTensorType>(b.getInit().getType());
    SmallVector<int64_t> shape;
    int64_t k = 0;
    for (int64_t d = 0; d < out.getRank(); ++d)
      shape.push_back(llvm::is_contained(b.getDimensions(), d)
                          ? 1
                          : in.getDimSize(k++));
    return std::make_pair(b.getInput(), shape);
  }
  auto g = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!g || !g.hasPureTensorSemantics() || g.getNumDpsInputs() != 1 ||
      g.getNumDpsInits() != 1 || g.getNumReductionLoops() != 0 ||
      !g.getMatchingIndexingMap(g.getDpsInitOperand(0)).isIdentity())
    return std::nullopt;
  Block &body = g.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != body.getArgument(0))
    return std::nullopt;
  OpOperand *in = g.getDpsInputOperand(0);
  auto inTy = dyn_cast<RankedTensorType>(in->get().getType());
  if (!inTy)
    return std::nullopt;
  auto shape =
      broadcastShape(g.getMatchingIndexingMap(in), inTy, g.getNumLoops());
  if (!shape)
    return std::nullopt;
  return std::make_pair(in->get(), *shape);
}

/// An operand of an elementwise op with the iteration shape of the result:
/// folds a producing broadcast into the dojo op's own broadcasting.
Value lookThroughBroadcast(IRRewriter &rw, Location loc, Value v) {
  if (auto b = asBroadcast(v.getDefiningOp()))
    return broadcastable(rw, loc, b->first, b->second);
  return v;
}

SmallVector<int64_t> toVector(DenseIntElementsAttr a) {
  SmallVector<int64_t> v;
  for (APInt x : a.getValues<APInt>())
    v.push_back(x.getSExtValue());
  return v;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct ConvertLinalgToDojoPass
    : dojo::impl::ConvertLinalgToDojoBase<ConvertLinalgToDojoPass> {
  using ConvertLinalgToDojoBase::ConvertLinalgToDojoBase;

  /// Ops replaced together with an earlier op (skipped when reached).
  llvm::DenseSet<Operation *> consumed;

  InFlightDiagnostic unsupported(Operation *op, StringRef why = {}) {
    InFlightDiagnostic d = op->emitOpError();
    if (why.empty())
      d << "is not supported by " << kPass;
    else
      d << why;
    return d;
  }

  //===--------------------------------------------------------------------===//
  // Elementwise
  //===--------------------------------------------------------------------===//

  /// Creates the dojo binary op for `kind` on operands already broadcast.
  template <typename DojoOp>
  static Value binary(IRRewriter &rw, Location loc, RankedTensorType resTy,
                      Value a, Value b) {
    a = castTo(rw, loc, a, resTy.getElementType());
    b = castTo(rw, loc, b, resTy.getElementType());
    return DojoOp::create(rw, loc, resTy, a, b);
  }

  template <typename DojoOp>
  static Value unary(IRRewriter &rw, Location loc, RankedTensorType resTy,
                     Value a) {
    a = castTo(rw, loc, a, resTy.getElementType());
    return DojoOp::create(rw, loc, a);
  }

  /// Binary or unary elementwise op by the operation that computes one
  /// element (arith/math op, or the name of a linalg named op); null if
  /// the operation has no dojo counterpart.
  using BinaryBuilder = Value (*)(IRRewriter &, Location, RankedTensorType,
                                  Value, Value);
  using UnaryBuilder = Value (*)(IRRewriter &, Location, RankedTensorType,
                                 Value);
  static BinaryBuilder binaryFor(Operation *scalarOp) {
    return llvm::TypeSwitch<Operation *, BinaryBuilder>(scalarOp)
        .Case<arith::AddFOp>([](auto) { return binary<dojo::AddOp>; })
        .Case<arith::SubFOp>([](auto) { return binary<dojo::SubOp>; })
        .Case<arith::MulFOp>([](auto) { return binary<dojo::MulOp>; })
        .Case<arith::DivFOp>([](auto) { return binary<dojo::DivOp>; })
        .Case<arith::MaximumFOp>([](auto) { return binary<dojo::MaxOp>; })
        .Case<arith::MinimumFOp>([](auto) { return binary<dojo::MinOp>; })
        .Default([](Operation *) { return nullptr; });
  }
  static UnaryBuilder unaryFor(Operation *scalarOp) {
    return llvm::TypeSwitch<Operation *, UnaryBuilder>(scalarOp)
        .Case<math::ExpOp>([](auto) { return unary<dojo::ExpOp>; })
        .Case<math::LogOp>([](auto) { return unary<dojo::LogOp>; })
        .Case<math::SqrtOp>([](auto) { return unary<dojo::SqrtOp>; })
        .Case<math::RsqrtOp>([](auto) { return unary<dojo::RsqrtOp>; })
        .Case<math::TanhOp>([](auto) { return unary<dojo::TanhOp>; })
        .Case<arith::TruncFOp, arith::ExtFOp>([](auto) {
          return +[](IRRewriter &rw, Location loc, RankedTensorType resTy,
                     Value a) -> Value {
            return dojo::CastOp::create(rw, loc, resTy, a);
          };
        })
        .Default([](Operation *) { return nullptr; });
  }

  LogicalResult convertNamedElementwise(linalg::LinalgOp op, IRRewriter &rw) {
    Location loc = op.getLoc();
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    SmallVector<Value> ins;
    for (Value v : op.getDpsInputs())
      ins.push_back(lookThroughBroadcast(rw, loc, v));
    // linalg.max(x, 0) is a relu (kept exact: relu(-0) = +0).
    if (isa<linalg::MaxOp>(op))
      for (int k = 0; k < 2; ++k)
        if (isZeroTensor(op.getDpsInputs()[1 - k]) &&
            ins[k].getType() == resTy) {
          rw.replaceOp(op, dojo::ReluOp::create(rw, loc, ins[k]).getResult());
          return success();
        }
    Value r =
        llvm::TypeSwitch<Operation *, Value>(op)
            .Case([&](linalg::AddOp) {
              return binary<dojo::AddOp>(rw, loc, resTy, ins[0], ins[1]);
            })
            .Case([&](linalg::SubOp) {
              return binary<dojo::SubOp>(rw, loc, resTy, ins[0], ins[1]);
            })
            .Case([&](linalg::MulOp) {
              return binary<dojo::MulOp>(rw, loc, resTy, ins[0], ins[1]);
            })
            .Case([&](linalg::DivOp) {
              return binary<dojo::DivOp>(rw, loc, resTy, ins[0], ins[1]);
            })
            .Case([&](linalg::MaxOp) {
              return binary<dojo::MaxOp>(rw, loc, resTy, ins[0], ins[1]);
            })
            .Case([&](linalg::MinOp) {
              return binary<dojo::MinOp>(rw, loc, resTy, ins[0], ins[1]);
            })
            .Case([&](linalg::ExpOp) {
              return unary<dojo::ExpOp>(rw, loc, resTy, ins[0]);
            })
            .Case([&](linalg::LogOp) {
              return unary<dojo::LogOp>(rw, loc, resTy, ins[0]);
            })
            .Case([&](linalg::SqrtOp) {
              return unary<dojo::SqrtOp>(rw, loc, resTy, ins[0]);
            })
            .Case([&](linalg::RsqrtOp) {
              return unary<dojo::RsqrtOp>(rw, loc, resTy, ins[0]);
            })
            .Case([&](linalg::TanhOp) {
              return unary<dojo::TanhOp>(rw, loc, resTy, ins[0]);
            })
            .Case([&](linalg::ReciprocalOp) {
              return unary<dojo::ReciprocalOp>(rw, loc, resTy, ins[0]);
            })
            .Default([](Operation *) { return Value(); });
    if (!r)
      return unsupported(op);
    rw.replaceOp(op, r);
    return success();
  }

  LogicalResult convertElementwiseOp(linalg::ElementwiseOp op,
                                     IRRewriter &rw) {
    for (AffineMap m : op.getIndexingMapsArray())
      if (!m.isIdentity())
        return unsupported(op, "with non-identity indexing maps is not "
                               "supported by convert-linalg-to-dojo");
    Location loc = op.getLoc();
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    SmallVector<Value> ins(op.getDpsInputs());
    using K = linalg::ElementwiseKind;
    Value r;
    switch (op.getKind()) {
    case K::exp:
      r = unary<dojo::ExpOp>(rw, loc, resTy, ins[0]);
      break;
    case K::log:
      r = unary<dojo::LogOp>(rw, loc, resTy, ins[0]);
      break;
    case K::sqrt:
      r = unary<dojo::SqrtOp>(rw, loc, resTy, ins[0]);
      break;
    case K::rsqrt:
      r = unary<dojo::RsqrtOp>(rw, loc, resTy, ins[0]);
      break;
    case K::tanh:
      r = unary<dojo::TanhOp>(rw, loc, resTy, ins[0]);
      break;
    case K::reciprocal:
      r = unary<dojo::ReciprocalOp>(rw, loc, resTy, ins[0]);
      break;
    case K::add:
      r = binary<dojo::AddOp>(rw, loc, resTy, ins[0], ins[1]);
      break;
    case K::sub:
      r = binary<dojo::SubOp>(rw, loc, resTy, ins[0], ins[1]);
      break;
    case K::mul:
      r = binary<dojo::MulOp>(rw, loc, resTy, ins[0], ins[1]);
      break;
    case K::div:
      r = binary<dojo::DivOp>(rw, loc, resTy, ins[0], ins[1]);
      break;
    case K::max_signed:
      r = binary<dojo::MaxOp>(rw, loc, resTy, ins[0], ins[1]);
      break;
    case K::min_signed:
      r = binary<dojo::MinOp>(rw, loc, resTy, ins[0], ins[1]);
      break;
    default:
      return unsupported(op) << " (kind " << stringifyEnum(op.getKind())
                             << ")";
    }
    rw.replaceOp(op, r);
    return success();
  }

  /// If `op` is an all-parallel generic with one identity-mapped output and
  /// a body of one op feeding the yield, returns that op.
  static Operation *elementwiseBody(linalg::GenericOp op) {
    if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 0)
      return nullptr;
    if (!op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
      return nullptr;
    Block &body = op.getRegion().front();
    if (body.getOperations().size() != 2)
      return nullptr;
    Operation *inner = &body.front();
    auto yield = cast<linalg::YieldOp>(body.getTerminator());
    if (yield.getNumOperands() != 1 ||
        yield.getOperand(0).getDefiningOp() != inner)
      return nullptr;
    return inner;
  }

  LogicalResult convertGeneric(linalg::GenericOp op, IRRewriter &rw) {
    if (asBroadcast(op))
      return success(); // folded into its users; checked at the end
    Operation *inner = elementwiseBody(op);
    if (!inner)
      return unsupported(op, "is not an elementwise generic (one parallel "
                             "op on its inputs) that convert-linalg-to-dojo "
                             "supports");
    Location loc = op.getLoc();
    auto resTy = cast<RankedTensorType>(op.getResult(0).getType());
    unsigned rank = op.getNumLoops();
    Block &body = op.getRegion().front();
    // The generic's input a body value reads, broadcast to the iteration
    // shape; null if it is not one.
    auto inputOf = [&](Value v) -> Value {
      auto arg = dyn_cast<BlockArgument>(v);
      if (!arg || arg.getOwner() != &body ||
          arg.getArgNumber() >= op.getNumDpsInputs())
        return {};
      OpOperand *operand = op.getDpsInputOperand(arg.getArgNumber());
      auto inTy = dyn_cast<RankedTensorType>(operand->get().getType());
      if (!inTy)
        return {};
      auto shape =
          broadcastShape(op.getMatchingIndexingMap(operand), inTy, rank);
      if (!shape)
        return {};
      Value in = operand->get();
      if (inTy.getShape() == resTy.getShape())
        in = lookThroughBroadcast(rw, loc, in);
      return broadcastable(rw, loc, in, *shape);
    };
    rw.setInsertionPoint(op);
    // max(x, 0) is a relu.
    if (isa<arith::MaximumFOp, arith::MaxNumFOp>(inner)) {
      for (int k = 0; k < 2; ++k) {
        if (!isZeroScalar(inner->getOperand(1 - k)))
          continue;
        Value x = inputOf(inner->getOperand(k));
        if (x && x.getType() == resTy) {
          rw.replaceOp(op, dojo::ReluOp::create(rw, loc, x).getResult());
          return success();
        }
      }
    }
    if (BinaryBuilder build = binaryFor(inner)) {
      Value lhs = inputOf(inner->getOperand(0));
      Value rhs = inputOf(inner->getOperand(1));
      if (!lhs || !rhs)
        return op.emitOpError() << "computes '" << inner->getName()
                               << "' on operands that are not "
                                  "NumPy-broadcast inputs of the generic";
      rw.replaceOp(op, build(rw, loc, resTy, lhs, rhs));
      return success();
    }
    if (UnaryBuilder build = unaryFor(inner)) {
      Value x = inputOf(inner->getOperand(0));
      if (!x || cast<RankedTensorType>(x.getType()).getShape() !=
                    resTy.getShape())
        return op.emitOpError() << "computes '" << inner->getName()
                               << "' on an operand that is not an input "
                                  "of the result's shape";
      rw.replaceOp(op, build(rw, loc, resTy, x));
      return success();
    }
    if (isa<arith::MaxNumFOp, arith::MinNumFOp>(inner))
      return op.emitOpError() << "body op '" << inner->getName()
                             << "' (NaN-ignoring) is not supported by "
                             << kPass << "; dojo.max/min propagate NaN "
                             << "(arith.maximumf/minimumf)";
    return op.emitOpError() << "body op '" << inner->getName()
                           << "' is not supported by " << kPass;
  }

  //===--------------------------------------------------------------------===//
  // Contractions
  //===--------------------------------------------------------------------===//

  /// Replaces `op` by `result`, adding a non-zero init (accumulation) after.
  LogicalResult finishWithInit(Operation *op, IRRewriter &rw, Value result,
                               Value init) {
    if (init.getDefiningOp<tensor::EmptyOp>())
      return op->emitOpError("accumulates into an uninitialized tensor "
                             "(tensor.empty); fill it with zero first");
    if (!isZeroTensor(init)) {
      auto ty = cast<RankedTensorType>(result.getType());
      result = dojo::AddOp::create(rw, op->getLoc(), ty, result,
                                   lookThroughBroadcast(rw, op->getLoc(), init));
    }
    rw.replaceOp(op, result);
    return success();
  }

  /// Transposes from the indexing maps of a (batch) matmul: the operand
  /// maps must be the default ones or have their two trailing results
  /// swapped.
  LogicalResult matmulTransposes(linalg::LinalgOp op, unsigned batch,
                                 bool &tl, bool &tr) {
    tl = tr = false;
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    MLIRContext *ctx = op->getContext();
    unsigned n = batch + 3;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    auto map = [&](unsigned x, unsigned y) {
      SmallVector<AffineExpr> r;
      if (batch)
        r.push_back(d(0));
      r.push_back(d(x + batch));
      r.push_back(d(y + batch));
      return AffineMap::get(n, 0, r, ctx);
    };
    // Loops (batch, m, n, k): A (m, k), B (k, n), C (m, n).
    if (maps.size() != 3 || maps[2] != map(0, 1))
      return unsupported(op, "has indexing maps that are not a plain or "
                             "transposed matrix product");
    if (maps[0] == map(2, 0))
      tl = true;
    else if (maps[0] != map(0, 2))
      return unsupported(op, "has an lhs indexing map that is not a plain "
                             "or transposed matrix");
    if (maps[1] == map(1, 2))
      tr = true;
    else if (maps[1] != map(2, 1))
      return unsupported(op, "has an rhs indexing map that is not a plain "
                             "or transposed matrix");
    return success();
  }

  template <typename DojoOp>
  LogicalResult convertMatmul(linalg::LinalgOp op, IRRewriter &rw,
                              unsigned batch) {
    bool tl, tr;
    if (failed(matmulTransposes(op, batch, tl, tr)))
      return failure();
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1];
    auto at = cast<RankedTensorType>(a.getType());
    auto bt = cast<RankedTensorType>(b.getType());
    if (at.getElementType() != bt.getElementType()) {
      // Mixed operands: both to the wider type (exact).
      Type f32 = rw.getF32Type();
      a = castTo(rw, op.getLoc(), a, f32);
      b = castTo(rw, op.getLoc(), b, f32);
    }
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    Value mm = DojoOp::create(rw, op.getLoc(), resTy, a, b, tl, tr);
    return finishWithInit(op, rw, mm, op.getDpsInits()[0]);
  }

  /// linalg convolutions. `kind`: 0 conv_2d_nchw_fchw, 1 conv_2d_nhwc_hwcf,
  /// 2 conv_2d_nhwc_fhwc, 3 depthwise nhwc_hwc, 4 depthwise nchw_chw,
  /// 5 depthwise nhwc_hwcm.
  LogicalResult convertConv(linalg::LinalgOp op, IRRewriter &rw, int kind,
                            DenseIntElementsAttr strides,
                            DenseIntElementsAttr dilations) {
    Location loc = op.getLoc();
    Value x = op.getDpsInputs()[0], w = op.getDpsInputs()[1];
    Value init = op.getDpsInits()[0];
    auto xt = cast<RankedTensorType>(x.getType());
    auto wt = cast<RankedTensorType>(w.getType());
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    Type elem = resTy.getElementType();
    if (xt.getElementType() != wt.getElementType()) {
      x = castTo(rw, loc, x, rw.getF32Type());
      w = castTo(rw, loc, w, rw.getF32Type());
    }
    bool nchw = kind == 0 || kind == 4;
    int64_t channels = nchw ? xt.getDimSize(1) : xt.getDimSize(3);
    int64_t groups = kind >= 3 ? channels : 1;
    auto ws = wt.getShape();
    Type welem = cast<RankedTensorType>(w.getType()).getElementType();
    auto wtype = [&](ArrayRef<int64_t> s) {
      return RankedTensorType::get(s, welem);
    };
    switch (kind) {
    case 2: // OHWI -> HWIO
      w = dojo::TransposeOp::create(
          rw, loc, wtype({ws[1], ws[2], ws[3], ws[0]}), w,
          rw.getDenseI64ArrayAttr({1, 2, 3, 0}));
      break;
    case 3: // [KH, KW, C] -> [KH, KW, 1, C]
      w = reshapeTo(rw, loc, w, {ws[0], ws[1], 1, ws[2]});
      break;
    case 4: // [C, KH, KW] -> [C, 1, KH, KW]
      w = reshapeTo(rw, loc, w, {ws[0], 1, ws[1], ws[2]});
      break;
    case 5: // [KH, KW, C, M] -> [KH, KW, 1, C * M]
      w = reshapeTo(rw, loc, w, {ws[0], ws[1], 1, ws[2] * ws[3]});
      break;
    default:
      break;
    }
    // The dojo result: hwcm's [N, OH, OW, C, M] is [N, OH, OW, C * M].
    RankedTensorType convTy = resTy;
    if (kind == 5) {
      auto rs = resTy.getShape();
      convTy = RankedTensorType::get({rs[0], rs[1], rs[2], rs[3] * rs[4]},
                                     elem);
    }
    int64_t outC = nchw ? convTy.getDimSize(1) : convTy.getDimSize(3);
    // A bias broadcast along everything but the channel becomes the bias
    // operand (added after the products, one rounding).
    Value bias;
    if (auto b = asBroadcast(init.getDefiningOp()); b && kind != 5) {
      SmallVector<int64_t> want(4, 1);
      want[nchw ? 1 : 3] = outC;
      if (b->second == ArrayRef<int64_t>(want) &&
          cast<RankedTensorType>(b->first.getType()).getElementType() == elem)
        bias = reshapeTo(rw, loc, b->first, {outC});
    }
    Value conv = dojo::Conv2DOp::create(
        rw, loc, convTy, x, w, bias,
        nchw ? Layout::NCHW : Layout::NHWC, toVector(strides),
        ArrayRef<int64_t>{0, 0, 0, 0}, toVector(dilations), groups);
    if (kind == 5)
      conv = reshapeTo(rw, loc, conv, resTy.getShape());
    if (bias) {
      rw.replaceOp(op, conv);
      return success();
    }
    return finishWithInit(op, rw, conv, init);
  }

  //===--------------------------------------------------------------------===//
  // Pooling and reductions
  //===--------------------------------------------------------------------===//

  LogicalResult convertPool(linalg::LinalgOp op, IRRewriter &rw, bool nchw,
                            bool max, DenseIntElementsAttr strides,
                            DenseIntElementsAttr dilations) {
    Location loc = op.getLoc();
    for (APInt d : dilations.getValues<APInt>())
      if (d != 1)
        return unsupported(op, "with dilation is not supported by "
                               "convert-linalg-to-dojo");
    Value x = op.getDpsInputs()[0];
    auto window = cast<ShapedType>(op.getDpsInputs()[1].getType());
    Value init = op.getDpsInits()[0];
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    ArrayRef<int64_t> kernel = window.getShape();
    SmallVector<int64_t> pad = {0, 0, 0, 0};
    Layout layout = nchw ? Layout::NCHW : Layout::NHWC;
    x = castTo(rw, loc, x, resTy.getElementType());
    if (max) {
      if (!isNegInfTensor(init))
        return unsupported(op, "is only supported with an init filled with "
                               "-inf");
      rw.replaceOp(op, dojo::MaxPool2DOp::create(rw, loc, resTy, x, kernel,
                                                 toVector(strides), pad,
                                                 layout)
                           .getResult());
      return success();
    }
    // A sum pool is supported as the numerator of an average pool: its
    // only user divides it by the window size.
    int64_t size = window.getNumElements();
    Operation *div = nullptr;
    if (isZeroTensor(init) && op->getResult(0).hasOneUse()) {
      Operation *user = *op->getResult(0).getUsers().begin();
      auto isWindowSize = [&](Value v) {
        std::optional<APFloat> f = fillValue(v);
        return f && f->convertToDouble() == double(size);
      };
      if (auto g = dyn_cast<linalg::GenericOp>(user)) {
        Operation *inner = elementwiseBody(g);
        if (inner && isa<arith::DivFOp>(inner) && g.getNumDpsInputs() == 1 &&
            g.getMatchingIndexingMap(g.getDpsInputOperand(0)).isIdentity() &&
            inner->getOperand(0) == g.getRegion().front().getArgument(0) &&
            isWindowSize(inner->getOperand(1)) &&
            g.getResult(0).getType() == resTy)
          div = g;
      } else if (auto d = dyn_cast<linalg::DivOp>(user)) {
        if (d.getDpsInputs()[0] == op->getResult(0) &&
            isWindowSize(d.getDpsInputs()[1]) &&
            d.getResult(0).getType() == resTy)
          div = d;
      }
    }
    if (!div)
      return unsupported(op, "is only supported as average pooling: a zero "
                             "init and a result divided by the window size "
                             "(linalg.div or an elementwise arith.divf)");
    Value avg = dojo::AvgPool2DOp::create(rw, loc, resTy, x, kernel,
                                          toVector(strides), pad, layout,
                                          /*count_include_pad=*/true);
    rw.replaceOp(div, avg);
    consumed.insert(div);
    rw.eraseOp(op);
    return success();
  }

  LogicalResult convertReduce(linalg::ReduceOp op, IRRewriter &rw) {
    if (op.getNumDpsInputs() != 1)
      return unsupported(op, "with several inputs is not supported by "
                             "convert-linalg-to-dojo");
    Block &body = op.getRegion().front();
    Operation *inner = body.getOperations().size() == 2 ? &body.front()
                                                        : nullptr;
    auto yield = cast<linalg::YieldOp>(body.getTerminator());
    if (!inner || yield.getOperand(0).getDefiningOp() != inner ||
        !isa<arith::AddFOp, arith::MaximumFOp>(inner))
      return unsupported(op, "is only supported with a body of one "
                             "arith.addf or arith.maximumf");
    Location loc = op.getLoc();
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    Value x = castTo(rw, loc, op.getDpsInputs()[0], resTy.getElementType());
    SmallVector<int64_t> axes(op.getDimensions());
    llvm::sort(axes);
    ArrayRef<int64_t> axesAttr = axes;
    Value init = op.getDpsInits()[0];
    Value r;
    if (isa<arith::AddFOp>(inner)) {
      r = dojo::ReduceSumOp::create(rw, loc, resTy, x, axesAttr, false);
      return finishWithInit(op, rw, r, init);
    }
    if (!isNegInfTensor(init))
      return unsupported(op, "computing a maximum is only supported with an "
                             "init filled with -inf");
    r = dojo::ReduceMaxOp::create(rw, loc, resTy, x, axesAttr, false);
    rw.replaceOp(op, r);
    return success();
  }

  //===--------------------------------------------------------------------===//
  // Shape ops
  //===--------------------------------------------------------------------===//

  LogicalResult convertSlice(tensor::ExtractSliceOp op, IRRewriter &rw) {
    for (ArrayRef<int64_t> a :
         {op.getStaticOffsets(), op.getStaticSizes(), op.getStaticStrides()})
      if (llvm::any_of(a, ShapedType::isDynamic))
        return unsupported(op, "with dynamic offsets, sizes or strides is "
                               "not supported by convert-linalg-to-dojo");
    auto src = op.getSourceType();
    auto fullTy = RankedTensorType::get(op.getStaticSizes(),
                                        src.getElementType());
    Value s = dojo::SliceOp::create(
        rw, op.getLoc(), fullTy, op.getSource(),
        rw.getDenseI64ArrayAttr(op.getStaticOffsets()),
        rw.getDenseI64ArrayAttr(op.getStaticSizes()),
        rw.getDenseI64ArrayAttr(op.getStaticStrides()));
    // Rank-reducing slices drop unit dimensions: a reshape.
    rw.replaceOp(op, reshapeTo(rw, op.getLoc(), s, op.getType().getShape()));
    return success();
  }

  LogicalResult convertPad(tensor::PadOp op, IRRewriter &rw) {
    if (llvm::any_of(op.getStaticLow(), ShapedType::isDynamic) ||
        llvm::any_of(op.getStaticHigh(), ShapedType::isDynamic))
      return unsupported(op, "with dynamic padding is not supported by "
                             "convert-linalg-to-dojo");
    Value pv = op.getConstantPaddingValue();
    FloatAttr value;
    if (!pv || !matchPattern(pv, m_Constant(&value)))
      return unsupported(op, "is only supported with a constant float "
                             "padding value");
    rw.replaceOp(op, dojo::PadOp::create(
                         rw, op.getLoc(), op.getResultType(), op.getSource(),
                         rw.getDenseI64ArrayAttr(op.getStaticLow()),
                         rw.getDenseI64ArrayAttr(op.getStaticHigh()),
                         rw.getF32FloatAttr(float(
                             value.getValue().convertToDouble())))
                         .getResult());
    return success();
  }

  //===--------------------------------------------------------------------===//
  // Driver
  //===--------------------------------------------------------------------===//

  /// Checks that every tensor operand and result has a dojo element type.
  LogicalResult checkElementTypes(Operation *op) {
    for (Type t : llvm::concat<Type>(op->getOperandTypes(),
                                     op->getResultTypes())) {
      auto rt = dyn_cast<RankedTensorType>(t);
      if (!rt) {
        if (isa<ShapedType>(t))
          return unsupported(op) << " on " << t
                                 << "; expected ranked tensors";
        continue;
      }
      if (!isDojoElement(rt.getElementType()))
        return unsupported(op)
               << " on element type " << rt.getElementType()
               << " (dojo ops take f32 and bf16)";
      if (!rt.hasStaticShape())
        return unsupported(op) << " with dynamic shape " << t;
    }
    return success();
  }

  LogicalResult convert(Operation *op, IRRewriter &rw) {
    rw.setInsertionPoint(op);
    if (auto l = dyn_cast<linalg::LinalgOp>(op))
      if (!l.hasPureTensorSemantics())
        return op->emitOpError("on memrefs is not supported; expected "
                               "tensors");
    // Windows of pooling ops are shape-only operands of any type.
    if (!isa<linalg::PoolingNchwMaxOp, linalg::PoolingNhwcMaxOp,
             linalg::PoolingNchwSumOp, linalg::PoolingNhwcSumOp>(op) &&
        failed(checkElementTypes(op)))
      return failure();
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    return llvm::TypeSwitch<Operation *, LogicalResult>(op)
        .Case<linalg::AddOp, linalg::SubOp, linalg::MulOp, linalg::DivOp,
              linalg::MaxOp, linalg::MinOp, linalg::ExpOp, linalg::LogOp,
              linalg::SqrtOp, linalg::RsqrtOp, linalg::TanhOp,
              linalg::ReciprocalOp>(
            [&](auto) { return convertNamedElementwise(linalgOp, rw); })
        .Case([&](linalg::ElementwiseOp e) {
          return convertElementwiseOp(e, rw);
        })
        .Case([&](linalg::GenericOp g) { return convertGeneric(g, rw); })
        .Case([&](linalg::BroadcastOp) { return success(); }) // see end
        .Case([&](linalg::MatmulOp) {
          return convertMatmul<dojo::MatmulOp>(linalgOp, rw, 0);
        })
        .Case([&](linalg::BatchMatmulOp) {
          return convertMatmul<dojo::BatchMatmulOp>(linalgOp, rw, 1);
        })
        .Case([&](linalg::Conv2DNchwFchwOp c) {
          return convertConv(c, rw, 0, c.getStrides(), c.getDilations());
        })
        .Case([&](linalg::Conv2DNhwcHwcfOp c) {
          return convertConv(c, rw, 1, c.getStrides(), c.getDilations());
        })
        .Case([&](linalg::Conv2DNhwcFhwcOp c) {
          return convertConv(c, rw, 2, c.getStrides(), c.getDilations());
        })
        .Case([&](linalg::DepthwiseConv2DNhwcHwcOp c) {
          return convertConv(c, rw, 3, c.getStrides(), c.getDilations());
        })
        .Case([&](linalg::DepthwiseConv2DNchwChwOp c) {
          return convertConv(c, rw, 4, c.getStrides(), c.getDilations());
        })
        .Case([&](linalg::DepthwiseConv2DNhwcHwcmOp c) {
          return convertConv(c, rw, 5, c.getStrides(), c.getDilations());
        })
        .Case([&](linalg::PoolingNchwMaxOp p) {
          return convertPool(p, rw, true, true, p.getStrides(),
                             p.getDilations());
        })
        .Case([&](linalg::PoolingNhwcMaxOp p) {
          return convertPool(p, rw, false, true, p.getStrides(),
                             p.getDilations());
        })
        .Case([&](linalg::PoolingNchwSumOp p) {
          return convertPool(p, rw, true, false, p.getStrides(),
                             p.getDilations());
        })
        .Case([&](linalg::PoolingNhwcSumOp p) {
          return convertPool(p, rw, false, false, p.getStrides(),
                             p.getDilations());
        })
        .Case([&](linalg::ReduceOp r) { return convertReduce(r, rw); })
        .Case([&](linalg::TransposeOp t) {
          rw.replaceOp(t, dojo::TransposeOp::create(
                              rw, t.getLoc(), t.getResult()[0].getType(),
                              t.getInput(),
                              rw.getDenseI64ArrayAttr(t.getPermutation()))
                              .getResult());
          return success();
        })
        .Case<tensor::CollapseShapeOp, tensor::ExpandShapeOp>([&](auto r) {
          rw.replaceOp(r, dojo::ReshapeOp::create(rw, r.getLoc(),
                                                  r.getResultType(),
                                                  r.getSrc())
                              .getResult());
          return success();
        })
        .Case([&](tensor::ExtractSliceOp s) { return convertSlice(s, rw); })
        .Case([&](tensor::PadOp p) { return convertPad(p, rw); })
        .Case([&](tensor::ConcatOp c) {
          rw.replaceOp(c, dojo::ConcatOp::create(rw, c.getLoc(),
                                                 c.getResultType(),
                                                 c.getInputs(), c.getDim())
                              .getResult());
          return success();
        })
        .Default([&](Operation *o) { return unsupported(o); });
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rw(&getContext());
    SmallVector<Operation *> worklist;
    func.walk([&](Operation *op) {
      if ((isa<linalg::LinalgOp>(op) && !isa<linalg::FillOp>(op)) ||
          isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
              tensor::ExtractSliceOp, tensor::PadOp, tensor::ConcatOp>(op))
        worklist.push_back(op);
    });
    bool failed = false;
    for (Operation *op : worklist)
      if (!consumed.contains(op))
        failed |= mlir::failed(convert(op, rw));
    if (failed)
      return signalPassFailure();
    // Broadcasts were folded into their users; any that is still used
    // feeds something that does not broadcast.
    SmallVector<Operation *> broadcasts;
    func.walk([&](Operation *op) {
      if (asBroadcast(op))
        broadcasts.push_back(op);
    });
    for (Operation *op : llvm::reverse(broadcasts)) {
      if (op->use_empty()) {
        rw.eraseOp(op);
        continue;
      }
      op->emitOpError("is only supported when it feeds broadcasting "
                      "elementwise ops, a bias or an accumulator");
      failed = true;
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
