//===- Interpreter.cpp - Reference interpreter of the dojo graph ----------===//
//
// A deliberately simple, independent implementation of the graph-level
// semantics (it shares only the number-format routines of Numerics.h with
// the simulator). This file is compiled with -ffp-contract=off: every FP32
// product and sum below rounds on its own. The rules, op by op, are the ones
// in the op descriptions (DojoOps.td); in short:
//
//  * Contractions (matmul, batch_matmul, conv2d): exact products summed in
//    FP32 from +0 in a fixed order (matmul: ascending k; conv: ascending
//    (c, kh, kw)), conv bias added last, one rounding to the result type.
//  * Elementwise ops: FP32 on the exact operand values, one rounding.
//    Transcendentals go through Math.h (one place to switch to the
//    machine's approximations).
//  * Reductions, pooling, softmax and normalizations: FP32 sums from +0 in
//    ascending index order, divisions and rsqrt in FP32, one rounding.
//  * Data movement (transpose, reshape, concat, slice, pad, gather): exact
//    copies; gather clamps indices to the table.
//  * Integer and boolean tensors (compare, select, logical ops, convert,
//    argmax/argmin, reshape): exact, values held as int64 and wrapped to
//    their width.
//  * dojo.kernel: the body once per grid point on the tiles at
//    map(g) * tile_shape; the yielded tile is written at map(g) * tile_shape.
//  * dojo.barrier: no effect on values.
//
//===----------------------------------------------------------------------===//

#include "dojo/Reference/Interpreter.h"

#include "Dojo/DojoDialect.h"
#include "Math.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace dojo;
using namespace dojo::ref;

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<uint8_t> Tensor::toBytes() const {
  if (isInteger()) {
    std::vector<uint8_t> bytes(ints.size() * 4);
    for (size_t i = 0; i < ints.size(); ++i) {
      int32_t v = int32_t(std::clamp<int64_t>(ints[i], INT32_MIN, INT32_MAX));
      std::memcpy(bytes.data() + 4 * i, &v, 4);
    }
    return bytes;
  }
  int64_t n = static_cast<int64_t>(data.size());
  std::vector<uint8_t> bytes(size_t(n * num::dtypeBytes(dtype)));
  for (int64_t i = 0; i < n; ++i)
    num::storeFromF32(bytes.data(), dtype, i, data[size_t(i)]);
  return bytes;
}

static int64_t wrapTo(int64_t v, unsigned bits) {
  if (bits >= 64 || bits == 0)
    return v;
  if (bits == 1)
    return v & 1;
  uint64_t m = (uint64_t(1) << bits) - 1;
  uint64_t u = uint64_t(v) & m;
  uint64_t sign = uint64_t(1) << (bits - 1);
  return int64_t((u ^ sign) - sign);
}

void Tensor::wrapInts() {
  for (int64_t &v : ints)
    v = wrapTo(v, intBits);
}

Tensor Tensor::fromBytes(num::DType dtype, std::vector<int64_t> shape,
                         const std::vector<uint8_t> &bytes) {
  Tensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  int64_t n = t.numElements();
  // Only whole elements present in `bytes` are read; the rest stay 0.
  int64_t avail = static_cast<int64_t>(bytes.size()) / num::dtypeBytes(dtype);
  if (dtype == num::DType::I32) {
    t.intBits = 32;
    t.ints.assign(size_t(n), 0);
    for (int64_t i = 0; i < std::min(n, avail); ++i) {
      int32_t v;
      std::memcpy(&v, bytes.data() + 4 * i, 4);
      t.ints[size_t(i)] = v;
    }
    return t;
  }
  t.data.assign(size_t(n), 0.0f);
  for (int64_t i = 0; i < std::min(n, avail); ++i)
    t.data[size_t(i)] = num::loadAsF32(bytes.data(), dtype, i);
  return t;
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

/// Rounds an FP32 value to the nearest value of `t` (kept in FP32).
float roundToType(num::DType t, float v) {
  uint8_t buf[4];
  num::storeFromF32(buf, t, 0, v);
  return num::loadAsF32(buf, t, 0);
}

/// Element kind of a statically shaped ranked tensor type: F32 or BF16
/// floats, or (if `allowInt`) i32/i64 integers as I32 with their width.
FailureOr<num::DType> dtypeOf(Operation *op, Type type,
                              unsigned *intBits = nullptr) {
  auto rt = dyn_cast<RankedTensorType>(type);
  if (!rt || !rt.hasStaticShape())
    return op->emitError("reference interpreter needs statically shaped "
                         "ranked tensors, got ")
           << type;
  Type e = rt.getElementType();
  if (intBits)
    *intBits = 0;
  if (e.isF32())
    return num::DType::F32;
  if (isa<BFloat16Type>(e))
    return num::DType::BF16;
  // CFP8 at the default bias CSRs (docs/dialects.md): f8E4M3FN is cfp8_143
  // with bias 7, f8E5M2 cfp8_152 with bias 15, with the machine's
  // conversions (saturating on overflow).
  if (isa<Float8E4M3FNType>(e))
    return num::DType::CFP8_143;
  if (isa<Float8E5M2Type>(e))
    return num::DType::CFP8_152;
  if (intBits && (e.isSignlessInteger(1) || e.isSignlessInteger(8) ||
                  e.isSignlessInteger(16) || e.isSignlessInteger(32) ||
                  e.isSignlessInteger(64))) {
    *intBits = e.getIntOrFloatBitWidth();
    return num::DType::I32;
  }
  return op->emitError("reference interpreter does not support element "
                       "type ")
         << e;
}

std::vector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    s[size_t(d)] = s[size_t(d + 1)] * shape[size_t(d + 1)];
  return s;
}

int64_t product(ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

/// Empty result tensor of type `type` (which dtypeOf has accepted; an
/// integer tensor if `intBits` is not 0).
Tensor makeResult(num::DType dt, Type type, unsigned intBits = 0) {
  Tensor t;
  t.dtype = dt;
  auto shape = cast<RankedTensorType>(type).getShape();
  t.shape.assign(shape.begin(), shape.end());
  t.intBits = intBits;
  if (intBits)
    t.ints.assign(size_t(t.numElements()), 0);
  else
    t.data.assign(size_t(t.numElements()), 0.0f);
  return t;
}


/// Calls `f(offset)` for the row-major walk over `shape` where the offset
/// advances by `strides` (odometer order: last dimension fastest).
template <typename F>
void walk(ArrayRef<int64_t> shape, ArrayRef<int64_t> strides, int64_t base,
          F &&f) {
  const int64_t n = product(shape);
  const size_t rank = shape.size();
  std::vector<int64_t> idx(rank, 0);
  int64_t off = base;
  for (int64_t i = 0; i < n; ++i) {
    f(off);
    for (int64_t d = int64_t(rank) - 1; d >= 0; --d) {
      size_t u = size_t(d);
      if (++idx[u] < shape[u]) {
        off += strides[u];
        break;
      }
      off -= strides[u] * (shape[u] - 1);
      idx[u] = 0;
    }
  }
}

/// For every element of a result of shape `res` (row-major), the flat
/// offset of the element of an operand of shape `shape` that broadcasts to
/// it (NumPy rules on trailing dimensions; the caller has checked them).
std::vector<int64_t> broadcastOffsets(ArrayRef<int64_t> shape,
                                      ArrayRef<int64_t> res) {
  const size_t rank = res.size();
  std::vector<int64_t> strides(rank, 0);
  std::vector<int64_t> s = stridesOf(shape);
  size_t off = rank - shape.size();
  for (size_t d = 0; d < shape.size(); ++d)
    strides[off + d] = shape[d] == 1 ? 0 : s[d];
  std::vector<int64_t> out;
  out.reserve(size_t(product(res)));
  walk(res, strides, 0, [&](int64_t o) { out.push_back(o); });
  return out;
}

bool broadcastsTo(ArrayRef<int64_t> shape, ArrayRef<int64_t> res) {
  if (shape.size() > res.size())
    return false;
  size_t off = res.size() - shape.size();
  for (size_t d = 0; d < shape.size(); ++d)
    if (shape[d] != 1 && shape[d] != res[off + d])
      return false;
  return true;
}

/// Row-major C[m x n] = op(A) x op(B): exact products, FP32 sums from +0 in
/// ascending k, one rounding to `dt`.
void matmul2d(const float *a, const float *b, int64_t m, int64_t k, int64_t n,
              bool ta, bool tb, num::DType dt, float *c) {
  // Operands in the plain [m x k] and [k x n] layouts.
  std::vector<float> at, bt;
  if (ta) {
    at.resize(size_t(m * k));
    for (int64_t p = 0; p < k; ++p)
      for (int64_t i = 0; i < m; ++i)
        at[size_t(i * k + p)] = a[p * m + i];
    a = at.data();
  }
  if (tb) {
    bt.resize(size_t(k * n));
    for (int64_t j = 0; j < n; ++j)
      for (int64_t p = 0; p < k; ++p)
        bt[size_t(p * n + j)] = b[j * k + p];
    b = bt.data();
  }
  std::vector<float> acc(static_cast<size_t>(n));
  for (int64_t i = 0; i < m; ++i) {
    std::fill(acc.begin(), acc.end(), 0.0f); // +0
    for (int64_t p = 0; p < k; ++p) {
      const float x = a[i * k + p];
      const float *brow = b + p * n;
      for (int64_t j = 0; j < n; ++j)
        acc[size_t(j)] = acc[size_t(j)] + x * brow[j];
    }
    for (int64_t j = 0; j < n; ++j)
      c[i * n + j] = roundToType(dt, acc[size_t(j)]);
  }
}

/// Sizes of `shape` before, at and after `axis`.
struct AxisSplit {
  int64_t outer, len, inner;
};
AxisSplit splitAt(ArrayRef<int64_t> shape, int64_t axis) {
  return {product(shape.take_front(size_t(axis))), shape[size_t(axis)],
          product(shape.drop_front(size_t(axis) + 1))};
}

class Interpreter {
public:
  FailureOr<std::vector<Tensor>> runBlock(Block &block,
                                          ArrayRef<Tensor> args);

private:
  LogicalResult run(Operation *op);
  LogicalResult runKernel(KernelOp op);

  using UnaryFn = llvm::function_ref<float(float)>;
  using BinaryFn = llvm::function_ref<float(float, float)>;
  FailureOr<Tensor> unary(Operation *op, Value input, UnaryFn f);
  FailureOr<Tensor> binary(Operation *op, Value lhs, Value rhs, BinaryFn f);
  FailureOr<Tensor> matmul(MatmulOp op);
  FailureOr<Tensor> batchMatmul(BatchMatmulOp op);
  FailureOr<Tensor> conv2d(Conv2DOp op);
  FailureOr<Tensor> pool2d(Operation *op, Value input, ArrayRef<int64_t> kernel,
                           ArrayRef<int64_t> strides,
                           ArrayRef<int64_t> padding, Layout layout, bool max,
                           bool countIncludePad);
  FailureOr<Tensor> reduce(Operation *op, Value input, ArrayRef<int64_t> axes,
                           char kind);
  FailureOr<Tensor> softmax(SoftmaxOp op);
  FailureOr<Tensor> layerNorm(LayerNormOp op);
  FailureOr<Tensor> batchNorm(BatchNormOp op);
  FailureOr<Tensor> transpose(TransposeOp op);
  FailureOr<Tensor> concat(ConcatOp op);
  FailureOr<Tensor> slice(SliceOp op);
  FailureOr<Tensor> pad(PadOp op);
  FailureOr<Tensor> gather(GatherOp op);
  FailureOr<Tensor> copyAs(Operation *op, Value input, bool round);
  FailureOr<Tensor> compare(CompareOp op);
  FailureOr<Tensor> select(SelectOp op);
  FailureOr<Tensor> logical(Operation *op, Value lhs, Value rhs, char kind);
  FailureOr<Tensor> convert(ConvertOp op);
  FailureOr<Tensor> argReduce(Operation *op, Value input, int64_t axis,
                              bool lastIndex, bool max);

  const Tensor *lookup(Operation *op, Value v) {
    auto it = env.find(v);
    if (it == env.end()) {
      op->emitError("reference interpreter: operand has no value (defined "
                    "by an unsupported op?)");
      return nullptr;
    }
    return &it->second;
  }
  /// Checks that the tensor held for `v` matches `v`'s type.
  LogicalResult checkOperand(Operation *op, Value v, const Tensor &t) {
    unsigned bits = 0;
    FailureOr<num::DType> dt = dtypeOf(op, v.getType(), &bits);
    if (failed(dt))
      return failure();
    auto shape = cast<RankedTensorType>(v.getType()).getShape();
    if (*dt != t.dtype || bits != t.intBits || !llvm::equal(shape, t.shape))
      return op->emitError("reference interpreter: operand value does not "
                           "match its type ")
             << v.getType();
    return success();
  }
  /// The checked value of operand `v` of `op`, or null (error emitted).
  const Tensor *in(Operation *op, Value v) {
    const Tensor *t = lookup(op, v);
    if (!t || failed(checkOperand(op, v, *t)))
      return nullptr;
    return t;
  }
  /// A zero result tensor for `op`'s (float) result.
  /// A float tensor constant (splat or dense), rounded to its type.
  LogicalResult constant(arith::ConstantOp op) {
    auto dense = dyn_cast<DenseFPElementsAttr>(op.getValue());
    if (!dense)
      return op.emitError("reference interpreter supports only float tensor "
                          "constants");
    FailureOr<Tensor> t = out(op);
    if (failed(t))
      return failure();
    size_t i = 0;
    for (APFloat v : dense.getValues<APFloat>()) {
      bool lost = false;
      v.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      t->data[i++] = roundToType(t->dtype, v.convertToFloat());
    }
    env[op.getResult()] = std::move(*t);
    return success();
  }

  FailureOr<Tensor> out(Operation *op) {
    Type type = op->getResult(0).getType();
    FailureOr<num::DType> dt = dtypeOf(op, type);
    if (failed(dt))
      return failure();
    return makeResult(*dt, type);
  }
  /// A zero result tensor for `op`'s result of any element type.
  FailureOr<Tensor> outAny(Operation *op) {
    Type type = op->getResult(0).getType();
    unsigned bits = 0;
    FailureOr<num::DType> dt = dtypeOf(op, type, &bits);
    if (failed(dt))
      return failure();
    return makeResult(*dt, type, bits);
  }

  llvm::DenseMap<Value, Tensor> env;
};

FailureOr<std::vector<Tensor>> Interpreter::runBlock(Block &block,
                                                     ArrayRef<Tensor> args) {
  Operation *parent = block.getParentOp();
  if (args.size() != block.getNumArguments()) {
    parent->emitError("reference interpreter: expected ")
        << block.getNumArguments() << " input(s), got " << args.size();
    return failure();
  }
  for (auto [i, arg] : llvm::enumerate(block.getArguments())) {
    unsigned bits = 0;
    FailureOr<num::DType> dt = dtypeOf(parent, arg.getType(), &bits);
    if (failed(dt))
      return failure();
    auto shape = cast<RankedTensorType>(arg.getType()).getShape();
    const Tensor &t = args[i];
    int64_t held = int64_t(t.isInteger() ? t.ints.size() : t.data.size());
    if (*dt != t.dtype || bits != t.intBits || !llvm::equal(shape, t.shape) ||
        held != t.numElements()) {
      std::string have;
      llvm::raw_string_ostream os(have);
      if (t.isInteger())
        os << "i" << t.intBits << "[";
      else
        os << num::dtypeName(t.dtype) << "[";
      llvm::interleave(t.shape, os, "x");
      os << "]";
      parent->emitError("reference interpreter: input ")
          << i << " is " << have << " but the argument has type "
          << arg.getType();
      return failure();
    }
    env[arg] = t;
  }
  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      if (!isa<func::ReturnOp, YieldOp>(op)) {
        op.emitError("reference interpreter does not support '")
            << op.getName() << "'";
        return failure();
      }
      std::vector<Tensor> results;
      for (Value v : op.getOperands()) {
        const Tensor *t = lookup(&op, v);
        if (!t)
          return failure();
        results.push_back(*t);
      }
      return results;
    }
    if (failed(run(&op)))
      return failure();
  }
  parent->emitError("reference interpreter: block has no terminator");
  return failure();
}

LogicalResult Interpreter::run(Operation *op) {
  if (auto kernel = dyn_cast<KernelOp>(op))
    return runKernel(kernel);
  if (isa<BarrierOp>(op))
    return success();
  if (auto c = dyn_cast<arith::ConstantOp>(op))
    return constant(c);
  auto un = [&](Value x, UnaryFn f) { return unary(op, x, f); };
  auto bin = [&](auto o, BinaryFn f) {
    return binary(op, o.getLhs(), o.getRhs(), f);
  };
  FailureOr<Tensor> r =
      llvm::TypeSwitch<Operation *, FailureOr<Tensor>>(op)
          .Case([&](MatmulOp o) { return matmul(o); })
          .Case([&](BatchMatmulOp o) { return batchMatmul(o); })
          .Case([&](Conv2DOp o) { return conv2d(o); })
          .Case([&](MaxPool2DOp o) {
            return pool2d(o, o.getInput(), o.getKernel(), o.getStrides(),
                          o.getPadding(), o.getLayout(), true, false);
          })
          .Case([&](AvgPool2DOp o) {
            return pool2d(o, o.getInput(), o.getKernel(), o.getStrides(),
                          o.getPadding(), o.getLayout(), false,
                          o.getCountIncludePad());
          })
          .Case([&](GlobalMaxPool2DOp o) {
            int64_t h = o.getLayout() == Layout::NCHW ? 2 : 1;
            return reduce(o, o.getInput(), {h, h + 1}, 'x');
          })
          .Case([&](GlobalAvgPool2DOp o) {
            int64_t h = o.getLayout() == Layout::NCHW ? 2 : 1;
            return reduce(o, o.getInput(), {h, h + 1}, 'm');
          })
          .Case([&](AddOp o) { return bin(o, [](float a, float b) { return a + b; }); })
          .Case([&](SubOp o) { return bin(o, [](float a, float b) { return a - b; }); })
          .Case([&](MulOp o) { return bin(o, [](float a, float b) { return a * b; }); })
          .Case([&](DivOp o) { return bin(o, [](float a, float b) { return a / b; }); })
          .Case([&](MaxOp o) { return bin(o, math::maximum); })
          .Case([&](MinOp o) { return bin(o, math::minimum); })
          .Case([&](ReluOp o) {
            // x > 0 ? x : +0; NaN stays NaN.
            return un(o.getInput(), [](float x) {
              return x > 0.0f ? x : (x != x ? x : 0.0f);
            });
          })
          .Case([&](GeluOp o) {
            return un(o.getInput(),
                      o.getApproximate() == GeluApproximation::Tanh
                          ? math::geluTanh
                          : math::geluErf);
          })
          .Case([&](SigmoidOp o) { return un(o.getInput(), math::sigmoid); })
          .Case([&](TanhOp o) { return un(o.getInput(), math::tanh); })
          .Case([&](ExpOp o) { return un(o.getInput(), math::exp); })
          .Case([&](LogOp o) { return un(o.getInput(), math::log); })
          .Case([&](SqrtOp o) { return un(o.getInput(), math::sqrt); })
          .Case([&](RsqrtOp o) { return un(o.getInput(), math::rsqrt); })
          .Case([&](ReciprocalOp o) {
            return un(o.getInput(), [](float x) { return 1.0f / x; });
          })
          .Case([&](CastOp o) { return copyAs(o, o.getInput(), true); })
          .Case([&](ReduceSumOp o) {
            return reduce(o, o.getInput(), o.getAxes(), 's');
          })
          .Case([&](ReduceMaxOp o) {
            return reduce(o, o.getInput(), o.getAxes(), 'x');
          })
          .Case([&](ReduceMeanOp o) {
            return reduce(o, o.getInput(), o.getAxes(), 'm');
          })
          .Case([&](SoftmaxOp o) { return softmax(o); })
          .Case([&](LayerNormOp o) { return layerNorm(o); })
          .Case([&](BatchNormOp o) { return batchNorm(o); })
          .Case([&](TransposeOp o) { return transpose(o); })
          .Case([&](ReshapeOp o) { return copyAs(o, o.getInput(), false); })
          .Case([&](SinOp o) { return un(o.getInput(), math::sin); })
          .Case([&](CosOp o) { return un(o.getInput(), math::cos); })
          .Case([&](TanOp o) { return un(o.getInput(), math::tan); })
          .Case([&](AsinOp o) { return un(o.getInput(), math::asin); })
          .Case([&](AcosOp o) { return un(o.getInput(), math::acos); })
          .Case([&](AtanOp o) { return un(o.getInput(), math::atan); })
          .Case([&](SinhOp o) { return un(o.getInput(), math::sinh); })
          .Case([&](CoshOp o) { return un(o.getInput(), math::cosh); })
          .Case([&](AsinhOp o) { return un(o.getInput(), math::asinh); })
          .Case([&](AcoshOp o) { return un(o.getInput(), math::acosh); })
          .Case([&](AtanhOp o) { return un(o.getInput(), math::atanh); })
          .Case([&](ErfOp o) { return un(o.getInput(), math::erf); })
          .Case([&](FloorOp o) {
            return un(o.getInput(), [](float x) { return std::floor(x); });
          })
          .Case([&](CeilOp o) {
            return un(o.getInput(), [](float x) { return std::ceil(x); });
          })
          .Case([&](RoundOp o) {
            // Half to even (the default rounding mode).
            return un(o.getInput(), [](float x) { return std::nearbyint(x); });
          })
          .Case([&](SignOp o) {
            return un(o.getInput(), [](float x) {
              return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x;
            });
          })
          .Case([&](PowOp o) { return bin(o, math::pow); })
          .Case([&](FmodOp o) { return bin(o, math::fmod); })
          .Case([&](ReduceProdOp o) {
            return reduce(o, o.getInput(), o.getAxes(), 'p');
          })
          .Case([&](CompareOp o) { return compare(o); })
          .Case([&](SelectOp o) { return select(o); })
          .Case([&](LogicalAndOp o) {
            return logical(o, o.getLhs(), o.getRhs(), '&');
          })
          .Case([&](LogicalOrOp o) {
            return logical(o, o.getLhs(), o.getRhs(), '|');
          })
          .Case([&](LogicalXorOp o) {
            return logical(o, o.getLhs(), o.getRhs(), '^');
          })
          .Case([&](LogicalNotOp o) {
            return logical(o, o.getInput(), o.getInput(), '!');
          })
          .Case([&](ConvertOp o) { return convert(o); })
          .Case([&](ArgMaxOp o) {
            return argReduce(o, o.getInput(), o.getAxis(),
                             o.getSelectLastIndex(), true);
          })
          .Case([&](ArgMinOp o) {
            return argReduce(o, o.getInput(), o.getAxis(),
                             o.getSelectLastIndex(), false);
          })
          .Case([&](ConcatOp o) { return concat(o); })
          .Case([&](SliceOp o) { return slice(o); })
          .Case([&](PadOp o) { return pad(o); })
          .Case([&](GatherOp o) { return gather(o); })
          .Default([&](Operation *o) -> FailureOr<Tensor> {
            return o->emitError("reference interpreter does not support '")
                   << o->getName() << "'";
          });
  if (failed(r))
    return failure();
  env[op->getResult(0)] = std::move(*r);
  return success();
}

FailureOr<Tensor> Interpreter::unary(Operation *op, Value input, UnaryFn f) {
  const Tensor *a = in(op, input);
  if (!a)
    return failure();
  FailureOr<Tensor> c = out(op);
  if (failed(c))
    return failure();
  if (c->shape != a->shape)
    return op->emitError("reference interpreter: result shape differs from "
                         "the input's");
  for (size_t i = 0; i < c->data.size(); ++i)
    c->data[i] = roundToType(c->dtype, f(a->data[i]));
  return c;
}

FailureOr<Tensor> Interpreter::copyAs(Operation *op, Value input,
                                      bool round) {
  const Tensor *a = in(op, input);
  if (!a)
    return failure();
  if (a->isInteger() && !round) {
    FailureOr<Tensor> c = outAny(op);
    if (failed(c))
      return failure();
    if (c->numElements() != a->numElements() || c->intBits != a->intBits)
      return op->emitError("reference interpreter: result type does not "
                           "match the input");
    c->ints = a->ints;
    return c;
  }
  FailureOr<Tensor> c = out(op);
  if (failed(c))
    return failure();
  if (c->numElements() != a->numElements() || (!round && c->dtype != a->dtype))
    return op->emitError("reference interpreter: result type does not match "
                         "the input");
  for (size_t i = 0; i < c->data.size(); ++i)
    c->data[i] = roundToType(c->dtype, a->data[i]);
  return c;
}

FailureOr<Tensor> Interpreter::binary(Operation *op, Value lhs, Value rhs,
                                      BinaryFn f) {
  const Tensor *a = in(op, lhs);
  const Tensor *b = in(op, rhs);
  if (!a || !b)
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  Tensor &c = *res;
  const size_t rank = c.shape.size();
  if (a->shape.size() > rank || b->shape.size() > rank)
    return op->emitError("reference interpreter: operand rank exceeds result "
                         "rank");
  // Strides of each operand in result coordinates (0 where broadcast).
  auto bcastStrides = [&](const Tensor &t,
                          std::vector<int64_t> &strides) -> LogicalResult {
    strides.assign(rank, 0);
    std::vector<int64_t> s = stridesOf(t.shape);
    size_t off = rank - t.shape.size();
    for (size_t d = 0; d < t.shape.size(); ++d) {
      int64_t have = t.shape[d], want = c.shape[off + d];
      if (have == want)
        strides[off + d] = want == 1 ? 0 : s[d];
      else if (have != 1)
        return op->emitError("reference interpreter: operands are not "
                             "broadcast-compatible with the result");
    }
    return success();
  };
  std::vector<int64_t> sa, sb;
  if (failed(bcastStrides(*a, sa)) || failed(bcastStrides(*b, sb)))
    return failure();
  const int64_t n = c.numElements();
  if (a->shape == c.shape && b->shape == c.shape) {
    for (int64_t i = 0; i < n; ++i)
      c.data[size_t(i)] =
          roundToType(c.dtype, f(a->data[size_t(i)], b->data[size_t(i)]));
    return res;
  }
  std::vector<int64_t> idx(rank, 0);
  int64_t ia = 0, ib = 0;
  for (int64_t i = 0; i < n; ++i) {
    c.data[size_t(i)] =
        roundToType(c.dtype, f(a->data[size_t(ia)], b->data[size_t(ib)]));
    // Odometer increment of the result index.
    for (int64_t d = int64_t(rank) - 1; d >= 0; --d) {
      size_t u = size_t(d);
      if (++idx[u] < c.shape[u]) {
        ia += sa[u];
        ib += sb[u];
        break;
      }
      ia -= sa[u] * (c.shape[u] - 1);
      ib -= sb[u] * (c.shape[u] - 1);
      idx[u] = 0;
    }
  }
  return res;
}

FailureOr<Tensor> Interpreter::matmul(MatmulOp op) {
  const Tensor *a = in(op, op.getLhs());
  const Tensor *b = in(op, op.getRhs());
  if (!a || !b)
    return failure();
  FailureOr<Tensor> c = out(op);
  if (failed(c))
    return failure();
  if (a->shape.size() != 2 || b->shape.size() != 2 || c->shape.size() != 2)
    return op.emitError("reference interpreter supports only 2-d matmul");
  if (auto window = op.getWindow()) {
    // C[q] = sum over (t, c) of A[q + o_t, c] * B[t*C + c], FP32 from +0 in
    // ascending (t, c) (the verifier keeps every row read inside A).
    int64_t rows = a->shape[0], ch = a->shape[1], n = b->shape[1];
    int64_t m = c->shape[0];
    std::vector<float> acc(static_cast<size_t>(n));
    for (int64_t q = 0; q < m; ++q) {
      std::fill(acc.begin(), acc.end(), 0.0f);
      for (auto [t, o] : llvm::enumerate(*window))
        for (int64_t ci = 0; ci < ch; ++ci) {
          int64_t r = q + o;
          if (r >= rows)
            return op.emitError("reference interpreter: window row ")
                   << r << " is past the lhs's " << rows << " rows";
          const float x = a->data[size_t(r * ch + ci)];
          const float *brow = b->data.data() + (int64_t(t) * ch + ci) * n;
          for (int64_t j = 0; j < n; ++j)
            acc[size_t(j)] = acc[size_t(j)] + x * brow[j];
        }
      for (int64_t j = 0; j < n; ++j)
        c->data[size_t(q * n + j)] = roundToType(c->dtype, acc[size_t(j)]);
    }
    return c;
  }
  bool ta = op.getTransposeLhs(), tb = op.getTransposeRhs();
  int64_t m = a->shape[ta ? 1 : 0], k = a->shape[ta ? 0 : 1];
  int64_t n = b->shape[tb ? 0 : 1];
  if (b->shape[tb ? 1 : 0] != k)
    return op.emitError("reference interpreter: contraction sizes differ");
  if (c->shape[0] != m || c->shape[1] != n)
    return op.emitError("reference interpreter: result shape mismatch");
  matmul2d(a->data.data(), b->data.data(), m, k, n, ta, tb, c->dtype,
           c->data.data());
  return c;
}

FailureOr<Tensor> Interpreter::batchMatmul(BatchMatmulOp op) {
  const Tensor *a = in(op, op.getLhs());
  const Tensor *b = in(op, op.getRhs());
  if (!a || !b)
    return failure();
  FailureOr<Tensor> c = out(op);
  if (failed(c))
    return failure();
  if (a->shape.size() != 3 || b->shape.size() != 3 || c->shape.size() != 3)
    return op.emitError("reference interpreter: batch_matmul needs rank-3 "
                        "operands");
  bool ta = op.getTransposeLhs(), tb = op.getTransposeRhs();
  int64_t ba = a->shape[0], bb = b->shape[0], batch = c->shape[0];
  int64_t m = a->shape[ta ? 2 : 1], k = a->shape[ta ? 1 : 2];
  int64_t n = b->shape[tb ? 1 : 2];
  if (b->shape[tb ? 2 : 1] != k || c->shape[1] != m || c->shape[2] != n ||
      (ba != batch && ba != 1) || (bb != batch && bb != 1))
    return op.emitError("reference interpreter: batch_matmul shapes do not "
                        "match");
  for (int64_t i = 0; i < batch; ++i)
    matmul2d(a->data.data() + (ba == 1 ? 0 : i) * m * k,
             b->data.data() + (bb == 1 ? 0 : i) * k * n, m, k, n, ta, tb,
             c->dtype, c->data.data() + i * m * n);
  return c;
}

FailureOr<Tensor> Interpreter::conv2d(Conv2DOp op) {
  const Tensor *x = in(op, op.getInput());
  const Tensor *w = in(op, op.getFilter());
  const Tensor *bias = nullptr;
  if (!x || !w)
    return failure();
  if (op.getBias() && !(bias = in(op, op.getBias())))
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  Tensor &y = *res;
  if (x->shape.size() != 4 || w->shape.size() != 4 || y.shape.size() != 4)
    return op.emitError("reference interpreter: conv2d needs rank-4 "
                        "operands");
  const bool nchw = op.getLayout() == Layout::NCHW;
  // Logical sizes and element strides of x [n, c, h, w], w [o, c, kh, kw]
  // and y [n, o, oh, ow] in either layout.
  auto xs = stridesOf(x->shape), ws = stridesOf(w->shape),
       ys = stridesOf(y.shape);
  int64_t N = x->shape[0], C = nchw ? x->shape[1] : x->shape[3];
  int64_t H = nchw ? x->shape[2] : x->shape[1];
  int64_t W = nchw ? x->shape[3] : x->shape[2];
  int64_t xsC = nchw ? xs[1] : xs[3], xsH = nchw ? xs[2] : xs[1],
          xsW = nchw ? xs[3] : xs[2];
  int64_t O = nchw ? w->shape[0] : w->shape[3];
  int64_t Cg = nchw ? w->shape[1] : w->shape[2];
  int64_t KH = nchw ? w->shape[2] : w->shape[0];
  int64_t KW = nchw ? w->shape[3] : w->shape[1];
  int64_t wsO = nchw ? ws[0] : ws[3], wsC = nchw ? ws[1] : ws[2],
          wsH = nchw ? ws[2] : ws[0], wsW = nchw ? ws[3] : ws[1];
  int64_t OH = nchw ? y.shape[2] : y.shape[1];
  int64_t OW = nchw ? y.shape[3] : y.shape[2];
  int64_t ysO = nchw ? ys[1] : ys[3], ysH = nchw ? ys[2] : ys[1],
          ysW = nchw ? ys[3] : ys[2];
  int64_t groups = int64_t(op.getGroups());
  if (groups < 1 || Cg * groups != C || O % groups != 0 ||
      (nchw ? y.shape[1] : y.shape[3]) != O)
    return op.emitError("reference interpreter: conv2d channels do not "
                        "match");
  ArrayRef<int64_t> s = op.getStrides(), p = op.getPadding(),
                    dil = op.getDilations();
  const int64_t perGroup = O / groups;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < O; ++o) {
      const int64_t c0 = (o / perGroup) * Cg;
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow) {
          float acc = 0.0f; // +0
          for (int64_t kh = 0; kh < KH; ++kh) {
            int64_t ih = oh * s[0] - p[0] + kh * dil[0];
            for (int64_t kw = 0; kw < KW; ++kw) {
              int64_t iw = ow * s[1] - p[1] + kw * dil[1];
              for (int64_t c = 0; c < Cg; ++c) {
                // Padding takes part as +0.
                float xv = 0.0f;
                if (ih >= 0 && ih < H && iw >= 0 && iw < W)
                  xv = x->data[size_t(n * xs[0] + (c0 + c) * xsC + ih * xsH +
                                      iw * xsW)];
                float wv =
                    w->data[size_t(o * wsO + c * wsC + kh * wsH + kw * wsW)];
                acc = acc + xv * wv;
              }
            }
          }
          if (bias)
            acc = acc + bias->data[size_t(o)];
          y.data[size_t(n * ys[0] + o * ysO + oh * ysH + ow * ysW)] =
              roundToType(y.dtype, acc);
        }
    }
  return res;
}

FailureOr<Tensor> Interpreter::pool2d(Operation *op, Value input,
                                      ArrayRef<int64_t> k,
                                      ArrayRef<int64_t> s,
                                      ArrayRef<int64_t> p, Layout layout,
                                      bool max, bool countIncludePad) {
  const Tensor *x = in(op, input);
  if (!x)
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  Tensor &y = *res;
  if (x->shape.size() != 4 || y.shape.size() != 4)
    return op->emitError("reference interpreter: pooling needs rank-4 "
                         "tensors");
  const bool nchw = layout == Layout::NCHW;
  auto xs = stridesOf(x->shape), ys = stridesOf(y.shape);
  int64_t N = x->shape[0], C = nchw ? x->shape[1] : x->shape[3];
  int64_t H = nchw ? x->shape[2] : x->shape[1];
  int64_t W = nchw ? x->shape[3] : x->shape[2];
  int64_t xsC = nchw ? xs[1] : xs[3], xsH = nchw ? xs[2] : xs[1],
          xsW = nchw ? xs[3] : xs[2];
  int64_t OH = nchw ? y.shape[2] : y.shape[1];
  int64_t OW = nchw ? y.shape[3] : y.shape[2];
  int64_t ysC = nchw ? ys[1] : ys[3], ysH = nchw ? ys[2] : ys[1],
          ysW = nchw ? ys[3] : ys[2];
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow) {
          float acc = max ? -std::numeric_limits<float>::infinity() : 0.0f;
          int64_t count = 0;
          for (int64_t kh = 0; kh < k[0]; ++kh) {
            int64_t ih = oh * s[0] - p[0] + kh;
            for (int64_t kw = 0; kw < k[1]; ++kw) {
              int64_t iw = ow * s[1] - p[1] + kw;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W)
                continue;
              float v = x->data[size_t(n * xs[0] + c * xsC + ih * xsH +
                                       iw * xsW)];
              acc = max ? math::maximum(acc, v) : acc + v;
              ++count;
            }
          }
          if (!max)
            acc = acc / float(countIncludePad ? k[0] * k[1] : count);
          y.data[size_t(n * ys[0] + c * ysC + oh * ysH + ow * ysW)] =
              roundToType(y.dtype, acc);
        }
  return res;
}

/// kind: 's' sum, 'm' mean, 'x' max, 'p' product.
FailureOr<Tensor> Interpreter::reduce(Operation *op, Value input,
                                      ArrayRef<int64_t> axes, char kind) {
  const Tensor *x = in(op, input);
  if (!x)
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  Tensor &y = *res;
  const int64_t rank = int64_t(x->shape.size());
  auto xs = stridesOf(x->shape);
  SmallVector<int64_t> keptShape, keptStrides, redShape, redStrides;
  for (int64_t d = 0; d < rank; ++d) {
    if (llvm::is_contained(axes, d)) {
      redShape.push_back(x->shape[size_t(d)]);
      redStrides.push_back(xs[size_t(d)]);
    } else {
      keptShape.push_back(x->shape[size_t(d)]);
      keptStrides.push_back(xs[size_t(d)]);
    }
  }
  for (int64_t a : axes)
    if (a < 0 || a >= rank)
      return op->emitError("reference interpreter: reduction axis out of "
                           "range");
  if (product(keptShape) != y.numElements())
    return op->emitError("reference interpreter: result size does not match "
                         "the kept dimensions");
  // Offsets of the reduced elements, in ascending row-major order.
  std::vector<int64_t> red;
  walk(redShape, redStrides, 0, [&](int64_t off) { red.push_back(off); });
  const float count = float(red.size());
  size_t i = 0;
  walk(keptShape, keptStrides, 0, [&](int64_t base) {
    float acc = kind == 'x'   ? -std::numeric_limits<float>::infinity()
                : kind == 'p' ? 1.0f
                              : 0.0f;
    for (int64_t off : red) {
      float v = x->data[size_t(base + off)];
      acc = kind == 'x'   ? math::maximum(acc, v)
            : kind == 'p' ? acc * v
                          : acc + v;
    }
    if (kind == 'm')
      acc = acc / count;
    y.data[i++] = roundToType(y.dtype, acc);
  });
  return res;
}

FailureOr<Tensor> Interpreter::softmax(SoftmaxOp op) {
  const Tensor *x = in(op, op.getInput());
  if (!x)
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  Tensor &y = *res;
  int64_t axis = int64_t(op.getAxis());
  if (axis < 0 || axis >= int64_t(x->shape.size()) || y.shape != x->shape)
    return op.emitError("reference interpreter: softmax axis or shape does "
                        "not match");
  AxisSplit sp = splitAt(x->shape, axis);
  std::vector<float> e(size_t(sp.len));
  for (int64_t o = 0; o < sp.outer; ++o)
    for (int64_t i = 0; i < sp.inner; ++i) {
      const int64_t base = o * sp.len * sp.inner + i;
      float m = -std::numeric_limits<float>::infinity();
      for (int64_t l = 0; l < sp.len; ++l)
        m = math::maximum(m, x->data[size_t(base + l * sp.inner)]);
      float sum = 0.0f;
      for (int64_t l = 0; l < sp.len; ++l) {
        e[size_t(l)] = math::exp(x->data[size_t(base + l * sp.inner)] - m);
        sum = sum + e[size_t(l)];
      }
      for (int64_t l = 0; l < sp.len; ++l)
        y.data[size_t(base + l * sp.inner)] =
            roundToType(y.dtype, e[size_t(l)] / sum);
    }
  return res;
}

FailureOr<Tensor> Interpreter::layerNorm(LayerNormOp op) {
  const Tensor *x = in(op, op.getInput());
  const Tensor *g = nullptr, *b = nullptr;
  if (!x || (op.getGamma() && !(g = in(op, op.getGamma()))) ||
      (op.getBeta() && !(b = in(op, op.getBeta()))))
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  Tensor &y = *res;
  int64_t axis = int64_t(op.getAxis());
  if (axis < 0 || axis >= int64_t(x->shape.size()) || y.shape != x->shape)
    return op.emitError("reference interpreter: layer_norm axis or shape "
                        "does not match");
  const int64_t n = product(ArrayRef<int64_t>(x->shape).drop_front(size_t(axis)));
  const int64_t rows = x->numElements() / std::max<int64_t>(n, 1);
  if ((g && int64_t(g->data.size()) != n) || (b && int64_t(b->data.size()) != n))
    return op.emitError("reference interpreter: scale or bias size does not "
                        "match the normalized dimensions");
  const float eps = op.getEpsilon().convertToFloat();
  const float count = float(n);
  for (int64_t r = 0; r < rows; ++r) {
    const float *xr = x->data.data() + r * n;
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i)
      sum = sum + xr[i];
    const float mean = sum / count;
    float sq = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
      float d = xr[i] - mean;
      sq = sq + d * d;
    }
    const float var = sq / count;
    const float rs = math::rsqrt(var + eps);
    for (int64_t i = 0; i < n; ++i) {
      float v = (xr[i] - mean) * rs;
      if (g)
        v = v * g->data[size_t(i)];
      if (b)
        v = v + b->data[size_t(i)];
      y.data[size_t(r * n + i)] = roundToType(y.dtype, v);
    }
  }
  return res;
}

FailureOr<Tensor> Interpreter::batchNorm(BatchNormOp op) {
  const Tensor *x = in(op, op.getInput());
  const Tensor *mean = in(op, op.getMean());
  const Tensor *var = in(op, op.getVariance());
  const Tensor *g = in(op, op.getGamma());
  const Tensor *b = in(op, op.getBeta());
  if (!x || !mean || !var || !g || !b)
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  Tensor &y = *res;
  int64_t axis = int64_t(op.getAxis());
  if (axis < 0 || axis >= int64_t(x->shape.size()) || y.shape != x->shape ||
      int64_t(mean->data.size()) != x->shape[size_t(axis)])
    return op.emitError("reference interpreter: batch_norm axis or shapes "
                        "do not match");
  const float eps = op.getEpsilon().convertToFloat();
  AxisSplit sp = splitAt(x->shape, axis);
  for (int64_t c = 0; c < sp.len; ++c) {
    const size_t u = size_t(c);
    const float rs = math::rsqrt(var->data[u] + eps);
    for (int64_t o = 0; o < sp.outer; ++o)
      for (int64_t i = 0; i < sp.inner; ++i) {
        size_t at = size_t((o * sp.len + c) * sp.inner + i);
        float v = (x->data[at] - mean->data[u]) * rs;
        v = v * g->data[u];
        v = v + b->data[u];
        y.data[at] = roundToType(y.dtype, v);
      }
  }
  return res;
}

FailureOr<Tensor> Interpreter::transpose(TransposeOp op) {
  const Tensor *x = in(op, op.getInput());
  if (!x)
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  ArrayRef<int64_t> perm = op.getPerm();
  if (perm.size() != x->shape.size() || res->dtype != x->dtype)
    return op.emitError("reference interpreter: perm does not match the "
                        "input rank");
  auto xs = stridesOf(x->shape);
  SmallVector<int64_t> strides;
  for (int64_t p : perm) {
    if (p < 0 || p >= int64_t(perm.size()))
      return op.emitError("reference interpreter: invalid perm");
    strides.push_back(xs[size_t(p)]);
  }
  size_t i = 0;
  walk(res->shape, strides, 0,
       [&](int64_t off) { res->data[i++] = x->data[size_t(off)]; });
  return res;
}

FailureOr<Tensor> Interpreter::concat(ConcatOp op) {
  std::vector<const Tensor *> xs;
  for (Value v : op.getInputs()) {
    const Tensor *t = in(op, v);
    if (!t)
      return failure();
    xs.push_back(t);
  }
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  int64_t axis = int64_t(op.getAxis());
  if (xs.empty() || axis < 0 || axis >= int64_t(res->shape.size()))
    return op.emitError("reference interpreter: invalid concat");
  AxisSplit sp = splitAt(res->shape, axis);
  float *dst = res->data.data();
  for (int64_t o = 0; o < sp.outer; ++o)
    for (const Tensor *t : xs) {
      int64_t chunk = t->shape[size_t(axis)] * sp.inner;
      std::memcpy(dst, t->data.data() + o * chunk, size_t(chunk) * 4);
      dst += chunk;
    }
  return res;
}

FailureOr<Tensor> Interpreter::slice(SliceOp op) {
  const Tensor *x = in(op, op.getInput());
  if (!x)
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  ArrayRef<int64_t> off = op.getOffsets(), st = op.getStrides();
  const size_t rank = x->shape.size();
  if (off.size() != rank || st.size() != rank || res->shape.size() != rank)
    return op.emitError("reference interpreter: slice attributes do not "
                        "match the input rank");
  auto xs = stridesOf(x->shape);
  SmallVector<int64_t> strides;
  int64_t base = 0;
  for (size_t d = 0; d < rank; ++d) {
    int64_t last = off[d] + (res->shape[d] - 1) * st[d];
    if (res->shape[d] > 0 && (off[d] < 0 || last >= x->shape[d]))
      return op.emitError("reference interpreter: slice reads outside the "
                          "input");
    base += off[d] * xs[d];
    strides.push_back(st[d] * xs[d]);
  }
  size_t i = 0;
  walk(res->shape, strides, base,
       [&](int64_t o) { res->data[i++] = x->data[size_t(o)]; });
  return res;
}

FailureOr<Tensor> Interpreter::pad(PadOp op) {
  const Tensor *x = in(op, op.getInput());
  if (!x)
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  ArrayRef<int64_t> lo = op.getLow(), hi = op.getHigh();
  const size_t rank = x->shape.size();
  if (lo.size() != rank || hi.size() != rank || res->shape.size() != rank)
    return op.emitError("reference interpreter: pad attributes do not match "
                        "the input rank");
  for (size_t d = 0; d < rank; ++d)
    if (lo[d] < 0 || hi[d] < 0 || res->shape[d] != x->shape[d] + lo[d] + hi[d])
      return op.emitError("reference interpreter: pad sizes do not match "
                          "the result");
  std::fill(res->data.begin(), res->data.end(),
            roundToType(res->dtype, op.getValue().convertToFloat()));
  auto ys = stridesOf(res->shape);
  int64_t base = 0;
  for (size_t d = 0; d < rank; ++d)
    base += lo[d] * ys[d];
  size_t i = 0;
  walk(x->shape, ys, base,
       [&](int64_t o) { res->data[size_t(o)] = x->data[i++]; });
  return res;
}

FailureOr<Tensor> Interpreter::gather(GatherOp op) {
  const Tensor *table = in(op, op.getTable());
  const Tensor *idx = in(op, op.getIndices());
  if (!table || !idx)
    return failure();
  FailureOr<Tensor> res = out(op);
  if (failed(res))
    return failure();
  if (table->shape.size() != 2 || !idx->isInteger() ||
      res->numElements() != idx->numElements() * table->shape[1])
    return op.emitError("reference interpreter: gather shapes do not match");
  const int64_t rows = table->shape[0], d = table->shape[1];
  for (size_t i = 0; i < idx->ints.size(); ++i) {
    // Out-of-range indices are clamped to the table.
    int64_t r = std::clamp<int64_t>(idx->ints[i], 0, rows - 1);
    std::memcpy(res->data.data() + int64_t(i) * d,
                table->data.data() + r * d, size_t(d) * 4);
  }
  return res;
}

FailureOr<Tensor> Interpreter::compare(CompareOp op) {
  const Tensor *a = in(op, op.getLhs());
  const Tensor *b = in(op, op.getRhs());
  if (!a || !b)
    return failure();
  FailureOr<Tensor> res = outAny(op);
  if (failed(res))
    return failure();
  Tensor &c = *res;
  if (!c.isInteger() || a->isInteger() != b->isInteger() ||
      !broadcastsTo(a->shape, c.shape) || !broadcastsTo(b->shape, c.shape))
    return op.emitError("reference interpreter: compare operands do not "
                        "match the result");
  std::vector<int64_t> ia = broadcastOffsets(a->shape, c.shape),
                       ib = broadcastOffsets(b->shape, c.shape);
  ComparePredicate p = op.getPredicate();
  auto test = [p](auto x, auto y) -> bool {
    switch (p) {
    case ComparePredicate::EQ:
      return x == y;
    case ComparePredicate::NE:
      return x != y;
    case ComparePredicate::LT:
      return x < y;
    case ComparePredicate::LE:
      return x <= y;
    case ComparePredicate::GT:
      return x > y;
    case ComparePredicate::GE:
      return x >= y;
    }
    return false;
  };
  for (size_t i = 0; i < c.ints.size(); ++i)
    c.ints[i] = a->isInteger()
                    ? test(a->ints[size_t(ia[i])], b->ints[size_t(ib[i])])
                    : test(a->data[size_t(ia[i])], b->data[size_t(ib[i])]);
  return res;
}

FailureOr<Tensor> Interpreter::select(SelectOp op) {
  const Tensor *cond = in(op, op.getCondition());
  const Tensor *t = in(op, op.getTrueValue());
  const Tensor *f = in(op, op.getFalseValue());
  if (!cond || !t || !f)
    return failure();
  FailureOr<Tensor> res = outAny(op);
  if (failed(res))
    return failure();
  Tensor &c = *res;
  if (!cond->isInteger() || t->intBits != c.intBits ||
      f->intBits != c.intBits || !broadcastsTo(cond->shape, c.shape) ||
      !broadcastsTo(t->shape, c.shape) || !broadcastsTo(f->shape, c.shape))
    return op.emitError("reference interpreter: select operands do not "
                        "match the result");
  std::vector<int64_t> ic = broadcastOffsets(cond->shape, c.shape),
                       it = broadcastOffsets(t->shape, c.shape),
                       iff = broadcastOffsets(f->shape, c.shape);
  const size_t n = size_t(c.numElements());
  for (size_t i = 0; i < n; ++i) {
    bool pick = cond->ints[size_t(ic[i])] != 0;
    if (c.isInteger())
      c.ints[i] = pick ? t->ints[size_t(it[i])] : f->ints[size_t(iff[i])];
    else
      c.data[i] = pick ? t->data[size_t(it[i])] : f->data[size_t(iff[i])];
  }
  return res;
}

/// kind: '&', '|', '^' (binary), '!' (not; `rhs` is ignored).
FailureOr<Tensor> Interpreter::logical(Operation *op, Value lhs, Value rhs,
                                       char kind) {
  const Tensor *a = in(op, lhs);
  const Tensor *b = in(op, rhs);
  if (!a || !b)
    return failure();
  FailureOr<Tensor> res = outAny(op);
  if (failed(res))
    return failure();
  Tensor &c = *res;
  if (c.intBits != 1 || a->intBits != 1 || b->intBits != 1 ||
      !broadcastsTo(a->shape, c.shape) || !broadcastsTo(b->shape, c.shape))
    return op->emitError("reference interpreter: logical operands do not "
                         "match the result");
  std::vector<int64_t> ia = broadcastOffsets(a->shape, c.shape),
                       ib = broadcastOffsets(b->shape, c.shape);
  for (size_t i = 0; i < c.ints.size(); ++i) {
    bool x = a->ints[size_t(ia[i])] != 0, y = b->ints[size_t(ib[i])] != 0;
    c.ints[i] = kind == '&'   ? (x && y)
                : kind == '|' ? (x || y)
                : kind == '^' ? (x != y)
                              : !x;
  }
  return res;
}

FailureOr<Tensor> Interpreter::convert(ConvertOp op) {
  const Tensor *a = in(op, op.getInput());
  if (!a)
    return failure();
  FailureOr<Tensor> res = outAny(op);
  if (failed(res))
    return failure();
  Tensor &c = *res;
  if (c.numElements() != a->numElements())
    return op.emitError("reference interpreter: convert changes the "
                        "element count");
  const size_t n = size_t(c.numElements());
  for (size_t i = 0; i < n; ++i) {
    if (!c.isInteger()) {
      // To float: integers round to nearest even in FP32 first.
      float v = a->isInteger() ? static_cast<float>(a->ints[i]) : a->data[i];
      c.data[i] = roundToType(c.dtype, v);
    } else if (c.intBits == 1) {
      c.ints[i] = a->isInteger() ? a->ints[i] != 0 : a->data[i] != 0.0f;
    } else if (a->isInteger()) {
      c.ints[i] = wrapTo(a->ints[i], c.intBits);
    } else {
      // Truncate toward zero; NaN -> 0; saturate to the integer type.
      float v = a->data[i];
      int64_t lo = c.intBits >= 64 ? std::numeric_limits<int64_t>::min()
                                   : -(int64_t(1) << (c.intBits - 1));
      int64_t hi = c.intBits >= 64 ? std::numeric_limits<int64_t>::max()
                                   : (int64_t(1) << (c.intBits - 1)) - 1;
      if (v != v)
        c.ints[i] = 0;
      else if (double(v) <= double(lo))
        c.ints[i] = lo;
      else if (double(v) >= double(hi))
        c.ints[i] = hi;
      else
        c.ints[i] = int64_t(std::trunc(double(v)));
    }
  }
  return res;
}

FailureOr<Tensor> Interpreter::argReduce(Operation *op, Value input,
                                         int64_t axis, bool lastIndex,
                                         bool max) {
  const Tensor *x = in(op, input);
  if (!x)
    return failure();
  FailureOr<Tensor> res = outAny(op);
  if (failed(res))
    return failure();
  Tensor &y = *res;
  if (x->isInteger() || !y.isInteger() || axis < 0 ||
      axis >= int64_t(x->shape.size()) || x->shape[size_t(axis)] == 0)
    return op->emitError("reference interpreter: argmax/argmin axis or "
                         "types do not match");
  AxisSplit sp = splitAt(x->shape, axis);
  if (y.numElements() != sp.outer * sp.inner)
    return op->emitError("reference interpreter: argmax/argmin result size "
                         "does not match");
  for (int64_t o = 0; o < sp.outer; ++o)
    for (int64_t i = 0; i < sp.inner; ++i) {
      const int64_t base = o * sp.len * sp.inner + i;
      int64_t best = 0;
      float bv = x->data[size_t(base)];
      for (int64_t l = 1; l < sp.len; ++l) {
        float v = x->data[size_t(base + l * sp.inner)];
        bool vNaN = v != v, bNaN = bv != bv;
        bool better;
        if (bNaN)
          better = lastIndex && vNaN;
        else if (vNaN)
          better = true;
        else if (v == bv)
          better = lastIndex;
        else
          better = max ? v > bv : v < bv;
        if (better) {
          best = l;
          bv = v;
        }
      }
      y.ints[size_t(o * sp.inner + i)] = best;
    }
  return res;
}

/// Copies the tile at element offset `start` of a full tensor (row-major
/// `fullShape` at `fullData`) into `tile` (toTile) or back (!toTile).
/// Copies a tile starting at `start` between a full tensor and `tile`. A
/// tile may reach past the end of the tensor (the last tile of a ragged
/// tiling): those elements read as +0 and are not written back.
void copyTile(const std::vector<int64_t> &fullShape, float *fullData,
              Tensor &tile, ArrayRef<int64_t> start, bool toTile) {
  const size_t rank = fullShape.size();
  std::vector<int64_t> fs = stridesOf(fullShape);
  const int64_t n = tile.numElements();
  if (n == 0)
    return;
  const int64_t inner = tile.shape.empty() ? 1 : tile.shape.back();
  const int64_t innerValid =
      rank == 0 ? 1
                : std::max<int64_t>(
                      0, std::min(inner, fullShape.back() - start.back()));
  std::vector<int64_t> idx(rank, 0);
  for (int64_t t = 0; t < n; t += inner) {
    bool inside = true;
    int64_t f = 0;
    for (size_t d = 0; d + 1 < rank; ++d) {
      inside &= start[d] + idx[d] < fullShape[d];
      f += (start[d] + idx[d]) * fs[d];
    }
    if (rank)
      f += start.back() * fs.back();
    float *tp = tile.data.data() + t;
    int64_t valid = inside ? innerValid : 0;
    if (toTile) {
      if (valid)
        std::memcpy(tp, fullData + f, size_t(valid) * sizeof(float));
      std::fill(tp + valid, tp + inner, 0.0f);
    } else if (valid) {
      std::memcpy(fullData + f, tp, size_t(valid) * sizeof(float));
    }
    for (int64_t d = int64_t(rank) - 2; d >= 0; --d) {
      size_t u = size_t(d);
      if (++idx[u] < tile.shape[u])
        break;
      idx[u] = 0;
    }
  }
}

LogicalResult Interpreter::runKernel(KernelOp op) {
  ArrayRef<int64_t> grid = op.getGrid();
  auto maps = op.getMaps().getValue();
  const unsigned numInputs = op.getInputs().size();
  if (maps.size() != numInputs + 1)
    return op.emitError("reference interpreter: kernel needs one map per "
                        "input plus one for the result");
  std::vector<const Tensor *> inputs;
  for (Value v : op.getInputs()) {
    const Tensor *t = in(op, v);
    if (!t)
      return failure();
    if (t->isInteger())
      return op.emitError("reference interpreter: kernels take float "
                          "tensors only");
    inputs.push_back(t);
  }
  // With pad_input, input 0 is read as its zero-padded logical image.
  Tensor padded;
  if (auto pad = op.getPadInput(); pad && !inputs.empty()) {
    int64_t hp = (*pad)[1], wp = (*pad)[2], h = (*pad)[3], w = (*pad)[4],
            top = (*pad)[5], left = (*pad)[6];
    padded = makeResult(inputs[0]->dtype, op.logicalInputType(0));
    size_t cols = size_t(padded.shape[1]);
    for (int64_t q = 0; q < inputs[0]->shape[0]; ++q) {
      int64_t n = q / (h * w), y = q / w % h, x = q % w;
      size_t p = size_t((n * hp + y + top) * wp + x + left);
      std::copy_n(inputs[0]->data.begin() + size_t(q) * cols, cols,
                  padded.data.begin() + p * cols);
    }
    inputs[0] = &padded;
  }
  // With im2col, input 0 is read as the im2col of its images.
  if (auto im = op.getIm2col(); im && !inputs.empty()) {
    int64_t hp = (*im)[0], wp = (*im)[1], oh = (*im)[2], ow = (*im)[3],
            sh = (*im)[4], sw = (*im)[5];
    size_t c = size_t(inputs[0]->shape[1]);
    int64_t taps = int64_t(im->size() - 6) / 2;
    padded = makeResult(inputs[0]->dtype, op.logicalInputType(0));
    for (int64_t q = 0; q < padded.shape[0]; ++q) {
      int64_t n = q / (oh * ow), y = q / ow % oh, x = q % ow;
      for (int64_t t = 0; t < taps; ++t) {
        int64_t dy = (*im)[6 + 2 * t], dx = (*im)[7 + 2 * t];
        size_t src = size_t((n * hp + y * sh + dy) * wp + x * sw + dx);
        std::copy_n(inputs[0]->data.begin() + src * c, c,
                    padded.data.begin() + (size_t(q) * size_t(taps) +
                                           size_t(t)) * c);
      }
    }
    inputs[0] = &padded;
  }
  FailureOr<num::DType> dt = dtypeOf(op, op.getType());
  if (failed(dt))
    return failure();
  // With crop, the grid fills the logical result; its valid rows are
  // gathered into the result at the end.
  Tensor result = makeResult(*dt, op.logicalResultType());

  // Start (in elements) of the tile of `full` with tile type `tileType` at
  // grid point `g`; fails if the tile does not lie inside `full`.
  auto tileStart = [&](AffineMap map, ArrayRef<int64_t> g,
                       const std::vector<int64_t> &fullShape,
                       ArrayRef<int64_t> tileShape,
                       SmallVectorImpl<int64_t> &start) -> LogicalResult {
    if (map.getNumDims() != g.size() || map.getNumSymbols() != 0 ||
        map.getNumResults() != fullShape.size() ||
        tileShape.size() != fullShape.size())
      return op.emitError("reference interpreter: kernel map does not match "
                          "the grid and the tensor rank");
    SmallVector<int64_t> block = map.compose(g);
    start.clear();
    for (size_t d = 0; d < fullShape.size(); ++d) {
      // The last tile of a dimension may be ragged (reach past the end).
      int64_t s = block[d] * tileShape[d];
      if (block[d] < 0 || (s >= fullShape[d] && fullShape[d] > 0))
        return op.emitError("reference interpreter: tile at block ")
               << block[d] << " of dimension " << d
               << " lies outside the tensor";
      start.push_back(s);
    }
    return success();
  };

  Block &body = op.getBody().front();
  std::vector<Tensor> tiles(numInputs);
  for (unsigned i = 0; i < numInputs; ++i) {
    tiles[i].dtype = inputs[i]->dtype;
    auto shape = op.inputTileType(i).getShape();
    tiles[i].shape.assign(shape.begin(), shape.end());
    tiles[i].data.assign(size_t(tiles[i].numElements()), 0.0f);
  }
  auto resTileShape = op.resultTileType().getShape();

  int64_t points = 1;
  for (int64_t g : grid)
    points *= g;
  SmallVector<int64_t> g(grid.size(), 0), start;
  for (int64_t p = 0; p < points; ++p) {
    for (unsigned i = 0; i < numInputs; ++i) {
      // Blocks of the tile less its halo rows (KernelOp halos).
      if (failed(tileStart(cast<AffineMapAttr>(maps[i]).getValue(), g,
                           inputs[i]->shape, op.inputBlockType(i).getShape(),
                           start)))
        return failure();
      // Read-only use of the input's storage.
      copyTile(inputs[i]->shape, const_cast<float *>(inputs[i]->data.data()),
               tiles[i], start, /*toTile=*/true);
    }
    Interpreter inner;
    FailureOr<std::vector<Tensor>> out = inner.runBlock(body, tiles);
    if (failed(out))
      return failure();
    if (out->size() != 1)
      return op.emitError("reference interpreter: kernel body must yield "
                          "one tile");
    Tensor &tile = out->front();
    if (tile.dtype != result.dtype ||
        !llvm::equal(tile.shape, resTileShape))
      return op.emitError("reference interpreter: yielded tile does not "
                          "match the result tile type");
    if (failed(tileStart(cast<AffineMapAttr>(maps.back()).getValue(), g,
                         result.shape, resTileShape, start)))
      return failure();
    copyTile(result.shape, result.data.data(), tile, start, /*toTile=*/false);
    // Next grid point, row-major.
    for (int64_t d = int64_t(grid.size()) - 1; d >= 0; --d) {
      if (++g[size_t(d)] < grid[size_t(d)])
        break;
      g[size_t(d)] = 0;
    }
  }
  if (auto crop = op.getCrop()) {
    int64_t hp = (*crop)[0], wp = (*crop)[1], oh = (*crop)[2],
            ow = (*crop)[3];
    Tensor cropped = makeResult(*dt, op.getType());
    size_t cols = size_t(cropped.shape[1]);
    for (int64_t q = 0; q < cropped.shape[0]; ++q) {
      int64_t n = q / (oh * ow), h = q / ow % oh, w = q % ow;
      size_t p = size_t((n * hp + h) * wp + w);
      std::copy_n(result.data.begin() + p * cols, cols,
                  cropped.data.begin() + size_t(q) * cols);
    }
    result = std::move(cropped);
  }
  env[op.getResult()] = std::move(result);
  return success();
}

} // namespace

FailureOr<std::vector<Tensor>> dojo::ref::interpret(func::FuncOp func,
                                                    ArrayRef<Tensor> inputs) {
  if (func.isExternal())
    return func.emitError("reference interpreter: function has no body");
  if (!func.getBody().hasOneBlock())
    return func.emitError("reference interpreter supports only "
                          "single-block functions");
  Interpreter interp;
  return interp.runBlock(func.getBody().front(), inputs);
}
