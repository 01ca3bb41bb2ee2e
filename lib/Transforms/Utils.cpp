//===- Utils.cpp - Helpers shared by the dojo passes ----------------------===//

#include "dojo/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;

const dojo::MachineDesc *dojo::getTargetOrError(Operation *op) {
  if (TargetAttr t = TargetAttr::lookup(op))
    return &t.getDesc();
  op->emitError("no machine description: set the module attribute "
                "'dojo.target' (e.g. run dojo-set-target{target=d1})");
  return nullptr;
}

int64_t dojo::elementBytes(Type t) {
  // 64-bit integers (gather indices) are held as int32 on the machine.
  if (t.isF32() || t.isInteger(32) || t.isInteger(64))
    return 4;
  if (t.isBF16())
    return 2;
  if (t.isInteger(8) || isa<Float8E4M3FNType, Float8E5M2Type>(t))
    return 1;
  return 0;
}

bool dojo::toDType(Type t, num::DType &out) {
  if (t.isF32())
    out = num::DType::F32;
  else if (t.isBF16())
    out = num::DType::BF16;
  else if (t.isInteger(32) || t.isInteger(64))
    out = num::DType::I32;
  else if (t.isInteger(8))
    out = num::DType::I8;
  else if (isa<Float8E4M3FNType>(t)) // CFP8 1-4-3 (bias CSR default 7)
    out = num::DType::CFP8_143;
  else if (isa<Float8E5M2Type>(t)) // CFP8 1-5-2 (bias CSR default 15)
    out = num::DType::CFP8_152;
  else
    return false;
  return true;
}

int64_t dojo::tensorBytes(RankedTensorType t) {
  return t.getNumElements() * elementBytes(t.getElementType());
}

int64_t dojo::scratchBytes(Operation *op, int64_t rows) {
  // The result's (and a row-wise op's input's) row count, or `rows`.
  auto elems = [&](RankedTensorType t) {
    if (rows >= 0 && t.getRank() == 2)
      return rows * t.getDimSize(1);
    return t.getNumElements();
  };
  if (auto mm = dyn_cast<MatmulOp>(op)) {
    auto t = mm.getResult().getType();
    int64_t acc = t.getElementType().isF32() ? 0 : t.getNumElements() * 4;
    if (mm.getLhs().getType().getElementType().isF32()) {
      // FP32 operands run on the vector unit: A transposed, a zero mask,
      // and two work tiles (see convert-dojo-to-isa), then the accumulator.
      int64_t m = t.getDimSize(0), n = t.getDimSize(1);
      int64_t k = mm.getLhs().getType().getDimSize(1);
      return alignTo(k * m * 4, 64) + 3 * alignTo(m * n * 4, 64) + acc;
    }
    return acc;
  }
  // gelu: two FP32 tiles and four constant rows (the erf form uses three).
  if (isa<GeluOp>(op)) {
    auto t = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t cols = t.getRank() ? t.getDimSize(t.getRank() - 1) : 1;
    return 2 * alignTo(elems(t) * 4, 64) + 4 * alignTo(cols * 4, 64);
  }
  // Multi-step unary ops keep their FP32 intermediates in scratch so the
  // result is rounded once; sigmoid also needs a row of ones.
  if (isa<RsqrtOp, SigmoidOp>(op)) {
    auto t = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t cols = t.getRank() ? t.getDimSize(t.getRank() - 1) : 1;
    if (isa<SigmoidOp>(op))
      return alignTo(elems(t) * 4, 64) + alignTo(cols * 4, 64);
    return elems(t) * 4;
  }
  // A scalar operand broadcast to a wider tile is first expanded into a row
  // (plus a row of zero masks for the bitwise vsel that expands it).
  if (isLoweredBinary(op)) {
    auto t = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t cols = t.getRank() ? t.getDimSize(t.getRank() - 1) : 1;
    for (Value v : op->getOperands())
      if (cast<RankedTensorType>(v.getType()).getNumElements() == 1 &&
          cols > 1)
        return 2 * alignTo(cols * 4, 64);
    return 0;
  }
  // Row-wise ops on a [rows x cols] tile keep FP32 work tiles and rows of
  // per-row values and constants (see convert-dojo-to-isa).
  if (isLoweredRowwise(op)) {
    auto in = cast<RankedTensorType>(op->getOperand(0).getType());
    int64_t r = rows >= 0 ? rows : in.getDimSize(0), cols = in.getDimSize(1);
    int64_t tile = alignTo(r * cols * 4, 64), row = alignTo(r * 4, 64);
    if (isa<SoftmaxOp>(op))
      return tile + 2 * row;
    if (isa<LayerNormOp>(op))
      return 2 * tile + 5 * row;
    return 3 * row; // reductions: sum row, zero, count
  }
  return 0;
}

bool dojo::isLoweredRowwise(Operation *op) {
  auto in = op->getNumOperands()
                ? dyn_cast<RankedTensorType>(op->getOperand(0).getType())
                : RankedTensorType();
  if (!in || in.getRank() != 2)
    return false;
  if (auto s = dyn_cast<SoftmaxOp>(op))
    return s.getAxis() == 1;
  if (auto l = dyn_cast<LayerNormOp>(op))
    return l.getAxis() == 1;
  if (isa<ReduceSumOp, ReduceMaxOp, ReduceMeanOp>(op)) {
    auto axes = op->getAttrOfType<DenseI64ArrayAttr>("axes");
    return axes && axes.asArrayRef() == ArrayRef<int64_t>{1};
  }
  return false;
}

bool dojo::isLoweredUnary(Operation *op) {
  if (auto cast = dyn_cast<CastOp>(op))
    return cast.getInput().getType().getShape() ==
           cast.getResult().getType().getShape();
  return isa<ReluOp, SigmoidOp, TanhOp, ExpOp, LogOp, SqrtOp, RsqrtOp,
             ReciprocalOp, GeluOp, ErfOp>(op);
}

bool dojo::isLoweredBinary(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp>(op);
}

bool dojo::isCommutative(Operation *op) {
  return isa<AddOp, MulOp, MaxOp, MinOp>(op);
}

int64_t dojo::MeshPlacement::score() const {
  int64_t h = rows.back() - rows.front() + 1;
  int64_t lo = *llvm::min_element(cols), hi = *llvm::max_element(cols);
  int64_t w = hi - lo + 1;
  return std::max(h, w) * 1000000 + h * w;
}

std::optional<dojo::MeshPlacement>
dojo::placePacked(const MachineDesc &m, int64_t nr, int64_t nc,
                  bool spares) {
  MeshPlacement p;
  p.packed = true;
  if (spares) {
    for (int64_t r = 0; r < m.rows && (int64_t)p.rows.size() < nr; ++r) {
      SmallVector<int64_t> cols;
      int64_t spare = nc;
      for (int64_t c = 0; c < nc && c < m.cols; ++c) {
        if (!m.isDisabled(r, c)) {
          cols.push_back(c);
          continue;
        }
        while (spare < m.cols && m.isDisabled(r, spare))
          ++spare;
        if (spare < m.cols)
          cols.push_back(spare++);
      }
      if ((int64_t)cols.size() < nc)
        continue;
      p.rows.push_back(r);
      llvm::append_range(p.cols, cols);
    }
    if ((int64_t)p.rows.size() < nr || nr < 1 || nc < 1)
      return std::nullopt;
    return p;
  }
  // Each row takes its first `nc` enabled cores. A row with no disabled
  // core among them skips the same columns as the last row above it that
  // had to (if its span still fits the mesh), so that rows form bands
  // whose grid columns line up: a grid column then runs straight within a
  // band, and its B multicast needs one segment per band, not per row.
  SmallVector<int64_t> bandSkips;
  for (int64_t r = 0; r < m.rows && (int64_t)p.rows.size() < nr; ++r) {
    SmallVector<int64_t> cols, skips;
    for (int64_t c = 0; c < m.cols && (int64_t)cols.size() < nc; ++c) {
      if (m.isDisabled(r, c))
        skips.push_back(c);
      else
        cols.push_back(c);
    }
    if ((int64_t)cols.size() < nc)
      continue;
    if (!skips.empty()) {
      bandSkips = skips;
    } else if (!bandSkips.empty() &&
               nc + int64_t(bandSkips.size()) <= m.cols) {
      SmallVector<int64_t> banded;
      for (int64_t c = 0; (int64_t)banded.size() < nc; ++c)
        if (!llvm::is_contained(bandSkips, c))
          banded.push_back(c);
      if (llvm::none_of(banded, [&](int64_t c) { return m.isDisabled(r, c); }))
        cols = banded;
    }
    p.rows.push_back(r);
    llvm::append_range(p.cols, cols);
  }
  if ((int64_t)p.rows.size() < nr || nr < 1 || nc < 1)
    return std::nullopt;
  return p;
}

StringRef dojo::inheritedChoice(Operation *op, StringRef name) {
  for (Operation *o = op; o; o = o->getParentOp())
    if (auto a = o->getAttrOfType<StringAttr>(name))
      if (a.getValue() != "auto")
        return a.getValue();
  return "";
}

bool dojo::usePackedSpares(Operation *op) {
  return inheritedChoice(op, kPackedHolesAttr) != "shift";
}

bool dojo::usePackedPlacement(Operation *op, const MachineDesc &) {
  // `auto` (or no attribute) is cross until dojo-tile resolves it on the
  // function (resolveAutoPlacement).
  return inheritedChoice(op, kPlacementAttr) == "packed";
}

bool dojo::resolveAutoPlacement(func::FuncOp func, const MachineDesc &m) {
  StringRef placement = inheritedChoice(func, kPlacementAttr);
  StringRef holes = inheritedChoice(func, kPackedHolesAttr);
  // Packed pays when it gives more cores and the function's largest matmul
  // still gets tiles of at least 64 rows and 24 columns on them: a B row
  // of 32 bf16 fills a 64-byte packet (narrower, the segment loads of a
  // packed grid column waste packet bytes, but 27 columns still won: the
  // 6272 x 512 x 128 product of ResNet-50's conv3 1x1 128 -> 512, 9634
  // cycles cross against 8064 packed), and fewer rows make kernels bound
  // by DMA latency. Measured on d1 with bench/compiler_bench, packed
  // against cross: 2048^3 GEMM 118K against 143K cycles, encoder
  // layer 800K against 887K, q/k/v projections 131K against 144K; d1 MLP
  // (16-row tiles) 10.1K against 7.7K, 3x3 convs of stages 2 and 4 (tiles
  // of 4 and 14 columns) 68K against 64K and 34K against 28K.
  bool packed = false, bands = false;
  int64_t crossCores = maxPlaceableCores(m, /*packed=*/false);
  int64_t width = 0;
  for (int64_t c = m.cols; c >= 1 && !width; --c)
    if (placePacked(m, m.rows, c))
      width = c;
  if (width > 0 && (m.rows * width > crossCores || !placement.empty())) {
    MatmulOp largest;
    int64_t most = 0;
    func.walk([&](MatmulOp mm) {
      auto a = mm.getLhs().getType();
      auto r = mm.getResult().getType();
      if (a.getRank() != 2 || r.getRank() != 2)
        return;
      int64_t macs = r.getDimSize(0) * r.getDimSize(1) * a.getDimSize(1);
      if (macs > most)
        most = macs, largest = mm;
    });
    // Without a matmul the kernels are row-chunked elementwise, reduction
    // and data-movement work, which gains from every core (d1: softmax
    // 49152 x 512 81899 cycles packed against 108775 cross, layer_norm
    // 4096 x 768 10184 against 11524, a 4-D transpose 2989 against 3807).
    if (!largest)
      packed = true;
    if (largest) {
      auto r = largest.getResult().getType();
      int64_t rowsPerMeshRow = (r.getDimSize(0) + m.rows - 1) / m.rows;
      // Tall, narrow matmuls (over two 64-row tiles per mesh row, K >= 32
      // streamed, under 16 columns per mesh column) fold their grid rows
      // over the mesh (dojo-tile), which fills a packed placement.
      int64_t k = largest.contractionSize();
      bool tall = rowsPerMeshRow >= 128 && k >= 32 &&
                  r.getDimSize(1) < 16 * width;
      // Deep products (K >= 4 N) with tiles of at least 12 columns are
      // bound by moving A, which dojo-schedule then gathers (gather-a):
      // every core of a grid row loads a band of it, and more cores mean
      // shorter bands. Measured on d1: ResNet-50's conv4 1x1 1024 -> 256
      // (1568 x 256 x 1024, 14-column tiles) 10509 cycles cross against
      // 7761 packed, its conv4 3x3 (a window product of K 2304) 23798
      // against 22168; but 1160 x 96 x 512 (6-column tiles) 3792 against
      // 4669.
      int64_t tn = (r.getDimSize(1) + width - 1) / width;
      bool deep = k >= 4 * r.getDimSize(1) && tn >= 12;
      packed = rowsPerMeshRow >= 64 && (tn >= 24 || tall || deep);
      // Fewer rows (under 64 per mesh row): packed (with spares) pays when
      // its grid cuts the product into at least 5/4 fewer 8 x 8 blocks per
      // core than the best cross grid. Its A senders and B segment loaders
      // keep up or, when they cannot, load ahead with two B loaders per
      // segment (dojo-schedule). Measured on d1 (spare holes against
      // cross): ResNet-50's conv5 1x1 512 -> 2048 (42 blocks against 54)
      // 7081 cycles against 8883, its conv5 3x3 (an im2col of K 4608: 12
      // against 15) 19271 against 23495, conv5 1x1 2048 -> 512 (12 against
      // 15) 7856 against 10024; M x N x K 392 x 512 x 3072 10683 against
      // 14739, 392 x 512 x 1024 4680 against 5220. (Before the
      // simulator's DMA engines queued their transfers, the senders had to
      // outlast the products by 5/4 as well: conv5 1x1 2048 -> 512 then
      // ran 10683 packed against 9498 cross.)
      if (rowsPerMeshRow < 64 && k >= 64) {
        auto blocks = [&](int64_t rows, int64_t cols) {
          int64_t tm = (r.getDimSize(0) + rows - 1) / rows;
          int64_t tnc = (r.getDimSize(1) + cols - 1) / cols;
          return ((tm + 7) / 8) * ((tnc + 7) / 8);
        };
        int64_t crossBlocks = INT64_MAX;
        for (int64_t rows = 1; rows <= m.rows; ++rows)
          for (int64_t cols = m.cols; cols >= 1; --cols)
            if (placeCrossProduct(m, rows, cols)) {
              crossBlocks = std::min(crossBlocks, blocks(rows, cols));
              break;
            }
        packed = 4 * crossBlocks >= 5 * blocks(m.rows, width);
      }
      // Any deep product (K >= 4 N, tiles of any width or rows) is bound
      // by moving A, which a packed placement spreads over more senders
      // (measured on d1, packed against cross: 784 x 64 x 3072 7929
      // against 11755 cycles, 500 x 128 x 3072 6273 against 9105, 1568 x
      // 128 x 512 3372 against 4309, 196 x 256 x 2048 4296 against 4618;
      // 25 of 28 random products of 196 to 1568 rows then took the faster
      // placement, and none took a slower one than before).
      if (k >= 4 * r.getDimSize(1))
        packed = true;
      // Holes: the grid columns of tall (folded) and deep (gathered A)
      // products keep to bands (measured on d1, bands against spares:
      // conv4 1x1 1024 -> 256 7761 against 8090 cycles, conv3 1x1 512 ->
      // 128 7497 against 7956); the others take spares, which give
      // straight grid columns and so load each B column block from edge
      // memory about once instead of once per band (conv5 1x1 512 ->
      // 2048 8644 against 7424, conv5 3x3 23016 against 19262). A deep
      // window product gathers no A: spares (conv4 3x3 17227 against
      // 16916; a shifted row of its own loads B on every core).
      bands = rowsPerMeshRow >= 64 && (tall || (deep && !largest.getWindow()));
    }
  }
  // An explicit placement stays where it was set; the hole filling of a
  // packed one is recorded on the function.
  if (!placement.empty())
    packed = placement == "packed";
  else
    func->setAttr(kPlacementAttr, StringAttr::get(func.getContext(),
                                                  packed ? "packed" : "cross"));
  if (packed && holes.empty())
    func->setAttr(kPackedHolesAttr,
                  StringAttr::get(func.getContext(), bands ? "shift" : "spare"));
  return packed;
}

/// Mesh rows and columns, `nr` x `nc` of them, whose cross product holds no
/// disabled core, with the smallest bounding box; nullopt if none exists.
std::optional<dojo::MeshPlacement>
dojo::placeCrossProduct(const MachineDesc &m, int64_t nr, int64_t nc) {
  const auto &holes = m.disabled;
  // Each disabled core is avoided by dropping its row or its column. Try
  // every assignment when there are few; otherwise drop rows greedily.
  size_t k = holes.size();
  std::optional<dojo::MeshPlacement> best;
  auto consider = [&](uint64_t dropRowMask) {
    llvm::SmallDenseSet<int64_t> dropRows, dropCols;
    for (size_t h = 0; h < k; ++h) {
      bool byRow = k > 12 ? true : (dropRowMask >> h) & 1;
      (byRow ? dropRows : dropCols).insert(byRow ? holes[h].row : holes[h].col);
    }
    dojo::MeshPlacement p;
    for (int64_t r = 0; r < m.rows && (int64_t)p.rows.size() < nr; ++r)
      if (!dropRows.contains(r))
        p.rows.push_back(r);
    for (int64_t c = 0; c < m.cols && (int64_t)p.cols.size() < nc; ++c)
      if (!dropCols.contains(c))
        p.cols.push_back(c);
    if ((int64_t)p.rows.size() < nr || (int64_t)p.cols.size() < nc)
      return;
    if (!best || p.score() < best->score())
      best = p;
  };
  if (k > 12) {
    consider(0);
  } else {
    for (uint64_t mask = 0; mask < (uint64_t(1) << k); ++mask)
      consider(mask);
  }
  return best;
}


std::optional<dojo::MeshPlacement>
dojo::placeProgram(const MachineDesc &m, int64_t nr, int64_t nc,
                   int64_t flat, bool packed, bool spares) {
  // For each number of rows, the fewest columns that hold the 1-D grids
  // too; keep the placement with the smallest bounding box.
  std::optional<MeshPlacement> best;
  for (int64_t r = std::max<int64_t>(nr, 1); r <= m.rows; ++r) {
    int64_t c = std::max(std::max<int64_t>(nc, 1), (flat + r - 1) / r);
    if (c > m.cols)
      continue;
    if (auto p = packed ? placePacked(m, r, c, spares)
                        : placeCrossProduct(m, r, c))
      if (!best || p->score() < best->score())
        best = p;
  }
  return best;
}

int64_t dojo::maxPlaceableCores(const MachineDesc &m, bool packed) {
  int64_t best = 0;
  for (int64_t r = 1; r <= m.rows; ++r) {
    // Columns shrink as rows grow; find the widest placement for r rows.
    for (int64_t c = m.cols; c >= 1 && r * c > best; --c)
      if (packed ? placePacked(m, r, c).has_value()
                 : placeCrossProduct(m, r, c).has_value()) {
        best = r * c;
        break;
      }
  }
  return best;
}

bool dojo::isContiguousSlice(SliceOp slice) {
  // The input must be dense itself (a view slice has no buffer).
  if (auto in = slice.getInput().getDefiningOp<SliceOp>())
    if (!isContiguousSlice(in))
      return false;
  auto in = slice.getInput().getType();
  auto res = slice.getResult().getType();
  ArrayRef<int64_t> st = slice.getStrides();
  // Contiguous iff, after the leading run of size-1 result dims, one dim is
  // partially taken (any offset, unit stride) and every later dim is whole.
  int64_t d = 0, rank = res.getRank();
  while (d < rank && res.getDimSize(d) == 1)
    ++d;
  if (d == rank)
    return true;
  if (st[d] != 1 && res.getDimSize(d) > 1)
    return false;
  for (int64_t k = d + 1; k < rank; ++k)
    if (res.getDimSize(k) != in.getDimSize(k))
      return false;
  return true;
}

bool dojo::isViewSlice(SliceOp slice) {
  if (isContiguousSlice(slice) || slice->use_empty())
    return false;
  return llvm::all_of(slice->getUsers(), [](Operation *u) {
    return isa<ConcatOp, PadOp, SliceOp>(u);
  });
}

bool dojo::isDataMovement(Operation *op) {
  if (isa<ConcatOp, PadOp, SliceOp, GatherOp>(op))
    return true;
  // A transpose that keeps the last dimension is a strided copy.
  if (auto t = dyn_cast<TransposeOp>(op))
    return t.getPerm().size() > 2 &&
           t.getPerm().back() == int64_t(t.getPerm().size()) - 1;
  if (auto c = dyn_cast<arith::ConstantOp>(op))
    return isa<RankedTensorType>(c.getType());
  return false;
}

bool dojo::isCopyOp(Operation *op) {
  if (auto s = dyn_cast<SliceOp>(op))
    return !isContiguousSlice(s) && !isViewSlice(s);
  return isDataMovement(op);
}

void dojo::producersOf(Value v, SmallVectorImpl<Operation *> &out) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return;
  if (auto r = dyn_cast<ReshapeOp>(def))
    return producersOf(r.getInput(), out);
  if (auto s = dyn_cast<SliceOp>(def))
    if (!isCopyOp(s))
      return producersOf(s.getInput(), out);
  out.push_back(def);
}

int64_t dojo::batchedRowSplit(const MachineDesc &m, int64_t batches,
                              int64_t rows, int64_t k, int64_t n, int64_t eIn,
                              int64_t eOut, int64_t maxCores) {
  int64_t best = 0;
  for (int64_t s = 1; s <= rows && batches * s <= maxCores; ++s) {
    if (rows % s)
      continue;
    int64_t t = rows / s;
    int64_t bytes = k ? (t * k + k * n) * eIn + t * n * eOut +
                            (eOut != 4 ? t * n * 4 : 0) +
                            // FP32 operands: A^T and three work tiles.
                            (eIn == 4 ? (k * t + 3 * t * n) * 4 : 0)
                      : 2 * t * n * eIn;
    // 64-byte alignment of each buffer.
    if (bytes + 4 * 64 <= m.sram_bytes)
      best = s;
  }
  return best;
}

int64_t dojo::broadcastBBytes(KernelOp kernel) {
  if (!kernel->hasAttr(kBBroadcastAttr) || kernel.getGrid().size() != 2)
    return -1;
  auto mm = dyn_cast<MatmulOp>(&kernel.getBody().front().front());
  if (!mm)
    return -1;
  auto b = mm.getRhs().getType();
  return b.getDimSize(0) * kernel.getGrid()[1] * b.getDimSize(1) *
         elementBytes(b.getElementType());
}
