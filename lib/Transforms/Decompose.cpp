//===- Decompose.cpp - Rewrite graph ops into the ones the ISA lowers -----===//
//
// dojo-tile knows a small set of kernels (matmul with fused epilogues,
// vector elementwise ops on rank-1/2 tensors, row-wise softmax / layer_norm /
// reductions, rank-2 transposes) and convert-dojo-to-isa moves data at
// function level (reshape and contiguous slices are free aliases; slice,
// concat, pad and splat constants are DMA copies). This pass rewrites every
// other graph op into those, keeping the reference interpreter's numerics
// bit for bit:
//
//  1. NCHW convolutions, poolings and batch norms become NHWC ones between
//     transposes, and transposes are folded and sunk through elementwise
//     ops so that consecutive NCHW layers keep their activations in NHWC;
//  2. a convolution is pad + one strided window (view slice) per kernel
//     tap + a concat along channels (im2col in (kh, kw, c) order, the
//     conv's summation order) + a matmul; groups split channels, depthwise
//     convolutions use the vector unit;
//  3. pooling is pad + window slices + a max / add chain; global pooling
//     and every reduction, softmax and norm over other axes are transposes
//     and reshapes around the row-wise op;
//  4. batch_matmul is one matmul per batch over contiguous (free) slices;
//     transposed operands are rank-2 transposes;
//  5. elementwise ops of rank > 2 run on a rank-2 reshape.
//
//===----------------------------------------------------------------------===//

#include "dojo/Transforms/Passes.h"
#include "dojo/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>
#include <numeric>

namespace dojo {
#define GEN_PASS_DEF_DOJODECOMPOSE
#include "dojo/Transforms/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;

namespace {

int64_t product(ArrayRef<int64_t> a) {
  return std::accumulate(a.begin(), a.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type et) {
  return RankedTensorType::get(shape, et);
}
Type elemOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType();
}
ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// Builders for the graph ops the decompositions produce.
struct GraphBuilder {
  OpBuilder &b;
  Location loc;

  Value reshape(Value v, ArrayRef<int64_t> shape) {
    if (shapeOf(v) == shape)
      return v;
    return ReshapeOp::create(b, loc, tensorOf(shape, elemOf(v)), v);
  }
  Value transpose(Value v, ArrayRef<int64_t> perm) {
    SmallVector<int64_t> shape;
    for (int64_t p : perm)
      shape.push_back(shapeOf(v)[p]);
    return TransposeOp::create(b, loc, tensorOf(shape, elemOf(v)), v, perm);
  }
  Value slice(Value v, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
              ArrayRef<int64_t> strides) {
    return SliceOp::create(b, loc, tensorOf(sizes, elemOf(v)), v, offsets,
                           sizes, strides);
  }
  /// Rows [begin, begin + count) of axis 0 (contiguous: a free alias).
  Value rows(Value v, int64_t begin, int64_t count) {
    SmallVector<int64_t> off(shapeOf(v).size(), 0), sizes(shapeOf(v)),
        strides(shapeOf(v).size(), 1);
    off[0] = begin;
    sizes[0] = count;
    return slice(v, off, sizes, strides);
  }
  Value concat(ArrayRef<Value> parts, int64_t axis) {
    if (parts.size() == 1)
      return parts.front();
    SmallVector<int64_t> shape(shapeOf(parts.front()));
    shape[axis] = 0;
    for (Value p : parts)
      shape[axis] += shapeOf(p)[axis];
    return ConcatOp::create(b, loc, tensorOf(shape, elemOf(parts.front())),
                            parts, axis);
  }
  Value pad(Value v, ArrayRef<int64_t> low, ArrayRef<int64_t> high,
            float value) {
    if (llvm::all_of(low, [](int64_t x) { return x == 0; }) &&
        llvm::all_of(high, [](int64_t x) { return x == 0; }))
      return v;
    SmallVector<int64_t> shape;
    for (auto [d, s] : llvm::enumerate(shapeOf(v)))
      shape.push_back(s + low[d] + high[d]);
    return PadOp::create(b, loc, tensorOf(shape, elemOf(v)), v, low, high,
                         APFloat(value));
  }
  Value cast(Value v, Type et) {
    if (elemOf(v) == et)
      return v;
    return CastOp::create(b, loc, tensorOf(shapeOf(v), et), v);
  }
  Value splat(ArrayRef<int64_t> shape, Type et, float value) {
    auto t = tensorOf(shape, et);
    return arith::ConstantOp::create(
        b, loc, t, DenseElementsAttr::get(t, b.getFloatAttr(et, value)));
  }
  template <typename Op> Value binary(Value lhs, Value rhs) {
    // The result has the shape of the larger operand.
    Value big = shapeOf(lhs).size() >= shapeOf(rhs).size() &&
                        product(shapeOf(lhs)) >= product(shapeOf(rhs))
                    ? lhs
                    : rhs;
    return Op::create(b, loc, big.getType(), lhs, rhs);
  }
  Value matmul(Value lhs, Value rhs, Type et) {
    return MatmulOp::create(
        b, loc, tensorOf({shapeOf(lhs)[0], shapeOf(rhs)[1]}, et), lhs, rhs);
  }
};

SmallVector<int64_t> inversePerm(ArrayRef<int64_t> perm) {
  SmallVector<int64_t> inv(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inv[p] = i;
  return inv;
}

constexpr int64_t kToNHWC[] = {0, 2, 3, 1}, kToNCHW[] = {0, 3, 1, 2};

//===----------------------------------------------------------------------===//
// Transpose folding and sinking
//===----------------------------------------------------------------------===//

/// transpose(transpose(x, p), q) = transpose(x, p o q), or x.
struct FoldTransposePair : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rw) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    SmallVector<int64_t> perm;
    for (int64_t q : op.getPerm())
      perm.push_back(inner.getPerm()[q]);
    if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))) {
      rw.replaceOp(op, inner.getInput());
      return success();
    }
    rw.replaceOpWithNewOp<TransposeOp>(op, op.getType(), inner.getInput(),
                                       perm);
    return success();
  }
};

/// A transpose that keeps the order of the non-unit dimensions is a reshape.
struct TransposeToReshape : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rw) const override {
    auto in = op.getInput().getType();
    int64_t last = -1;
    for (int64_t p : op.getPerm()) {
      if (in.getDimSize(p) == 1)
        continue;
      if (p < last)
        return failure();
      last = p;
    }
    rw.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};

/// reshape(reshape(x)) = reshape(x); a reshape to the same type is x.
struct FoldReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rw) const override {
    if (op.getInput().getType() == op.getType()) {
      rw.replaceOp(op, op.getInput());
      return success();
    }
    auto inner = op.getInput().getDefiningOp<ReshapeOp>();
    if (!inner)
      return failure();
    rw.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), inner.getInput());
    return success();
  }
};

bool isElementwiseUnary(Operation *op) {
  return isa<ReluOp, SigmoidOp, TanhOp, ExpOp, LogOp, SqrtOp, RsqrtOp,
             ReciprocalOp, GeluOp, CastOp>(op);
}

/// unary(transpose(x)) = transpose(unary(x)); binary(transpose(a, p),
/// transpose(b, p)) = transpose(binary(a, b), p), also when one side is a
/// single element (a broadcast scalar is the same in either layout).
struct SinkTranspose : RewritePattern {
  SinkTranspose(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rw) const override {
    bool unary = isElementwiseUnary(op), binary = isLoweredBinary(op);
    if (!unary && !binary)
      return failure();
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    TransposeOp t;
    SmallVector<Value> newOperands;
    for (Value v : op->getOperands()) {
      auto ty = cast<RankedTensorType>(v.getType());
      if (auto vt = v.getDefiningOp<TransposeOp>();
          vt && ty.getShape() == resTy.getShape()) {
        if (t && t.getPerm() != vt.getPerm())
          return failure();
        t = vt;
        newOperands.push_back(vt.getInput());
      } else if (ty.getNumElements() == 1) {
        newOperands.push_back(v);
      } else {
        return failure();
      }
    }
    if (!t)
      return failure();
    auto inTy = cast<RankedTensorType>(t.getInput().getType());
    OperationState state(op->getLoc(), op->getName(), newOperands,
                         {tensorOf(inTy.getShape(), resTy.getElementType())},
                         op->getAttrs());
    Operation *moved = rw.create(state);
    rw.replaceOpWithNewOp<TransposeOp>(op, resTy, moved->getResult(0),
                                       t.getPerm());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct DojoDecomposePass : dojo::impl::DojoDecomposeBase<DojoDecomposePass> {
  using DojoDecomposeBase::DojoDecomposeBase;

  /// The target, if the module has one: batched kernels (one grid point
  /// per batch and row block) are used when it has the cores for them.
  const MachineDesc *target = nullptr;
  int64_t maxCores = 0;
  int64_t batchedSplit(int64_t batches, int64_t rows, int64_t k, int64_t n,
                       int64_t eIn, int64_t eOut) {
    if (!target)
      return 0;
    return batchedRowSplit(*target, batches, rows, k, n, eIn, eOut, maxCores);
  }

  //--- 1. NCHW -> NHWC ------------------------------------------------------

  /// Rewrites `op` (NCHW) into its NHWC form between transposes. Returns the
  /// NHWC op so later steps decompose it.
  void toNHWC(Operation *op) {
    OpBuilder b(op);
    GraphBuilder g{b, op->getLoc()};
    auto res = cast<RankedTensorType>(op->getResult(0).getType());
    auto nhwcTy = tensorOf({res.getDimSize(0), res.getDimSize(2),
                            res.getDimSize(3), res.getDimSize(1)},
                           res.getElementType());
    Value x = g.transpose(op->getOperand(0), kToNHWC);
    Operation *nhwc = nullptr;
    if (auto conv = dyn_cast<Conv2DOp>(op)) {
      Value w = g.transpose(conv.getFilter(), {2, 3, 1, 0}); // OIHW -> HWIO
      nhwc = Conv2DOp::create(b, op->getLoc(), nhwcTy, x, w, conv.getBias(),
                              Layout::NHWC, conv.getStrides(),
                              conv.getPadding(), conv.getDilations(),
                              conv.getGroups());
    } else {
      nhwc = b.clone(*op);
      nhwc->setOperand(0, x);
      nhwc->getResult(0).setType(nhwcTy);
      if (auto bn = dyn_cast<BatchNormOp>(nhwc))
        bn.setAxis(3);
      else
        nhwc->setAttr("layout", LayoutAttr::get(op->getContext(),
                                                Layout::NHWC));
    }
    op->getResult(0).replaceAllUsesWith(
        g.transpose(nhwc->getResult(0), kToNCHW));
    op->erase();
  }

  //--- 2. Convolution --------------------------------------------------------

  LogicalResult decomposeConv(Conv2DOp conv) {
    OpBuilder b(conv);
    GraphBuilder g{b, conv.getLoc()};
    auto in = conv.getInput().getType(), w = conv.getFilter().getType();
    auto res = conv.getResult().getType();
    Type et = res.getElementType();
    int64_t N = in.getDimSize(0), C = in.getDimSize(3);
    int64_t KH = w.getDimSize(0), KW = w.getDimSize(1), Cg = w.getDimSize(2),
            O = w.getDimSize(3);
    int64_t OH = res.getDimSize(1), OW = res.getDimSize(2);
    int64_t G = conv.getGroups(), Og = O / G, M = N * OH * OW;
    ArrayRef<int64_t> s = conv.getStrides(), p = conv.getPadding(),
                      dil = conv.getDilations();
    // Pad exactly what the windows read (the low side from the attribute).
    int64_t needH = (OH - 1) * s[0] + (KH - 1) * dil[0] + 1;
    int64_t needW = (OW - 1) * s[1] + (KW - 1) * dil[1] + 1;
    int64_t H = in.getDimSize(1), W = in.getDimSize(2);
    // A window product computes Hp x Wp positions per image (below) for
    // OH x OW outputs: worth it while that is at most 5/4 as many
    // (measured on d1 at batch 8, 3x3, window against im2col: 14x14
    // (1.15) 19.9K against 22.8K cycles, 7x7 (1.31) 22.2K against 19.3K;
    // 56x56 and 28x28 (1.04, 1.07) gain most).
    //
    // Images and rows share their padding: per image the flattened padded
    // input is the top pad's zero rows, H image rows and zero rows up to
    // gh, the larger of the top and bottom pads; each row likewise the
    // left pad's zeros, W pixels and zeros up to gw. A window running off a
    // row's right end reads the next row's leading zeros, and one running
    // off an image's bottom the next image's top zeros, so (H + gh) x
    // (W + gw) positions per image suffice (14x14 3x3: 225 against 256
    // with each side padded on its own), and output (y, x) is position
    // (y, x) of its image.
    int64_t padB = std::max<int64_t>(0, needH - H - p[0]),
            padR = std::max<int64_t>(0, needW - W - p[1]);
    int64_t gh = std::max(p[0], padB), gw = std::max(p[1], padR);
    int64_t Hp = H + gh, Wp = W + gw;
    if (windowConvs && G == 1 && s[0] == 1 && s[1] == 1 && dil[0] == 1 &&
        dil[1] == 1 && KH * KW > 1 && C % 4 == 0 && et.isBF16() &&
        in.getElementType().isBF16() && OH <= Hp && OW <= Wp &&
        4 * Hp * Wp <= 5 * OH * OW) {
      // A window product over the flattened padded input; one more zero
      // image at the end keeps the last image's windows inside it.
      Value xz = g.pad(conv.getInput(), {0, p[0], p[1], 0},
                       {1, gh - p[0], gw - p[1], 0}, 0.0f);
      Value flat = g.reshape(xz, {(N + 1) * Hp * Wp, C});
      SmallVector<int64_t> offsets;
      for (int64_t kh = 0; kh < KH; ++kh)
        for (int64_t kw = 0; kw < KW; ++kw)
          offsets.push_back(kh * Wp + kw);
      Value wflat = g.reshape(conv.getFilter(), {KH * KW * C, O});
      // The bias in FP32 before the product, so that dojo-tile can fuse
      // its add into the product's kernel (an epilogue operand must exist
      // before the kernel).
      Value bias = conv.getBias();
      Value biasF32 = bias ? g.cast(bias, b.getF32Type()) : Value();
      Value prod = MatmulOp::create(
          b, conv.getLoc(),
          RankedTensorType::get({N * Hp * Wp, O},
                                bias ? Type(b.getF32Type()) : et),
          flat, wflat, false, false, b.getDenseI64ArrayAttr(offsets));
      if (bias) {
        prod = g.binary<AddOp>(prod, biasF32);
        prod = g.cast(prod, et);
      }
      Value all = g.reshape(prod, {N, Hp, Wp, O});
      Value out = g.slice(all, {0, 0, 0, 0}, {N, OH, OW, O}, {1, 1, 1, 1});
      conv.getResult().replaceAllUsesWith(g.reshape(out, res.getShape()));
      conv.erase();
      return success();
    }
    Value x = g.pad(conv.getInput(), {0, p[0], p[1], 0},
                    {0, std::max<int64_t>(0, needH - H - p[0]),
                     std::max<int64_t>(0, needW - W - p[1]), 0},
                    0.0f);
    Value bias = conv.getBias();
    Type accTy = bias ? Type(b.getF32Type()) : et;

    // One window of the padded input per tap: [N, OH, OW, c] at channel c0.
    auto window = [&](int64_t kh, int64_t kw, int64_t c0, int64_t c) {
      return g.slice(x, {0, kh * dil[0], kw * dil[1], c0}, {N, OH, OW, c},
                     {1, s[0], s[1], 1});
    };
    Value out;
    if (G > 1 && Cg == 1 && Og == 1) {
      // Depthwise: y[., c] = sum over taps of x_tap[., c] * w[tap, c], on
      // the vector unit in FP32 (exact products), in (kh, kw) order from +0.
      // Unit stride, with at most 3/2 as many padded positions as outputs:
      // over every position of the flattened padded input (one more zero
      // image at the end), where tap (kh, kw) is the contiguous run of rows
      // from kh * Wp + kw on (an alias, not a copy), and one slice of the
      // valid positions at the end; else one strided window copy per tap.
      Type f32 = b.getF32Type();
      Value wf = g.cast(g.reshape(conv.getFilter(), {KH * KW, C}), f32);
      int64_t dwPositions = needH * needW;
      bool flatWindows = s[0] == 1 && s[1] == 1 && KH * KW > 1 &&
                         2 * dwPositions <= 3 * OH * OW;
      Value flat;
      int64_t Hp = 0, Wp = 0, rowsOut = M;
      if (flatWindows) {
        Value xz = g.pad(conv.getInput(), {0, p[0], p[1], 0},
                         {1, std::max<int64_t>(0, needH - H - p[0]),
                          std::max<int64_t>(0, needW - W - p[1]), 0},
                         0.0f);
        auto xzTy = cast<RankedTensorType>(xz.getType());
        Hp = xzTy.getDimSize(1), Wp = xzTy.getDimSize(2);
        flat = g.reshape(xz, {(N + 1) * Hp * Wp, C});
        rowsOut = N * Hp * Wp;
      }
      Value acc;
      for (int64_t kh = 0; kh < KH; ++kh)
        for (int64_t kw = 0; kw < KW; ++kw) {
          Value tap =
              flatWindows
                  ? g.rows(flat, kh * dil[0] * Wp + kw * dil[1], rowsOut)
                  : g.reshape(window(kh, kw, 0, C), {M, C});
          Value xt = g.cast(tap, f32);
          Value wt = g.rows(wf, kh * KW + kw, 1);
          Value prod = g.binary<MulOp>(xt, wt);
          acc = acc ? g.binary<AddOp>(acc, prod)
                    : g.binary<AddOp>(g.splat({rowsOut, C}, f32, 0.0f), prod);
        }
      if (bias)
        acc = g.binary<AddOp>(acc, g.cast(bias, f32));
      out = g.cast(acc, et);
      if (flatWindows)
        out = g.slice(g.reshape(out, {N, Hp, Wp, C}), {0, 0, 0, 0},
                      {N, OH, OW, C}, {1, 1, 1, 1});
      conv.getResult().replaceAllUsesWith(g.reshape(out, res.getShape()));
      conv.erase();
      return success();
    }
    bool pointwise = KH == 1 && KW == 1 && s[0] == 1 && s[1] == 1 &&
                     x == conv.getInput();
    // The bias in FP32 before the products, so that dojo-tile can fuse the
    // bias add (and the rounding and an activation after it) into the
    // product's kernel: an operand defined after the product is not one a
    // kernel can take.
    Value biasF32 = bias ? g.cast(bias, b.getF32Type()) : Value();
    SmallVector<Value> groups;
    for (int64_t gi = 0; gi < G; ++gi) {
      Value cols;
      if (pointwise && G == 1) {
        cols = g.reshape(x, {M, C}); // a 1x1 convolution reads x as is
      } else {
        SmallVector<Value> taps;
        for (int64_t kh = 0; kh < KH; ++kh)
          for (int64_t kw = 0; kw < KW; ++kw)
            taps.push_back(window(kh, kw, gi * Cg, Cg));
        cols = g.reshape(g.concat(taps, 3), {M, KH * KW * Cg});
      }
      Value wg = conv.getFilter();
      if (G > 1)
        wg = g.slice(wg, {0, 0, 0, gi * Og}, {KH, KW, Cg, Og}, {1, 1, 1, 1});
      wg = g.reshape(wg, {KH * KW * Cg, Og});
      groups.push_back(g.matmul(cols, wg, accTy));
    }
    out = g.concat(groups, 1);
    if (bias) {
      // acc + bias in FP32, then one rounding (the conv's numerics).
      out = g.binary<AddOp>(out, biasF32);
      out = g.cast(out, et);
    }
    conv.getResult().replaceAllUsesWith(g.reshape(out, res.getShape()));
    conv.erase();
    return success();
  }

  //--- 3. Pooling and norms ---------------------------------------------------

  template <typename PoolOp>
  LogicalResult decomposePool(PoolOp pool, bool max) {
    bool includePad = false;
    if constexpr (std::is_same_v<PoolOp, AvgPool2DOp>)
      includePad = pool.getCountIncludePad();
    OpBuilder b(pool);
    GraphBuilder g{b, pool.getLoc()};
    auto in = pool.getInput().getType();
    auto res = pool.getResult().getType();
    Type et = res.getElementType(), f32 = b.getF32Type();
    int64_t N = in.getDimSize(0), H = in.getDimSize(1), W = in.getDimSize(2),
            C = in.getDimSize(3);
    int64_t OH = res.getDimSize(1), OW = res.getDimSize(2);
    ArrayRef<int64_t> k = pool.getKernel(), s = pool.getStrides(),
                      p = pool.getPadding();
    int64_t needH = (OH - 1) * s[0] + k[0], needW = (OW - 1) * s[1] + k[1];
    SmallVector<int64_t> lo = {0, p[0], p[1], 0},
                         hi = {0, std::max<int64_t>(0, needH - H - p[0]),
                               std::max<int64_t>(0, needW - W - p[1]), 0};
    int64_t M = N * OH * OW;
    auto taps = [&](Value padded) {
      SmallVector<Value> out;
      for (int64_t kh = 0; kh < k[0]; ++kh)
        for (int64_t kw = 0; kw < k[1]; ++kw)
          out.push_back(g.reshape(
              g.slice(padded, {0, kh, kw, 0}, {N, OH, OW, C},
                      {1, s[0], s[1], 1}),
              {M, C}));
      return out;
    };
    Value acc;
    if (max) {
      // Padding is -inf, which max ignores (the reference skips it).
      float ninf = -std::numeric_limits<float>::infinity();
      for (Value t : taps(g.pad(pool.getInput(), lo, hi, ninf)))
        acc = acc ? g.binary<MaxOp>(acc, t) : t;
      acc = g.cast(acc, et);
    } else {
      // Sum from +0 in FP32; padding adds +0. Divided by the window size or
      // by the count of real inputs (the same sum over a tensor of ones).
      Value x = g.cast(pool.getInput(), f32);
      acc = g.splat({M, C}, f32, 0.0f);
      for (Value t : taps(g.pad(x, lo, hi, 0.0f)))
        acc = g.binary<AddOp>(acc, t);
      Value count;
      if (includePad) {
        count = g.splat({1}, f32, float(k[0] * k[1]));
      } else {
        count = g.splat({M, C}, f32, 0.0f);
        Value ones = g.splat({N, H, W, C}, f32, 1.0f);
        for (Value t : taps(g.pad(ones, lo, hi, 0.0f)))
          count = g.binary<AddOp>(count, t);
      }
      acc = g.cast(g.binary<DivOp>(acc, count), et);
    }
    pool.getResult().replaceAllUsesWith(g.reshape(acc, res.getShape()));
    pool.erase();
    return success();
  }

  /// Global pooling (NHWC): the [N, H*W, C] images transposed to
  /// [N, C, H*W] by one batched transpose and reduced along the rows of
  /// its [N*C, H*W] view (each value's reduction runs over the same H*W
  /// inputs in the same order as the reference's).
  template <typename Reduce, typename PoolOp>
  LogicalResult decomposeGlobalPool(PoolOp pool) {
    OpBuilder b(pool);
    GraphBuilder g{b, pool.getLoc()};
    auto in = pool.getInput().getType();
    int64_t N = in.getDimSize(0), HW = in.getDimSize(1) * in.getDimSize(2),
            C = in.getDimSize(3);
    Type et = in.getElementType();
    Value x = g.reshape(pool.getInput(), {N, HW, C});
    Value t = g.reshape(g.transpose(x, {0, 2, 1}), {N * C, HW});
    Value out = Reduce::create(b, pool.getLoc(), tensorOf({N * C}, et), t,
                               ArrayRef<int64_t>{1});
    pool.getResult().replaceAllUsesWith(
        g.reshape(out, pool.getResult().getType().getShape()));
    pool.erase();
    return success();
  }

  /// Inference batch norm over the last axis, in the reference's FP32 steps:
  /// rs = rsqrt(var + eps); ((x - mean) * rs) * gamma + beta, rounded once.
  LogicalResult decomposeBatchNorm(BatchNormOp bn) {
    OpBuilder b(bn);
    GraphBuilder g{b, bn.getLoc()};
    auto in = bn.getInput().getType();
    Type f32 = b.getF32Type(), et = in.getElementType();
    int64_t axis = bn.getAxis(), rank = in.getRank();
    int64_t C = in.getDimSize(axis);
    // Channels last: [rows, C] with the parameters as rows. Any other axis:
    // the parameters shaped [1, .., C, .., 1] (a broadcast the elementwise
    // sweep materializes).
    bool last = axis == rank - 1;
    SmallVector<int64_t> pshape(rank, 1);
    pshape[axis] = C;
    Value x = last ? g.reshape(bn.getInput(), {in.getNumElements() / C, C})
                   : bn.getInput();
    x = g.cast(x, f32);
    auto param = [&](Value v) {
      v = g.cast(v, f32);
      return last ? v : g.reshape(v, pshape);
    };
    Value var = g.cast(bn.getVariance(), f32);
    Value eps = g.splat({1}, f32, bn.getEpsilon().convertToFloat());
    Value rs = RsqrtOp::create(b, bn.getLoc(), var.getType(),
                               g.binary<AddOp>(var, eps));
    if (!last)
      rs = g.reshape(rs, pshape);
    Value y = g.binary<SubOp>(x, param(bn.getMean()));
    y = g.binary<MulOp>(y, rs);
    y = g.binary<MulOp>(y, param(bn.getGamma()));
    y = g.binary<AddOp>(y, param(bn.getBeta()));
    bn.getResult().replaceAllUsesWith(
        g.reshape(g.cast(y, et), in.getShape()));
    bn.erase();
    return success();
  }

  /// Moves `axes` (ascending) of `v` to the end (keeping their order) and
  /// flattens to [kept, reduced]. Returns the 2-D value and the kept shape.
  Value toRows(GraphBuilder &g, Value v, ArrayRef<int64_t> axes,
               SmallVectorImpl<int64_t> &kept) {
    ArrayRef<int64_t> shape = shapeOf(v);
    SmallVector<int64_t> perm;
    int64_t inner = 1;
    for (int64_t d = 0; d < (int64_t)shape.size(); ++d)
      if (!llvm::is_contained(axes, d)) {
        perm.push_back(d);
        kept.push_back(shape[d]);
      }
    for (int64_t a : axes) {
      perm.push_back(a);
      inner *= shape[a];
    }
    if (!llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
      v = transposeAny(g, v, perm);
    return g.reshape(v, {product(kept), inner});
  }

  /// softmax / layer_norm / reductions that are not already row-wise.
  LogicalResult decomposeRowwise(Operation *op) {
    OpBuilder b(op);
    GraphBuilder g{b, op->getLoc()};
    Value x = op->getOperand(0);
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t rank = shapeOf(x).size();
    SmallVector<int64_t> kept;
    Value out;
    if (auto sm = dyn_cast<SoftmaxOp>(op)) {
      int64_t axis = int64_t(sm.getAxis());
      Value rows = toRows(g, x, {axis}, kept);
      Value r = SoftmaxOp::create(b, op->getLoc(), rows.getType(), rows,
                                  b.getI64IntegerAttr(1));
      // Back: [kept..., axis] -> original order.
      SmallVector<int64_t> shape(kept);
      shape.push_back(shapeOf(x)[axis]);
      out = g.reshape(r, shape);
      SmallVector<int64_t> perm;
      for (int64_t d = 0; d < rank; ++d)
        if (d != axis)
          perm.push_back(d);
      perm.push_back(axis);
      if (axis != rank - 1)
        out = transposeAny(g, out, inversePerm(perm));
    } else if (auto ln = dyn_cast<LayerNormOp>(op)) {
      int64_t axis = int64_t(ln.getAxis());
      SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(axis, rank));
      Value rows = toRows(g, x, axes, kept);
      int64_t inner = shapeOf(rows)[1];
      Value gamma = ln.getGamma(), beta = ln.getBeta();
      if (gamma)
        gamma = g.reshape(gamma, {inner});
      if (beta)
        beta = g.reshape(beta, {inner});
      Value r = LayerNormOp::create(b, op->getLoc(), rows.getType(), rows,
                                    gamma, beta, b.getI64IntegerAttr(1),
                                    ln.getEpsilonAttr());
      out = g.reshape(r, resTy.getShape());
    } else {
      auto axesAttr = op->getAttrOfType<DenseI64ArrayAttr>("axes");
      SmallVector<int64_t> axes;
      for (int64_t a : axesAttr.asArrayRef())
        axes.push_back(a < 0 ? a + rank : a);
      llvm::sort(axes);
      Value rows = toRows(g, x, axes, kept);
      auto rowsTy = tensorOf({shapeOf(rows)[0]}, resTy.getElementType());
      OperationState state(op->getLoc(), op->getName(), {rows}, {rowsTy});
      state.addAttribute("axes", b.getDenseI64ArrayAttr({1}));
      out = g.reshape(b.create(state)->getResult(0), resTy.getShape());
    }
    op->getResult(0).replaceAllUsesWith(out);
    op->erase();
    return success();
  }

  //--- 4. Transposes and matmuls ---------------------------------------------

  /// Any permutation as rank-2 transposes (one per leading batch) and a
  /// strided copy that keeps the last dimension. Unit dims are dropped and
  /// dims that stay adjacent are merged first (NHWC -> NCHW at batch 1 is
  /// one [H*W, C] transpose). Then, with j the new last dim: [pre, D_j,
  /// post] -> [pre, post, D_j], and the remaining permutation keeps D_j last.
  Value transposeAny(GraphBuilder &g, Value v, ArrayRef<int64_t> perm) {
    ArrayRef<int64_t> shape = shapeOf(v);
    SmallVector<int64_t> outShape;
    for (int64_t p : perm)
      outShape.push_back(shape[p]);
    // Groups of consecutive input dims that move together, in output order.
    SmallVector<SmallVector<int64_t>> groups;
    for (int64_t p : perm) {
      if (shape[p] == 1)
        continue;
      if (!groups.empty()) {
        int64_t prev = groups.back().back(), q = prev + 1;
        while (q < p && shape[q] == 1)
          ++q;
        if (q == p) {
          groups.back().push_back(p);
          continue;
        }
      }
      groups.push_back({p});
    }
    if (groups.size() <= 1)
      return g.reshape(v, outShape);
    SmallVector<int64_t> order(groups.size()); // groups in input order
    std::iota(order.begin(), order.end(), 0);
    llvm::sort(order, [&](int64_t a, int64_t b) {
      return groups[a].front() < groups[b].front();
    });
    SmallVector<int64_t> rshape, rperm(groups.size());
    for (auto [pos, gi] : llvm::enumerate(order)) {
      int64_t size = 1;
      for (int64_t d : groups[gi])
        size *= shape[d];
      rshape.push_back(size);
      rperm[gi] = pos;
    }
    Value x = g.reshape(v, rshape);
    int64_t rank = rshape.size(), j = rperm.back();
    Value moved;
    if (j == rank - 1) {
      moved = g.transpose(x, rperm); // last dim stays: a strided copy
    } else {
      int64_t pre = product(ArrayRef<int64_t>(rshape).take_front(j)),
              dj = rshape[j],
              post = product(ArrayRef<int64_t>(rshape).drop_front(j + 1));
      int64_t e = elementBytes(elemOf(v));
      if (pre > 1 && batchedSplit(pre, dj, 0, post, e, e) > 0) {
        // One batched transpose kernel (dojo-tile).
        moved = g.transpose(g.reshape(x, {pre, dj, post}), {0, 2, 1});
      } else {
        Value flat = g.reshape(x, {pre * dj, post});
        SmallVector<Value> parts;
        for (int64_t i = 0; i < pre; ++i)
          parts.push_back(g.transpose(
              pre == 1 ? flat : g.rows(flat, i * dj, dj), {1, 0}));
        moved = g.concat(parts, 0); // [pre * post, dj]
      }
      // Its dims: (dims < j, dims > j, j).
      SmallVector<int64_t> dims, movedShape;
      for (int64_t d = 0; d < rank; ++d)
        if (d != j)
          dims.push_back(d);
      dims.push_back(j);
      for (int64_t d : dims)
        movedShape.push_back(rshape[d]);
      moved = g.reshape(moved, movedShape);
      SmallVector<int64_t> rest;
      for (int64_t p : rperm)
        rest.push_back(llvm::find(dims, p) - dims.begin());
      if (!llvm::equal(rest, llvm::seq<int64_t>(0, rank)))
        moved = g.transpose(moved, rest);
    }
    return g.reshape(moved, outShape);
  }

  /// True if dojo-tile or convert-dojo-to-isa handles this transpose.
  bool isLoweredTranspose(TransposeOp t) {
    int64_t rank = t.getPerm().size();
    if (rank == 2 || t.getPerm().back() == rank - 1)
      return true;
    auto in = t.getInput().getType();
    int64_t e = elementBytes(in.getElementType());
    return t.getPerm() == ArrayRef<int64_t>{0, 2, 1} &&
           batchedSplit(in.getDimSize(0), in.getDimSize(1), 0,
                        in.getDimSize(2), e, e) > 0;
  }

  LogicalResult decomposeMatmul(MatmulOp mm) {
    OpBuilder b(mm);
    GraphBuilder g{b, mm.getLoc()};
    Value lhs = mm.getLhs(), rhs = mm.getRhs();
    if (mm.getTransposeLhs())
      lhs = g.transpose(lhs, {1, 0});
    if (mm.getTransposeRhs())
      rhs = g.transpose(rhs, {1, 0});
    mm.getResult().replaceAllUsesWith(
        g.matmul(lhs, rhs, mm.getType().getElementType()));
    mm.erase();
    return success();
  }

  LogicalResult decomposeBatchMatmul(BatchMatmulOp bmm) {
    OpBuilder b(bmm);
    GraphBuilder g{b, bmm.getLoc()};
    auto resTy = bmm.getType();
    int64_t B = resTy.getDimSize(0), M = resTy.getDimSize(1),
            N = resTy.getDimSize(2);
    auto lt = bmm.getLhs().getType(), rt = bmm.getRhs().getType();
    int64_t K = bmm.getTransposeLhs() ? lt.getDimSize(1) : lt.getDimSize(2);
    if (batchedSplit(B, M, K, N, elementBytes(lt.getElementType()),
                     elementBytes(resTy.getElementType())) > 0) {
      // A batched kernel (dojo-tile); transposed operands become batched
      // transposes first.
      if (!bmm.getTransposeLhs() && !bmm.getTransposeRhs())
        return success();
      Value lhs = bmm.getLhs(), rhs = bmm.getRhs();
      if (bmm.getTransposeLhs())
        lhs = transposeAny(g, lhs, {0, 2, 1});
      if (bmm.getTransposeRhs())
        rhs = transposeAny(g, rhs, {0, 2, 1});
      bmm.getResult().replaceAllUsesWith(
          BatchMatmulOp::create(b, bmm.getLoc(), resTy, lhs, rhs));
      bmm.erase();
      return success();
    }
    Value lhs = g.reshape(bmm.getLhs(), {lt.getDimSize(0) * lt.getDimSize(1),
                                         lt.getDimSize(2)});
    Value rhs = g.reshape(bmm.getRhs(), {rt.getDimSize(0) * rt.getDimSize(1),
                                         rt.getDimSize(2)});
    SmallVector<Value> parts;
    for (int64_t i = 0; i < B; ++i) {
      int64_t li = lt.getDimSize(0) == 1 ? 0 : i,
              ri = rt.getDimSize(0) == 1 ? 0 : i;
      Value a = g.rows(lhs, li * lt.getDimSize(1), lt.getDimSize(1));
      Value c = g.rows(rhs, ri * rt.getDimSize(1), rt.getDimSize(1));
      if (bmm.getTransposeLhs())
        a = g.transpose(a, {1, 0});
      if (bmm.getTransposeRhs())
        c = g.transpose(c, {1, 0});
      parts.push_back(g.matmul(a, c, resTy.getElementType()));
    }
    bmm.getResult().replaceAllUsesWith(
        g.reshape(g.concat(parts, 0), {B, M, N}));
    bmm.erase();
    return success();
  }

  //--- 5. Elementwise ops of rank > 2 ---------------------------------------

  /// True if `t` broadcasts along the last axis of `res`: one value per
  /// row ([..., R, 1] against [..., R, N], N > 1).
  static bool isColumn(RankedTensorType t, RankedTensorType res) {
    int64_t rank = res.getRank();
    if (rank < 2)
      return false;
    int64_t last = res.getDimSize(rank - 1);
    if (last == 1 || t.getRank() < 1 ||
        t.getDimSize(t.getRank() - 1) != 1 ||
        t.getNumElements() != res.getNumElements() / last ||
        t.getNumElements() == 1)
      return false;
    // The leading dims must match the result's (ignoring leading 1s).
    SmallVector<int64_t> a, r;
    for (int64_t d : t.getShape().drop_back())
      if (d != 1 || !a.empty())
        a.push_back(d);
    for (int64_t d : res.getShape().drop_back())
      if (d != 1 || !r.empty())
        r.push_back(d);
    return a == r;
  }

  /// A binary op with a column operand (one value per row) runs on the
  /// transposed tensor, where the column is a row: [rows, N] -> [N, rows],
  /// op with the row broadcast, transposed back; elementwise ops commute
  /// with transposition bit for bit. The broadcast must end up second:
  /// commutative ops swap, `col - x` is `(x * -1) + col` (exact).
  LogicalResult columnBroadcast(Operation *op) {
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t rank = resTy.getRank(), last = resTy.getDimSize(rank - 1);
    int64_t rows = resTy.getNumElements() / last;
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    auto lt = cast<RankedTensorType>(lhs.getType());
    auto rt = cast<RankedTensorType>(rhs.getType());
    bool colL = isColumn(lt, resTy), colR = isColumn(rt, resTy);
    auto okOther = [&](RankedTensorType t) {
      return t.getShape() == resTy.getShape() || t.getNumElements() == 1;
    };
    if (colL == colR || !okOther(colL ? rt : lt))
      return op->emitOpError("broadcast of ")
             << (colL ? lt : rt) << " and " << (colL ? rt : lt) << " to "
             << resTy << " is not supported by the vector unit";
    OpBuilder b(op);
    GraphBuilder g{b, op->getLoc()};
    auto prep = [&](Value v) -> Value {
      auto t = cast<RankedTensorType>(v.getType());
      if (isColumn(t, resTy))
        return g.reshape(v, {rows});
      if (t.getNumElements() == 1)
        return g.reshape(v, {1});
      return g.transpose(g.reshape(v, {rows, last}), {1, 0});
    };
    Value a = prep(lhs), c = prep(rhs);
    Type et = resTy.getElementType();
    auto tTy = tensorOf({last, rows}, et);
    Value out;
    if (colL) {
      if (isCommutative(op)) {
        std::swap(a, c);
      } else if (isa<SubOp>(op)) {
        // col - x = (-x) + col, exactly (negation is exact).
        Value neg = MulOp::create(b, op->getLoc(), c.getType(), c,
                                  g.splat({1}, elemOf(c), -1.0f));
        out = AddOp::create(b, op->getLoc(), tTy, neg, a);
      }
      // Otherwise the transposed op has a row as its first operand, which
      // convert-dojo-to-isa lowers row by row.
    }
    if (!out) {
      OperationState state(op->getLoc(), op->getName(), {a, c}, {tTy},
                           op->getAttrs());
      out = b.create(state)->getResult(0);
    }
    op->getResult(0).replaceAllUsesWith(
        g.reshape(g.transpose(out, {1, 0}), resTy.getShape()));
    op->erase();
    return success();
  }

  /// Repeats `v` along every dim where it is 1 and `res` is not (a concat
  /// of copies per dim: data movement that reads `v` in place).
  Value materializeBroadcast(GraphBuilder &g, Value v, RankedTensorType res) {
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(res.getRank() - t.getRank(), 1);
    llvm::append_range(shape, t.getShape());
    v = g.reshape(v, shape);
    for (int64_t d = res.getRank() - 1; d >= 0; --d)
      if (shape[d] == 1 && res.getDimSize(d) > 1) {
        SmallVector<Value> copies(res.getDimSize(d), v);
        v = g.concat(copies, d);
        shape[d] = res.getDimSize(d);
      }
    return v;
  }

  LogicalResult flattenElementwise(Operation *op) {
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t rank = resTy.getRank();
    if (isLoweredBinary(op)) {
      // Broadcasts other than full, scalar, row (last dims) or column are
      // materialized first.
      OpBuilder b(op);
      GraphBuilder g{b, op->getLoc()};
      int64_t last = rank ? resTy.getDimSize(rank - 1) : 1;
      bool column = llvm::any_of(op->getOperands(), [&](Value v) {
        return isColumn(cast<RankedTensorType>(v.getType()), resTy);
      });
      for (OpOperand &use : op->getOpOperands()) {
        auto t = cast<RankedTensorType>(use.get().getType());
        bool row = t.getNumElements() == last &&
                   (t.getRank() == 0 || t.getDimSize(t.getRank() - 1) == last);
        // A rank-0 scalar of a tensor op is a one-element row.
        if (t.getRank() == 0 && rank > 0)
          use.set(g.reshape(use.get(), {1}));
        if (t.getShape() == resTy.getShape() || t.getNumElements() == 1 ||
            isColumn(t, resTy))
          continue;
        if (row && column) {
          // An outer broadcast (a column against a row): the row is made
          // full first, as ones * row (bit for bit: x * 1 = x).
          // (In 2-D: this rewrite has passed the flattening.)
          Type et = t.getElementType();
          int64_t rows = resTy.getNumElements() / last;
          Value full = MulOp::create(b, op->getLoc(),
                                     tensorOf({rows, last}, et),
                                     g.splat({rows, last}, et, 1.0f),
                                     g.reshape(use.get(), {last}));
          use.set(g.reshape(full, resTy.getShape()));
          continue;
        }
        if (!row)
          use.set(materializeBroadcast(g, use.get(), resTy));
      }
    }
    if (isLoweredBinary(op) &&
        llvm::any_of(op->getOperands(), [&](Value v) {
          return isColumn(cast<RankedTensorType>(v.getType()), resTy);
        }))
      return columnBroadcast(op);
    if (rank == 0) {
      // A scalar op runs on one-element rows.
      OpBuilder b(op);
      GraphBuilder g{b, op->getLoc()};
      SmallVector<Value> operands;
      for (Value v : op->getOperands())
        operands.push_back(g.reshape(v, {1}));
      OperationState state(op->getLoc(), op->getName(), operands,
                           {tensorOf({1}, resTy.getElementType())},
                           op->getAttrs());
      op->getResult(0).replaceAllUsesWith(
          g.reshape(b.create(state)->getResult(0), {}));
      op->erase();
      return success();
    }
    if (rank <= 2)
      return success();
    OpBuilder b(op);
    GraphBuilder g{b, op->getLoc()};
    int64_t last = resTy.getDimSize(rank - 1);
    int64_t rows = resTy.getNumElements() / last;
    SmallVector<Value> operands;
    for (Value v : op->getOperands()) {
      auto t = cast<RankedTensorType>(v.getType());
      if (t.getShape() == resTy.getShape())
        operands.push_back(g.reshape(v, {rows, last}));
      else if (t.getNumElements() == 1)
        operands.push_back(g.reshape(v, {1}));
      else if (t.getNumElements() == last &&
               t.getDimSize(t.getRank() - 1) == last)
        operands.push_back(g.reshape(v, {last}));
      else
        return op->emitOpError("broadcast of ")
               << t << " to " << resTy
               << " is not a row broadcast; not supported by the vector unit";
    }
    OperationState state(op->getLoc(), op->getName(), operands,
                         {tensorOf({rows, last}, resTy.getElementType())},
                         op->getAttrs());
    Operation *flat = b.create(state);
    op->getResult(0).replaceAllUsesWith(
        g.reshape(flat->getResult(0), resTy.getShape()));
    op->erase();
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    if (TargetAttr t = TargetAttr::lookup(func)) {
      target = &t.getDesc();
      maxCores = maxPlaceableCores(*target, usePackedPlacement(func, *target));
    }

    // 1. NCHW layers to NHWC, then fold and sink the transposes.
    for (Operation &op : llvm::make_early_inc_range(func.getBody().front())) {
      auto layout = op.getAttrOfType<LayoutAttr>("layout");
      bool nchw = layout && layout.getValue() == Layout::NCHW;
      if (auto bn = dyn_cast<BatchNormOp>(op))
        nchw = bn.getInput().getType().getRank() == 4 && bn.getAxis() == 1;
      if (!nchw)
        continue;
      // A 1x1 unit-stride NCHW convolution at batch 1 without bias is
      // cheapest as W [O, C] x X [C, H*W] (no transposes).
      if (auto conv = dyn_cast<Conv2DOp>(op); conv && rewriteConv1x1Nchw(conv))
        continue;
      toNHWC(&op);
    }
    RewritePatternSet layout(ctx);
    layout.add<FoldTransposePair, TransposeToReshape, SinkTranspose,
               FoldReshapes>(ctx);
    // No folding or constant CSE: constants stay where their layer put
    // them (per-layer reports and locations stay meaningful).
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    if (failed(applyPatternsGreedily(func, std::move(layout), config)))
      return signalPassFailure();

    // 2-5. Decompose what the kernels do not cover.
    for (Operation &op : llvm::make_early_inc_range(func.getBody().front())) {
      LogicalResult r = success();
      if (auto conv = dyn_cast<Conv2DOp>(op))
        r = decomposeConv(conv);
      else if (auto p = dyn_cast<MaxPool2DOp>(op))
        r = decomposePool(p, true);
      else if (auto p = dyn_cast<AvgPool2DOp>(op))
        r = decomposePool(p, false);
      else if (auto p = dyn_cast<GlobalAvgPool2DOp>(op))
        r = decomposeGlobalPool<ReduceMeanOp>(p);
      else if (auto p = dyn_cast<GlobalMaxPool2DOp>(op))
        r = decomposeGlobalPool<ReduceMaxOp>(p);
      else if (auto bn = dyn_cast<BatchNormOp>(op))
        r = decomposeBatchNorm(bn);
      else if (auto bmm = dyn_cast<BatchMatmulOp>(op))
        r = decomposeBatchMatmul(bmm);
      else if (auto mm = dyn_cast<MatmulOp>(op);
               mm && (mm.getTransposeLhs() || mm.getTransposeRhs()))
        r = decomposeMatmul(mm);
      if (failed(r))
        return signalPassFailure();
    }
    // Second sweep: ops the first one produced, and the rest.
    for (Operation &op : llvm::make_early_inc_range(func.getBody().front())) {
      LogicalResult r = success();
      if (isa<SoftmaxOp, LayerNormOp, ReduceSumOp, ReduceMaxOp, ReduceMeanOp>(
              op) &&
          !isLoweredRowwise(&op)) {
        r = decomposeRowwise(&op);
      } else if (auto t = dyn_cast<TransposeOp>(op);
                 t && !isLoweredTranspose(t)) {
        OpBuilder b(t);
        GraphBuilder g{b, t.getLoc()};
        t.getResult().replaceAllUsesWith(
            transposeAny(g, t.getInput(), t.getPerm()));
        t.erase();
      }
      if (failed(r))
        return signalPassFailure();
    }
    for (Operation &op : llvm::make_early_inc_range(func.getBody().front()))
      if (isLoweredElementwise(&op) && failed(flattenElementwise(&op)))
        return signalPassFailure();
    RewritePatternSet cleanup(ctx);
    cleanup.add<FoldReshapes>(ctx);
    if (failed(applyPatternsGreedily(func, std::move(cleanup), config)))
      return signalPassFailure();
  }

  /// NCHW, batch 1, 1x1, unit strides, no padding, one group, no bias:
  /// [O, C] x [C, H*W] over aliased reshapes.
  bool rewriteConv1x1Nchw(Conv2DOp conv) {
    auto in = conv.getInput().getType(), w = conv.getFilter().getType();
    auto unit = [](ArrayRef<int64_t> a) {
      return llvm::all_of(a, [](int64_t v) { return v == 1; });
    };
    if (in.getDimSize(0) != 1 || conv.getBias() || conv.getGroups() != 1 ||
        !unit(conv.getStrides()) || !unit(conv.getDilations()) ||
        llvm::any_of(conv.getPadding(), [](int64_t v) { return v != 0; }) ||
        w.getDimSize(2) != 1 || w.getDimSize(3) != 1 ||
        in.getElementType() != w.getElementType())
      return false;
    OpBuilder b(conv);
    GraphBuilder g{b, conv.getLoc()};
    int64_t c = in.getDimSize(1), hw = in.getDimSize(2) * in.getDimSize(3),
            o = w.getDimSize(0);
    Value m = g.matmul(g.reshape(conv.getFilter(), {o, c}),
                       g.reshape(conv.getInput(), {c, hw}),
                       conv.getType().getElementType());
    conv.getResult().replaceAllUsesWith(
        g.reshape(m, conv.getType().getShape()));
    conv.erase();
    return true;
  }
};
} // namespace
