//===- Interpreter.cpp - Reference interpreter of the dojo graph ----------===//
//
// A deliberately simple, independent implementation of the graph-level
// semantics (it shares only the number-format routines of Numerics.h with
// the simulator):
//
//  * dojo.matmul: c[i][j] = round(((+0 + a[i][0]*b[0][j]) + a[i][1]*b[1][j])
//    + ...), every product and sum an FP32 operation of its own (this file is
//    compiled with -ffp-contract=off), k ascending, one rounding to the
//    result type at the end.
//  * dojo.add: NumPy broadcasting, FP32 sum of the exact operand values,
//    one rounding to the result type.
//  * dojo.relu: x > 0 ? x : +0, NaN stays NaN (as the simulator's vrelu).
//  * dojo.kernel: the body once per grid point on the tiles at
//    map(g) * tile_shape; the yielded tile is written at map(g) * tile_shape.
//  * dojo.barrier: no effect on values.
//
//===----------------------------------------------------------------------===//

#include "dojo/Reference/Interpreter.h"

#include "Dojo/DojoDialect.h"

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseMap.h"

#include <cstring>

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
  int64_t n = static_cast<int64_t>(data.size());
  std::vector<uint8_t> bytes(size_t(n * num::dtypeBytes(dtype)));
  for (int64_t i = 0; i < n; ++i)
    num::storeFromF32(bytes.data(), dtype, i, data[size_t(i)]);
  return bytes;
}

Tensor Tensor::fromBytes(num::DType dtype, std::vector<int64_t> shape,
                         const std::vector<uint8_t> &bytes) {
  Tensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  int64_t n = t.numElements();
  t.data.assign(size_t(n), 0.0f);
  // Only whole elements present in `bytes` are read; the rest stay +0.
  int64_t avail = static_cast<int64_t>(bytes.size()) / num::dtypeBytes(dtype);
  for (int64_t i = 0; i < std::min(n, avail); ++i)
    t.data[size_t(i)] = num::loadAsF32(bytes.data(), dtype, i);
  return t;
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

/// Rounds an FP32 value to the nearest value of `t` (kept in FP32).
float roundTo(num::DType t, float v) {
  uint8_t buf[4];
  num::storeFromF32(buf, t, 0, v);
  return num::loadAsF32(buf, t, 0);
}

FailureOr<num::DType> dtypeOf(Operation *op, Type type) {
  auto rt = dyn_cast<RankedTensorType>(type);
  if (!rt || !rt.hasStaticShape())
    return op->emitError("reference interpreter needs statically shaped "
                         "ranked tensors, got ")
           << type;
  Type e = rt.getElementType();
  if (e.isF32())
    return num::DType::F32;
  if (isa<BFloat16Type>(e))
    return num::DType::BF16;
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

/// Empty result tensor of type `type` (which dtypeOf has accepted).
Tensor makeResult(num::DType dt, Type type) {
  Tensor t;
  t.dtype = dt;
  auto shape = cast<RankedTensorType>(type).getShape();
  t.shape.assign(shape.begin(), shape.end());
  t.data.assign(size_t(t.numElements()), 0.0f);
  return t;
}

class Interpreter {
public:
  FailureOr<std::vector<Tensor>> runBlock(Block &block,
                                          ArrayRef<Tensor> args);

private:
  LogicalResult run(Operation *op);
  LogicalResult runMatmul(MatmulOp op);
  LogicalResult runAdd(AddOp op);
  LogicalResult runRelu(ReluOp op);
  LogicalResult runKernel(KernelOp op);

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
    FailureOr<num::DType> dt = dtypeOf(op, v.getType());
    if (failed(dt))
      return failure();
    auto shape = cast<RankedTensorType>(v.getType()).getShape();
    if (*dt != t.dtype || !llvm::equal(shape, t.shape))
      return op->emitError("reference interpreter: operand value does not "
                           "match its type ")
             << v.getType();
    return success();
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
    FailureOr<num::DType> dt = dtypeOf(parent, arg.getType());
    if (failed(dt))
      return failure();
    auto shape = cast<RankedTensorType>(arg.getType()).getShape();
    const Tensor &t = args[i];
    if (*dt != t.dtype || !llvm::equal(shape, t.shape) ||
        int64_t(t.data.size()) != t.numElements()) {
      std::string have;
      llvm::raw_string_ostream os(have);
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
  if (auto mm = dyn_cast<MatmulOp>(op))
    return runMatmul(mm);
  if (auto add = dyn_cast<AddOp>(op))
    return runAdd(add);
  if (auto relu = dyn_cast<ReluOp>(op))
    return runRelu(relu);
  if (auto kernel = dyn_cast<KernelOp>(op))
    return runKernel(kernel);
  if (isa<BarrierOp>(op))
    return success();
  return op->emitError("reference interpreter does not support '")
         << op->getName() << "'";
}

LogicalResult Interpreter::runMatmul(MatmulOp op) {
  const Tensor *a = lookup(op, op.getLhs());
  const Tensor *b = lookup(op, op.getRhs());
  if (!a || !b || failed(checkOperand(op, op.getLhs(), *a)) ||
      failed(checkOperand(op, op.getRhs(), *b)))
    return failure();
  FailureOr<num::DType> dt = dtypeOf(op, op.getType());
  if (failed(dt))
    return failure();
  if (a->shape.size() != 2 || b->shape.size() != 2)
    return op.emitError("reference interpreter supports only 2-d matmul");
  int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
  if (b->shape[0] != k)
    return op.emitError("reference interpreter: contraction sizes differ");
  Tensor c = makeResult(*dt, op.getType());
  if (c.shape.size() != 2 || c.shape[0] != m || c.shape[1] != n)
    return op.emitError("reference interpreter: result shape mismatch");
  std::vector<float> acc(static_cast<size_t>(n));
  const float *ad = a->data.data(), *bd = b->data.data();
  for (int64_t i = 0; i < m; ++i) {
    std::fill(acc.begin(), acc.end(), 0.0f); // +0
    for (int64_t p = 0; p < k; ++p) {
      const float x = ad[i * k + p];
      const float *brow = bd + p * n;
      for (int64_t j = 0; j < n; ++j)
        acc[size_t(j)] = acc[size_t(j)] + x * brow[j];
    }
    for (int64_t j = 0; j < n; ++j)
      c.data[size_t(i * n + j)] = roundTo(c.dtype, acc[size_t(j)]);
  }
  env[op.getResult()] = std::move(c);
  return success();
}

LogicalResult Interpreter::runAdd(AddOp op) {
  const Tensor *a = lookup(op, op.getLhs());
  const Tensor *b = lookup(op, op.getRhs());
  if (!a || !b || failed(checkOperand(op, op.getLhs(), *a)) ||
      failed(checkOperand(op, op.getRhs(), *b)))
    return failure();
  FailureOr<num::DType> dt = dtypeOf(op, op.getType());
  if (failed(dt))
    return failure();
  Tensor c = makeResult(*dt, op.getType());
  const size_t rank = c.shape.size();
  if (a->shape.size() > rank || b->shape.size() > rank)
    return op.emitError("reference interpreter: operand rank exceeds result "
                        "rank");
  // Strides of each operand in result coordinates (0 where broadcast).
  auto bcastStrides = [&](const Tensor &t,
                          std::vector<int64_t> &out) -> LogicalResult {
    out.assign(rank, 0);
    std::vector<int64_t> s = stridesOf(t.shape);
    size_t off = rank - t.shape.size();
    for (size_t d = 0; d < t.shape.size(); ++d) {
      int64_t have = t.shape[d], want = c.shape[off + d];
      if (have == want)
        out[off + d] = want == 1 ? 0 : s[d];
      else if (have != 1)
        return op.emitError("reference interpreter: operands are not "
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
          roundTo(c.dtype, a->data[size_t(i)] + b->data[size_t(i)]);
  } else {
    std::vector<int64_t> idx(rank, 0);
    int64_t ia = 0, ib = 0;
    for (int64_t i = 0; i < n; ++i) {
      c.data[size_t(i)] =
          roundTo(c.dtype, a->data[size_t(ia)] + b->data[size_t(ib)]);
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
  }
  env[op.getResult()] = std::move(c);
  return success();
}

LogicalResult Interpreter::runRelu(ReluOp op) {
  const Tensor *a = lookup(op, op.getInput());
  if (!a || failed(checkOperand(op, op.getInput(), *a)))
    return failure();
  FailureOr<num::DType> dt = dtypeOf(op, op.getType());
  if (failed(dt))
    return failure();
  Tensor c = makeResult(*dt, op.getType());
  for (size_t i = 0; i < c.data.size(); ++i) {
    float x = a->data[i];
    // x > 0 ? x : +0; NaN stays NaN.
    c.data[i] = roundTo(c.dtype, x > 0.0f ? x : (x != x ? x : 0.0f));
  }
  env[op.getResult()] = std::move(c);
  return success();
}

/// Copies the tile at element offset `start` of a full tensor (row-major
/// `fullShape` at `fullData`) into `tile` (toTile) or back (!toTile).
void copyTile(const std::vector<int64_t> &fullShape, float *fullData,
              Tensor &tile, ArrayRef<int64_t> start, bool toTile) {
  const size_t rank = fullShape.size();
  std::vector<int64_t> fs = stridesOf(fullShape);
  const int64_t n = tile.numElements();
  if (n == 0)
    return;
  const int64_t inner = tile.shape.empty() ? 1 : tile.shape.back();
  std::vector<int64_t> idx(rank, 0);
  for (int64_t t = 0; t < n; t += inner) {
    int64_t f = 0;
    for (size_t d = 0; d < rank; ++d)
      f += (start[d] + idx[d]) * fs[d];
    float *fp = fullData + f;
    float *tp = tile.data.data() + t;
    if (toTile)
      std::memcpy(tp, fp, size_t(inner) * sizeof(float));
    else
      std::memcpy(fp, tp, size_t(inner) * sizeof(float));
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
    const Tensor *t = lookup(op, v);
    if (!t || failed(checkOperand(op, v, *t)))
      return failure();
    inputs.push_back(t);
  }
  FailureOr<num::DType> dt = dtypeOf(op, op.getType());
  if (failed(dt))
    return failure();
  Tensor result = makeResult(*dt, op.getType());

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
      int64_t s = block[d] * tileShape[d];
      if (block[d] < 0 || s + tileShape[d] > fullShape[d])
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
      if (failed(tileStart(cast<AffineMapAttr>(maps[i]).getValue(), g,
                           inputs[i]->shape, tiles[i].shape, start)))
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
