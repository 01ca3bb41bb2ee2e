//===- Tile.cpp - Split graph ops into per-core kernels -------------------===//
//
// A matmul and the elementwise ops that consume it form one kernel (the
// epilogue runs on the tile while it is still in SRAM). The grid of a matmul
// kernel splits M and N over cores; each core holds a full-K row block of A
// and column block of B. The grid is chosen by an analytic cost model from
// the machine description (see docs/architecture.md, "Tiling cost model").
//
//===----------------------------------------------------------------------===//

#include "dojo/Transforms/Passes.h"
#include "dojo/Transforms/Utils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

#include <limits>
#include <map>
#include <tuple>

namespace dojo {
#define GEN_PASS_DEF_DOJOTILE
#include "dojo/Transforms/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;

namespace {

int64_t ceilDiv(int64_t a, int64_t b);

/// Ways to split `n` over at most `limit` cores: for every distinct tile size
/// ceil(n/g), the smallest g whose last tile is not empty. The last tile may
/// be ragged.
SmallVector<int64_t> gridSizes(int64_t n, int64_t limit) {
  SmallVector<int64_t> out;
  int64_t lastTile = -1;
  for (int64_t g = 1; g <= std::min(n, limit); ++g) {
    int64_t t = ceilDiv(n, g);
    if ((g - 1) * t >= n || t == lastTile)
      continue;
    lastTile = t;
    out.push_back(g);
  }
  return out;
}


int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// How an extra (non-matmul) operand of the epilogue is tiled, given the
/// kernel's 2-D result tile [tm, tn].
enum class EpilogueOperand { Row, Scalar, FullTile, Invalid };

EpilogueOperand classifyShape(RankedTensorType operand,
                              RankedTensorType result) {
  int64_t n = result.getDimSize(result.getRank() - 1);
  if (operand.getShape() == result.getShape())
    return EpilogueOperand::FullTile;
  if (result.getRank() == 2 && operand.getRank() <= 2 &&
      operand.getNumElements() == 1)
    return EpilogueOperand::Scalar;
  if (result.getRank() == 2 &&
      ((operand.getRank() == 1 && operand.getDimSize(0) == n) ||
       (operand.getRank() == 2 && operand.getDimSize(0) == 1 &&
        operand.getDimSize(1) == n)))
    return EpilogueOperand::Row;
  return EpilogueOperand::Invalid;
}

/// As classifyShape, for an operand of an epilogue op whose result type is
/// `result` (the element types must match).
EpilogueOperand classify(RankedTensorType operand, RankedTensorType result) {
  if (operand.getElementType() != result.getElementType())
    return EpilogueOperand::Invalid;
  return classifyShape(operand, result);
}

struct Candidate {
  int64_t gm = 1, gn = 1;
  /// A 1-D grid of gm cores over rows, each with all of B (gn = 1): any
  /// cores of the program, not just the mesh rows (no multicast).
  bool flat = false;
  /// A 2-D grid whose rows are folded `fold` times over the placement
  /// (KernelOp `fold`): it needs ceil(gm / fold) rows and fold * gn columns.
  int64_t fold = 1;
  int64_t needRows() const { return ceilDiv(gm, fold); }
  int64_t needCols() const { return fold * gn; }
  double cost = std::numeric_limits<double>::infinity();
  int64_t footprint = 0;
};

struct DojoTilePass : dojo::impl::DojoTileBase<DojoTilePass> {
  using DojoTileBase::DojoTileBase;

  /// What the kernels tiled so far need from dojo-place: mesh rows and
  /// columns for the 2-D grids, cores for the 1-D ones. A new grid is only
  /// chosen if the whole program stays placeable.
  int64_t needRows = 1, needCols = 1, needFlat = 1;
  /// Placement answers and the placement capacity of the target, computed
  /// once per function (the candidate search asks many times).
  std::map<std::tuple<int64_t, int64_t, int64_t>, bool> placeable;
  int64_t maxPlaceable = 0;
  bool packed = false; // the program's placement style (dojo-place)
  bool placeableWith(const MachineDesc &m, int64_t nr, int64_t nc,
                     int64_t flat) {
    auto key = std::make_tuple(std::max(needRows, nr), std::max(needCols, nc),
                               std::max(needFlat, flat));
    auto it = placeable.find(key);
    if (it == placeable.end())
      it = placeable
               .emplace(key, placeProgram(m, std::get<0>(key),
                                          std::get<1>(key), std::get<2>(key),
                                          packed)
                                 .has_value())
               .first;
    return it->second;
  }

  /// The A tile of the group being tiled when its matmul is a window
  /// product: windowC columns and windowHalo rows past each block (0: a
  /// plain [tm, K] tile).
  int64_t windowC = 0, windowHalo = 0;

  /// Cost in cycles and SRAM footprint of one matmul kernel tiling.
  Candidate evaluate(const MachineDesc &m, int64_t M, int64_t N, int64_t K,
                     int64_t gm, int64_t gn, int64_t eIn, int64_t eOut,
                     int64_t epilogueBytesPerTile, bool needsScratch,
                     bool flat = false, int64_t fold = 1) {
    Candidate c;
    c.gm = gm;
    c.gn = gn;
    c.flat = flat;
    c.fold = fold;
    int64_t tm = ceilDiv(M, gm), tn = ceilDiv(N, gn);
    // A folded grid gets its B whole (dojo.b_broadcast).
    int64_t bCols = fold > 1 ? gn * tn : tn;
    int64_t aElems = windowC > 0 ? (tm + windowHalo) * windowC : tm * K;
    int64_t inBytes = (aElems + K * bCols) * eIn + epilogueBytesPerTile;
    int64_t outBytes = tm * tn * eOut;
    c.footprint = inBytes + outBytes + (needsScratch ? tm * tn * 4 : 0);
    double steps = double(ceilDiv(tm, 8)) * ceilDiv(tn, 8) * ceilDiv(K, 4);
    double compute = steps * 256.0 / m.mac_per_cycle;
    if (eIn == 4) {
      // FP32 operands run on the vector unit: four tile-wide instructions
      // per k, and A^T plus three work tiles of scratch.
      c.footprint += (K * tm + 3 * tm * tn) * 4;
      compute = double(K) * 4 * tm * ceilDiv(tn * 4, m.simd_bytes);
    }
    double sramPort = steps * 128.0 / m.sram_load_bpc;
    double cores = double(gm * gn);
    // With multicast (dojo-schedule, when the target has the threads for
    // it) each operand block leaves edge memory once; otherwise every core
    // fetches its own copy.
    // (A folded grid streams K >= 32 in two slices at least: dojo-schedule.)
    bool mcast = !flat && m.threads >= 3 && m.semaphores >= 6 &&
                 (K >= 128 || (fold > 1 && K >= 32));
    double dramIn = (mcast ? double((M * K + K * N) * eIn) : cores * inBytes) /
                    double(m.edgeBytesPerCycleTotal());
    double linkIn = double(inBytes) / m.noc_link_bpc;
    double dramOut = cores * outBytes / double(m.edgeBytesPerCycleTotal());
    double linkOut = double(outBytes) / m.noc_link_bpc;
    // dojo-schedule streams K in slices, so only the first slice's load is
    // exposed; the rest overlaps the matrix unit.
    double chunks = double(std::clamp<int64_t>(K / 64, fold > 1 ? 2 : 1, 8));
    double load = std::max(dramIn, linkIn);
    // Folded grids: an A sender loads each slice, waits for it, and
    // multicasts it on the core's one DMA engine: twice its block's bytes
    // plus a round trip per slice (once, without the multicast, for a grid
    // row of one core); the broadcast B's four loaders each do a quarter
    // of the whole B likewise. (Not counted for the other grids: there it
    // picks worse grids, docs/passes.md.)
    double senders = 0;
    if (mcast && fold > 1) {
      double trip = double(m.edge_latency + m.dma_latency);
      double aBlock = double(aElems * eIn) / m.noc_link_bpc;
      double senderA = chunks * trip + (gn > 1 ? 2 : 1) * aBlock;
      double senderB =
          (chunks * trip + 2.0 * K * N * eIn / m.noc_link_bpc) / 4;
      senders = std::max(senderA, senderB);
    }
    // A window product's first slice (its first tap) reads nearly the
    // whole A tile, which a grid row's sender loads and then multicasts
    // before any product starts (a folded grid's senders are counted
    // above, as they overlap).
    double exposed = load / chunks;
    if (mcast && windowC > 0 && fold == 1 && gn > 1)
      exposed = std::max(exposed, 2.0 * double(aElems * eIn) / m.noc_link_bpc);
    c.cost = exposed +
             std::max({load * (chunks - 1) / chunks, compute, sramPort,
                       senders}) +
             std::max(dramOut, linkOut) + 2.0 * m.edge_latency;
    return c;
  }

  LogicalResult tileMatmulGroup(ArrayRef<Operation *> group,
                                const MachineDesc &m, int64_t coreBudget) {
    auto mm = cast<MatmulOp>(group.front());
    auto resTy = cast<RankedTensorType>(group.back()->getResult(0).getType());
    int64_t M = resTy.getDimSize(0), N = resTy.getDimSize(1);
    int64_t K = mm.contractionSize();
    // A window product's A tile: its rows plus the halo, C columns.
    bool window = mm.getWindow().has_value();
    windowC = window ? mm.getLhs().getType().getDimSize(1) : 0;
    windowHalo = mm.windowHalo();
    int64_t eIn = elementBytes(mm.getLhs().getType().getElementType());
    int64_t eOut = elementBytes(resTy.getElementType());
    bool scratch = !mm.getResult().getType().getElementType().isF32();

    // Extra operands of the epilogue, in order of first use.
    SmallVector<Value> extras;
    for (Operation *op : group.drop_front())
      for (Value v : op->getOperands())
        if (v.getDefiningOp() == nullptr ||
            !llvm::is_contained(group, v.getDefiningOp()))
          if (!llvm::is_contained(extras, v))
            extras.push_back(v);

    auto epilogueBytes = [&](int64_t gm, int64_t gn) {
      int64_t bytes = 0;
      for (Value v : extras) {
        auto t = cast<RankedTensorType>(v.getType());
        auto kind = classifyShape(t, resTy);
        bytes += kind == EpilogueOperand::Scalar ? eOut
                 : kind == EpilogueOperand::Row
                     ? ceilDiv(N, gn) * eOut
                     : ceilDiv(M, gm) * ceilDiv(N, gn) * eOut;
      }
      // Each epilogue op may need its own result buffer, and multi-step
      // ones (gelu, sigmoid, rsqrt) FP32 scratch: scratchBytes for the
      // tile's rows, scaled to its share of the columns.
      bytes += int64_t(group.size() - 1) * ceilDiv(M, gm) * ceilDiv(N, gn) * eOut;
      for (Operation *op : group.drop_front())
        bytes += ceilDiv(scratchBytes(op, ceilDiv(M, gm)) * ceilDiv(N, gn), N);
      return bytes;
    };

    Candidate best, smallest;
    smallest.footprint = std::numeric_limits<int64_t>::max();
    if (forceGrid.size() == 1 && window) {
      return mm.emitOpError("a window product needs a 2-D grid, got a "
                            "forced 1-D grid");
    } else if (forceGrid.size() == 1) {
      // A forced 1-D row grid.
      if (forceGrid[0] < 1 || !llvm::is_contained(gridSizes(M, M), forceGrid[0]))
        return mm.emitOpError("forced grid must split ")
               << M << " rows into non-empty tiles, got " << forceGrid[0];
      best = evaluate(m, M, N, K, forceGrid[0], 1, eIn, eOut,
                      epilogueBytes(forceGrid[0], 1), scratch, /*flat=*/true);
    } else if (!forceGrid.empty()) {
      if (forceGrid.size() != 2 || forceGrid[0] < 1 || forceGrid[1] < 1 ||
          !llvm::is_contained(gridSizes(M, M), forceGrid[0]) ||
          !llvm::is_contained(gridSizes(N, N), forceGrid[1]))
        return mm.emitOpError("forced grid must split ")
               << M << "x" << N << " into non-empty tiles, got "
               << forceGrid.size() << " value(s)";
      int64_t fold = std::max<int64_t>(1, forceFold);
      if (fold > 1 && forceGrid[0] <= ceilDiv(forceGrid[0], fold) * (fold - 1))
        return mm.emitOpError("forced fold ")
               << fold << " leaves the last fold of " << forceGrid[0]
               << " grid rows empty";
      best = evaluate(m, M, N, K, forceGrid[0], forceGrid[1], eIn, eOut,
                      epilogueBytes(forceGrid[0], forceGrid[1]), scratch,
                      /*flat=*/false, fold);
    } else {
      for (int64_t gm : gridSizes(M, m.rows))
        for (int64_t gn : gridSizes(N, m.cols)) {
          // Grid rows and columns become mesh rows and columns (dojo-place).
          if (gm * gn > coreBudget || gm > m.rows || gn > m.cols ||
              !placeableWith(m, gm, gn, 1))
            continue;
          Candidate c = evaluate(m, M, N, K, gm, gn, eIn, eOut,
                                 epilogueBytes(gm, gn), scratch);
          if (c.footprint < smallest.footprint)
            smallest = c;
          if (c.footprint > m.sram_bytes)
            continue;
          if (c.cost < best.cost ||
              (c.cost == best.cost && c.gm * c.gn < best.gm * best.gn))
            best = c;
        }
      // Folded 2-D grids (more grid rows than mesh rows: tall, narrow
      // matmuls): f grid rows side by side on each mesh row, B broadcast.
      // Only grids using over half of f folds' rows (fewer fold less).
      SmallVector<int64_t> foldedGm; // ascending
      if (K >= 32 && m.threads >= 3 && m.semaphores >= 6)
        for (int64_t gm : gridSizes(M, m.rows * m.cols))
          if (gm > m.rows)
            foldedGm.push_back(gm);
      if (!foldedGm.empty())
        for (int64_t f = 2; f <= m.cols; ++f)
          for (int64_t gn : gridSizes(N, m.cols / f))
            for (int64_t gm : foldedGm) {
              int64_t rows = ceilDiv(gm, f);
              if (gm > f * m.rows)
                break;
              if (2 * rows <= m.rows || gm <= rows * (f - 1) ||
                  gm * gn > coreBudget ||
                  !placeableWith(m, rows, f * gn, 1))
                continue;
              Candidate c = evaluate(m, M, N, K, gm, gn, eIn, eOut,
                                     epilogueBytes(gm, gn), scratch,
                                     /*flat=*/false, f);
              if (c.footprint < smallest.footprint)
                smallest = c;
              if (c.footprint > m.sram_bytes)
                continue;
              // Near ties (within 0.5 %: the same padded tiles under the
              // same edge-memory bound) go to more cores, each of which
              // then loads less through its edge port (measured on d1,
              // 25088 x 256 x 64: 340 x 1 7374 cycles, 326 x 1 7608).
              bool nearTie = best.fold > 1 && c.cost <= best.cost * 1.005 &&
                             c.gm * c.gn > best.gm * best.gn;
              if (c.cost < best.cost * 0.995 || nearTie ||
                  (c.cost < best.cost && best.fold == 1))
                best = c;
            }
      // 1-D grids over rows: every core of the program, each holding all
      // of B (for narrow N, where the mesh's rows x columns cannot be
      // filled).
      for (int64_t g : gridSizes(M, std::min(coreBudget, maxPlaceable))) {
        // (A window product streams its A tile only with multicast.)
        if (window || g <= m.rows || !placeableWith(m, 1, 1, g))
          continue;
        Candidate c = evaluate(m, M, N, K, g, 1, eIn, eOut,
                               epilogueBytes(g, 1), scratch, /*flat=*/true);
        if (c.footprint < smallest.footprint)
          smallest = c;
        if (c.footprint > m.sram_bytes)
          continue;
        if (c.cost < best.cost)
          best = c;
      }
      if (best.cost == std::numeric_limits<double>::infinity()) {
        // Nothing fits: split the rows in two and tile each half (kernels
        // of its own storing into one in-place concat); a single row that
        // does not fit is left to dojo-allocate-sram's report.
        // B's column block alone taking over half a core's SRAM even on
        // the widest 2-D grid: split N; otherwise split M.
        int64_t bBlock = K * ceilDiv(N, std::min<int64_t>(m.cols, N)) * eIn;
        if (!window && N >= 16 && (2 * bBlock > m.sram_bytes || M < 2))
          return splitGroup(group, m, coreBudget, /*dim=*/1);
        // (A window product's rows cannot be cut apart: its overflow is
        // left to the report.)
        if (!window && M >= 2)
          return splitGroup(group, m, coreBudget, /*dim=*/0);
        best = smallest;
      }
    }
    int64_t tm = ceilDiv(M, best.gm), tn = ceilDiv(N, best.gn);
    if (best.flat) {
      needFlat = std::max(needFlat, best.gm);
    } else {
      needRows = std::max(needRows, best.needRows());
      needCols = std::max(needCols, best.needCols());
    }

    // Build the kernel.
    MLIRContext *ctx = mm.getContext();
    OpBuilder b(group.back());
    // A flat grid has one dim (rows); its column block is always 0.
    unsigned nd = best.flat ? 1 : 2;
    AffineExpr zero = getAffineConstantExpr(0, ctx);
    AffineExpr i = getAffineDimExpr(0, ctx),
               j = best.flat ? zero : getAffineDimExpr(1, ctx);
    SmallVector<Value> inputs = {mm.getLhs(), mm.getRhs()};
    SmallVector<AffineMap> maps = {AffineMap::get(nd, 0, {i, zero}, ctx),
                                   AffineMap::get(nd, 0, {zero, j}, ctx)};
    SmallVector<Type> tileTypes = {
        RankedTensorType::get({window ? tm + windowHalo : tm,
                               window ? windowC : K},
                              mm.getLhs().getType().getElementType()),
        RankedTensorType::get({K, tn}, mm.getRhs().getType().getElementType())};
    for (Value v : extras) {
      auto t = cast<RankedTensorType>(v.getType());
      inputs.push_back(v);
      if (classifyShape(t, resTy) == EpilogueOperand::Scalar) {
        SmallVector<AffineExpr> zeros(t.getRank(), zero);
        maps.push_back(AffineMap::get(nd, 0, zeros, ctx));
        tileTypes.push_back(t);
      } else if (classifyShape(t, resTy) == EpilogueOperand::FullTile) {
        maps.push_back(AffineMap::get(nd, 0, {i, j}, ctx));
        tileTypes.push_back(RankedTensorType::get({tm, tn}, t.getElementType()));
      } else if (t.getRank() == 1) {
        maps.push_back(AffineMap::get(nd, 0, {j}, ctx));
        tileTypes.push_back(RankedTensorType::get({tn}, t.getElementType()));
      } else {
        maps.push_back(AffineMap::get(nd, 0, {zero, j}, ctx));
        tileTypes.push_back(RankedTensorType::get({1, tn}, t.getElementType()));
      }
    }
    maps.push_back(AffineMap::get(nd, 0, {i, j}, ctx));
    SmallVector<Attribute> mapAttrs;
    for (AffineMap map : maps)
      mapAttrs.push_back(AffineMapAttr::get(map));

    SmallVector<Location> locs;
    for (Operation *op : group)
      locs.push_back(op->getLoc());
    auto kernel = KernelOp::create(
        b, FusedLoc::get(ctx, locs), resTy, inputs,
        best.flat ? b.getDenseI64ArrayAttr({best.gm})
                  : b.getDenseI64ArrayAttr({best.gm, best.gn}),
        b.getArrayAttr(mapAttrs),
        /*place_rows=*/nullptr, /*place_cols=*/nullptr,
        /*arg_offsets=*/nullptr, /*sram_bytes=*/nullptr, /*sems=*/nullptr,
        /*k_chunks=*/nullptr, /*multicast=*/nullptr,
        best.fold > 1 ? b.getI64IntegerAttr(best.fold) : nullptr,
        /*halos=*/nullptr, /*crop=*/nullptr, /*pad_input=*/nullptr,
        /*im2col=*/nullptr);
    if (window) {
      SmallVector<int64_t> halos(inputs.size(), 0);
      halos[0] = windowHalo;
      kernel.setHalosAttr(b.getDenseI64ArrayAttr(halos));
    }
    Block *body = new Block();
    kernel.getBody().push_back(body);
    IRMapping mapping;
    for (auto [v, t] : llvm::zip(inputs, tileTypes))
      mapping.map(v, body->addArgument(t, v.getLoc()));
    OpBuilder bb = OpBuilder::atBlockEnd(body);
    for (Operation *op : group) {
      auto outTy = cast<RankedTensorType>(op->getResult(0).getType());
      auto tileTy = RankedTensorType::get({tm, tn}, outTy.getElementType());
      Operation *clone = bb.clone(*op, mapping);
      clone->getResult(0).setType(tileTy);
      mapping.map(op->getResult(0), clone->getResult(0));
    }
    YieldOp::create(bb, group.back()->getLoc(),
                    mapping.lookup(group.back()->getResult(0)));
    // A folded grid column is spread over many short mesh-column segments;
    // its B goes to every core whole instead (one broadcast tree per slice).
    if (best.fold > 1)
      kernel->setAttr(kBBroadcastAttr, b.getUnitAttr());
    group.back()->getResult(0).replaceAllUsesWith(kernel.getResult());
    for (Operation *op : llvm::reverse(group))
      op->erase();
    ++numKernels;
    numFused += group.size() - 1;
    return success();
  }

  /// Replaces a matmul group [M x N] by two groups on halves of dimension
  /// `dim` (whole 8-row or 8-column blocks of the matrix unit) whose
  /// results are concatenated along it, and tiles both.
  ///   dim 0 (rows): A and full-tile epilogue operands are sliced by rows
  ///     (contiguous slices: free aliases; the concat is built in place);
  ///   dim 1 (columns), for groups whose B column block alone is too big
  ///     for a core: B, full-tile and row-broadcast epilogue operands are
  ///     sliced by columns (scalars are shared), and the concat is a copy.
  LogicalResult splitGroup(ArrayRef<Operation *> group, const MachineDesc &m,
                           int64_t coreBudget, unsigned dim) {
    auto mm = cast<MatmulOp>(group.front());
    auto resTy = cast<RankedTensorType>(group.back()->getResult(0).getType());
    int64_t M = resTy.getDimSize(0), N = resTy.getDimSize(1);
    int64_t size = resTy.getDimSize(dim);
    int64_t half = ceilDiv(size, 2);
    if (half % 8 && alignTo(half, 8) < size)
      half = alignTo(half, 8);
    OpBuilder b(mm);
    Location loc = mm.getLoc();
    // The part [start, start + n) of `v` along its dimension `d`.
    auto part = [&](Value v, int64_t d, int64_t start, int64_t n) -> Value {
      auto t = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape(t.getShape()), offsets(t.getRank(), 0),
          strides(t.getRank(), 1);
      shape[d] = n;
      offsets[d] = start;
      return SliceOp::create(b, loc,
                             RankedTensorType::get(shape, t.getElementType()),
                             v, offsets, shape, strides);
    };
    // Epilogue operands that are cut: full tiles, and for columns also
    // rows of N values.
    auto isCut = [&](RankedTensorType t) {
      if (t.getRank() == 2 && t.getDimSize(0) == M && t.getDimSize(1) == N)
        return true;
      return dim == 1 && t.getRank() >= 1 &&
             t.getDimSize(t.getRank() - 1) == N && t.getNumElements() > 1;
    };
    SmallVector<SmallVector<Operation *>> pieces;
    SmallVector<Value> results;
    for (auto [start, n] : {std::pair<int64_t, int64_t>{0, half},
                            std::pair<int64_t, int64_t>{half, size - half}}) {
      IRMapping map;
      if (dim == 0)
        map.map(mm.getLhs(), part(mm.getLhs(), 0, start, n));
      else
        map.map(mm.getRhs(), part(mm.getRhs(), 1, start, n));
      // Every slice before any clone (a later split inserts before the
      // piece's matmul).
      for (Operation *op : group.drop_front())
        for (Value v : op->getOperands()) {
          auto t = cast<RankedTensorType>(v.getType());
          if (!map.contains(v) && !llvm::is_contained(group, v.getDefiningOp()) &&
              isCut(t))
            map.map(v, part(v, dim == 0 ? 0 : t.getRank() - 1, start, n));
        }
      SmallVector<Operation *> piece;
      for (Operation *op : group) {
        Operation *clone = b.clone(*op, map);
        auto t = cast<RankedTensorType>(op->getResult(0).getType());
        SmallVector<int64_t> shape = {M, N};
        shape[dim] = n;
        clone->getResult(0).setType(
            RankedTensorType::get(shape, t.getElementType()));
        map.map(op->getResult(0), clone->getResult(0));
        piece.push_back(clone);
      }
      results.push_back(piece.back()->getResult(0));
      pieces.push_back(std::move(piece));
    }
    Value whole = ConcatOp::create(b, loc, resTy, results, dim);
    group.back()->getResult(0).replaceAllUsesWith(whole);
    for (Operation *op : llvm::reverse(group))
      op->erase();
    for (auto &piece : pieces)
      if (failed(tileMatmulGroup(piece, m, coreBudget)))
        return failure();
    return success();
  }

  /// The elementwise ops that consume `op`'s result one after another
  /// (each the only user of the one before, of the same 1-D or 2-D shape):
  /// one kernel, at the last one's place (every other operand is defined
  /// before it), runs them on its tile (e.g. a max pool's chain of maxes,
  /// a batch norm's steps, its parameters' cast, add and rsqrt), with no
  /// barrier and no edge-memory round trip in between; with `side`, also
  /// the ops that compute a link's other operand for it alone.
  SmallVector<Operation *> elementwiseChain(Operation *op, bool side = true) {
    SmallVector<Operation *> chain = {op};
    auto shape = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
    if (!isLoweredElementwise(op) || shape.empty() || shape.size() > 2)
      return chain;
    auto sameShape = [&](Operation *o) {
      return cast<RankedTensorType>(o->getResult(0).getType()).getShape() ==
             shape;
    };
    // The elementwise ops of the chain's shape that compute only `v` (each
    // result used once, by the op after it), producers first: a chain
    // link's other operand computed on the side (a depthwise convolution's
    // tap products, x * w after a cast) joins the kernel too.
    std::function<void(Value, int)> producers = [&](Value v, int depth) {
      Operation *d = v.getDefiningOp();
      if (!side || !d || depth > kMaxSideOps || d->getBlock() != op->getBlock() ||
          !isLoweredElementwise(d) || !v.hasOneUse() || !sameShape(d) ||
          llvm::is_contained(chain, d))
        return;
      for (Value o : d->getOperands())
        producers(o, depth + 1);
      chain.push_back(d);
    };
    Value cur = op->getResult(0);
    while (cur.hasOneUse()) {
      Operation *user = *cur.getUsers().begin();
      if (user->getBlock() != op->getBlock() || !isLoweredElementwise(user) ||
          !sameShape(user) || llvm::count(user->getOperands(), cur) != 1)
        break;
      for (Value v : user->getOperands())
        if (v != cur)
          producers(v, 0);
      chain.push_back(user);
      cur = user->getResult(0);
    }
    return chain;
  }
  /// How deep elementwiseChain follows a side operand's producers.
  static constexpr int kMaxSideOps = 4;

  /// The chain's operands from outside it, in order of first use.
  static SmallVector<Value> chainInputs(ArrayRef<Operation *> chain) {
    SmallVector<Value> inputs;
    for (Operation *c : chain)
      for (Value v : c->getOperands())
        if (!llvm::is_contained(chain, v.getDefiningOp()) &&
            !llvm::is_contained(inputs, v))
          inputs.push_back(v);
    return inputs;
  }

  /// The largest row split of an elementwise or row-wise kernel running
  /// `chain` on `inputs` whose tiles (all operands + every op's result)
  /// fit, and whether one does (else 1, false).
  std::pair<int64_t, bool> elementwiseSplit(ArrayRef<Operation *> chain,
                                            ArrayRef<Value> inputs,
                                            const MachineDesc &m,
                                            int64_t coreBudget) {
    Operation *op = chain.front();
    auto resTy = cast<RankedTensorType>(chain.back()->getResult(0).getType());
    bool rowwise = isLoweredRowwise(op);
    auto inTy = cast<RankedTensorType>(op->getOperand(0).getType());
    RankedTensorType shapeTy = rowwise ? inTy : resTy;
    int64_t rows = shapeTy.getRank() == 2 ? shapeTy.getDimSize(0) : 1;
    int64_t cols = shapeTy.getDimSize(shapeTy.getRank() - 1);
    int64_t e = elementBytes(resTy.getElementType());
    // Bytes per tile element: every input tile (counted whole, rows and
    // scalars too) and every op's result tile (at most 4-byte elements for
    // the intermediate results of a chain).
    int64_t perElem = e + (rowwise ? 2 * 4 : 0) + 4 * int64_t(chain.size() - 1);
    for (Value v : inputs)
      perElem += std::max<int64_t>(
          e, elementBytes(cast<RankedTensorType>(v.getType()).getElementType()));
    auto tileBytes = [&](int64_t d) {
      return ceilDiv(rows, d) * cols * perElem;
    };
    // A rank-1 tensor is one core's tile.
    if (shapeTy.getRank() != 2)
      return {1, tileBytes(1) <= m.sram_bytes};
    int64_t g = 1;
    bool fits = false;
    for (int64_t d : gridSizes(rows, std::min(coreBudget, maxPlaceable)))
      if (tileBytes(d) <= m.sram_bytes && placeableWith(m, 1, 1, d)) {
        g = std::max(g, d);
        fits = true;
      }
    return {g, fits};
  }

  /// An elementwise or row-wise op, or a chain of elementwise ops starting
  /// with it (elementwiseChain), in a kernel of its own: rows split over
  /// cores.
  LogicalResult tileElementwise(Operation *op, const MachineDesc &m,
                                int64_t coreBudget,
                                ArrayRef<Operation *> chain = {}) {
    if (chain.empty())
      chain = op;
    Operation *last = chain.back();
    SmallVector<Value> inputs = chainInputs(chain);
    auto resTy = cast<RankedTensorType>(last->getResult(0).getType());
    if (resTy.getRank() != 1 && resTy.getRank() != 2)
      return op->emitOpError("has rank ")
             << resTy.getRank() << "; dojo-tile supports rank 1 and 2";
    MLIRContext *ctx = op->getContext();
    // Row-wise ops split the rows of their input; a reduction's rank-1
    // result is one value per row.
    bool rowwise = isLoweredRowwise(op);
    auto inTy = cast<RankedTensorType>(op->getOperand(0).getType());
    RankedTensorType shapeTy = rowwise ? inTy : resTy;
    int64_t rows = shapeTy.getRank() == 2 ? shapeTy.getDimSize(0) : 1;
    auto [g, fits] = elementwiseSplit(chain, inputs, m, coreBudget);
    // If no split fits, a row-independent op streams its tile through SRAM
    // in row chunks (dojo.stream_rows, see dojo-allocate-sram) on as many
    // cores as can be placed.
    bool stream = false;
    if (!fits && chain.size() > 1) {
      // No split fits the chain: one kernel per op, each streaming alone.
      for (Operation *c : SmallVector<Operation *>(chain))
        if (failed(tileElementwise(c, m, coreBudget, c)))
          return failure();
      return success();
    }
    if (!fits && shapeTy.getRank() == 2 && resTy.getRank() == 2 &&
        (isLoweredElementwise(op) || isa<SoftmaxOp, LayerNormOp>(op))) {
      for (int64_t d : gridSizes(rows, std::min(coreBudget, maxPlaceable)))
        if (placeableWith(m, 1, 1, d))
          g = std::max(g, d);
      stream = true;
    }
    needFlat = std::max(needFlat, g);
    AffineExpr i = getAffineDimExpr(0, ctx), zero = getAffineConstantExpr(0, ctx);
    SmallVector<AffineMap> maps;
    SmallVector<Type> tileTypes;
    auto tileOf = [&](RankedTensorType t) -> LogicalResult {
      if (rowwise && t.getRank() == 1 && t == resTy) {
        maps.push_back(AffineMap::get(1, 0, {i}, ctx));
        tileTypes.push_back(
            RankedTensorType::get({ceilDiv(rows, g)}, t.getElementType()));
        return success();
      }
      if (t.getRank() == 2 && t.getDimSize(0) == rows &&
          shapeTy.getRank() == 2) {
        maps.push_back(AffineMap::get(1, 0, {i, zero}, ctx));
        tileTypes.push_back(RankedTensorType::get({ceilDiv(rows, g), t.getDimSize(1)},
                                                  t.getElementType()));
      } else if (t.getRank() == 2) {
        if (t.getDimSize(0) != 1)
          return op->emitOpError("operand type ")
                 << t << " broadcasts along rows; dojo-tile supports only "
                 << "row vectors";
        maps.push_back(AffineMap::get(1, 0, {zero, zero}, ctx));
        tileTypes.push_back(t);
      } else {
        // Rank 1 (a row) or rank 0 (a scalar): the whole tensor.
        SmallVector<AffineExpr> zeros(t.getRank(), zero);
        maps.push_back(AffineMap::get(1, 0, zeros, ctx));
        tileTypes.push_back(t);
      }
      return success();
    };
    for (Value v : inputs)
      if (failed(tileOf(cast<RankedTensorType>(v.getType()))))
        return failure();
    if (failed(tileOf(resTy)))
      return failure();
    SmallVector<Attribute> mapAttrs;
    for (AffineMap map : maps)
      mapAttrs.push_back(AffineMapAttr::get(map));
    OpBuilder b(last);
    auto kernel = KernelOp::create(
        b, last->getLoc(), resTy, inputs, b.getDenseI64ArrayAttr({g}),
        b.getArrayAttr(mapAttrs), nullptr, nullptr, nullptr, nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    Block *body = new Block();
    kernel.getBody().push_back(body);
    IRMapping mapping;
    for (auto [k, v] : llvm::enumerate(inputs))
      mapping.map(v, body->addArgument(tileTypes[k], v.getLoc()));
    OpBuilder bb = OpBuilder::atBlockEnd(body);
    auto tileType = cast<RankedTensorType>(tileTypes.back());
    for (Operation *c : chain) {
      Operation *clone = bb.clone(*c, mapping);
      clone->getResult(0).setType(RankedTensorType::get(
          tileType.getShape(),
          cast<RankedTensorType>(c->getResult(0).getType()).getElementType()));
      mapping.map(c->getResult(0), clone->getResult(0));
    }
    YieldOp::create(bb, last->getLoc(), mapping.lookup(last->getResult(0)));
    last->getResult(0).replaceAllUsesWith(kernel.getResult());
    for (Operation *c : llvm::reverse(chain))
      c->erase();
    numFused += chain.size() - 1;
    if (stream)
      kernel->setAttr(kStreamRowsAttr, b.getUnitAttr());
    ++numKernels;
    return success();
  }

  /// A rank-2 transpose [R x C] -> [C x R] on a 1-D grid: by input rows
  /// (core i turns its [tr x C] tile into the [C x tr] tile at column
  /// block i) when a row block fits, else by input columns (core i turns
  /// its [R x tc] tile into the [tc x R] tile at row block i: few long
  /// rows, e.g. a permute that moves a small batch last). When neither
  /// fits (too few cores for the tensor), the transpose is split by input
  /// columns into the fewest pieces that fit (at most
  /// kMaxTransposePieces): column slices, each transposed and tiled, joined
  /// along rows by a concat (in place).
  static constexpr int64_t kMaxTransposePieces = 1024;
  LogicalResult tileTranspose(TransposeOp op, const MachineDesc &m,
                              int64_t coreBudget) {
    auto inTy = op.getInput().getType();
    int64_t rows = inTy.getDimSize(0), cols = inTy.getDimSize(1);
    int64_t e = elementBytes(inTy.getElementType());
    // Estimated cycles of a split of `n` (rows or columns) over d cores,
    // `other` elements across: a core loads [t x other] and stores
    // [other x t] rows of t elements (by rows; by columns the loads have
    // the short rows and the stores are contiguous), in whole packets, on
    // its link and the shared edge memory, plus its vtrans.
    auto cost = [&](int64_t n, int64_t other, int64_t d) {
      int64_t t = ceilDiv(n, d), p = m.noc_packet_bytes;
      int64_t wire = alignTo(t * other * e, p) + other * alignTo(t * e, p);
      int64_t link = ceilDiv(wire, m.noc_link_bpc);
      int64_t edge = ceilDiv(d * wire, m.edge_bpc * m.edges);
      int64_t vec = std::max(t * ceilDiv(other * e, m.simd_bytes),
                             other * ceilDiv(t * e, m.simd_bytes));
      return std::max(link, edge) + vec;
    };
    // The cheapest split of `n` whose tiles fit, input and result (ties:
    // more cores); 0 if none.
    auto best = [&](int64_t n, int64_t other) -> std::pair<int64_t, int64_t> {
      int64_t g = 0, c = 0;
      for (int64_t d : gridSizes(n, std::min(coreBudget, maxPlaceable)))
        if (2 * ceilDiv(n, d) * other * e <= m.sram_bytes &&
            placeableWith(m, 1, 1, d) && (g == 0 || cost(n, other, d) <= c))
          g = d, c = cost(n, other, d);
      return {g, c};
    };
    auto [g, byRows] = best(rows, cols);
    auto [gc, byColsCost] = best(cols, rows);
    bool byCols = gc > 0 && (g == 0 || byColsCost < byRows);
    if (byCols)
      g = gc;
    if (g == 0) {
      // The fewest column pieces that each fit one way or the other.
      int64_t pieces = 2;
      auto fits = [&](int64_t n) {
        return best(rows, n).first > 0 || best(n, rows).first > 0;
      };
      while (pieces <= std::min<int64_t>(cols, kMaxTransposePieces) &&
             !fits(ceilDiv(cols, pieces)))
        ++pieces;
      if (pieces > std::min<int64_t>(cols, kMaxTransposePieces)) {
        int64_t width = ceilDiv(cols, pieces - 1);
        return op.emitOpError("has no tiling that fits: its smallest piece, ")
               << rows << " x " << width << " elements in and out ("
               << 2 * rows * width * e << " bytes on one core, or split over "
               << "its rows or columns), does not fit the " << m.sram_bytes
               << " bytes of a core's SRAM (at most " << kMaxTransposePieces
               << " pieces)";
      }
      OpBuilder b(op);
      Location loc = op.getLoc();
      Type et = inTy.getElementType();
      int64_t width = ceilDiv(cols, pieces);
      SmallVector<TransposeOp> parts;
      SmallVector<Value> results;
      for (int64_t start = 0; start < cols; start += width) {
        int64_t n = std::min(width, cols - start);
        Value slice = SliceOp::create(
            b, loc, RankedTensorType::get({rows, n}, et), op.getInput(),
            ArrayRef<int64_t>{0, start}, ArrayRef<int64_t>{rows, n},
            ArrayRef<int64_t>{1, 1});
        parts.push_back(TransposeOp::create(
            b, loc, RankedTensorType::get({n, rows}, et), slice,
            op.getPermAttr()));
        results.push_back(parts.back().getResult());
      }
      Value whole = ConcatOp::create(b, loc, op.getResult().getType(), results,
                                     0);
      op.getResult().replaceAllUsesWith(whole);
      op.erase();
      for (TransposeOp part : parts)
        if (failed(tileTranspose(part, m, coreBudget)))
          return failure();
      return success();
    }
    needFlat = std::max(needFlat, g);
    int64_t tr = byCols ? rows : ceilDiv(rows, g);
    int64_t tc = byCols ? ceilDiv(cols, g) : cols;
    MLIRContext *ctx = op.getContext();
    AffineExpr i = getAffineDimExpr(0, ctx), zero = getAffineConstantExpr(0, ctx);
    Type et = inTy.getElementType();
    auto kernel = buildKernel(
        op, {op.getInput()},
        {AffineMap::get(1, 0, byCols ? ArrayRef<AffineExpr>{zero, i}
                                     : ArrayRef<AffineExpr>{i, zero},
                        ctx),
         AffineMap::get(1, 0, byCols ? ArrayRef<AffineExpr>{i, zero}
                                     : ArrayRef<AffineExpr>{zero, i},
                        ctx)},
        {RankedTensorType::get({tr, tc}, et)}, op.getResult().getType(), g,
        [&](OpBuilder &bb, ArrayRef<Value> args) -> Value {
          return TransposeOp::create(bb, op.getLoc(),
                                     RankedTensorType::get({tc, tr}, et),
                                     args[0], op.getPermAttr());
        });
    op.getResult().replaceAllUsesWith(kernel.getResult());
    op.erase();
    return success();
  }

  /// A kernel with a 1-D grid whose body is one op on the input tiles.
  template <typename BuildBody>
  KernelOp buildKernel(Operation *op, ArrayRef<Value> inputs,
                       ArrayRef<AffineMap> maps, ArrayRef<Type> tileTypes,
                       RankedTensorType resTy, int64_t grid,
                       BuildBody buildBody) {
    OpBuilder b(op);
    SmallVector<Attribute> mapAttrs;
    for (AffineMap map : maps)
      mapAttrs.push_back(AffineMapAttr::get(map));
    auto kernel = KernelOp::create(
        b, op->getLoc(), resTy, inputs, b.getDenseI64ArrayAttr({grid}),
        b.getArrayAttr(mapAttrs), nullptr, nullptr, nullptr, nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    Block *body = new Block();
    kernel.getBody().push_back(body);
    SmallVector<Value> args;
    for (auto [v, t] : llvm::zip(inputs, tileTypes))
      args.push_back(body->addArgument(t, v.getLoc()));
    OpBuilder bb = OpBuilder::atBlockEnd(body);
    Value r = buildBody(bb, args);
    YieldOp::create(bb, op->getLoc(), r);
    ++numKernels;
    return kernel;
  }

  /// The number of row blocks per batch for a batched kernel of `op`,
  /// reduced until the whole program stays placeable; a located error if
  /// there is none.
  FailureOr<int64_t> batchedSplit(Operation *op, const MachineDesc &m,
                                  int64_t batches, int64_t rows, int64_t k,
                                  int64_t n, int64_t eIn, int64_t eOut,
                                  int64_t budget) {
    int64_t limit = std::min(budget, maxPlaceable);
    while (limit >= batches) {
      int64_t s = batchedRowSplit(m, batches, rows, k, n, eIn, eOut, limit);
      if (s == 0)
        break;
      if (placeableWith(m, 1, 1, batches * s)) {
        needFlat = std::max(needFlat, batches * s);
        return s;
      }
      limit = batches * s - 1;
    }
    return op->emitOpError("has no batched tiling that fits (")
           << batches << " batches on at most " << maxPlaceable << " cores)";
  }

  /// batch_matmul [B, M, K] x [B, K, N] (a batch of 1 broadcasts): grid
  /// point p = b * s + i computes rows block i of batch b; A and the result
  /// are read as [B*M, K] and [B*M, N] (free reshapes), B's block is
  /// p floordiv s.
  LogicalResult tileBatchMatmul(BatchMatmulOp op, const MachineDesc &m,
                                int64_t budget) {
    auto lt = op.getLhs().getType(), rt = op.getRhs().getType();
    auto resTy = op.getType();
    int64_t B = resTy.getDimSize(0), M = resTy.getDimSize(1),
            N = resTy.getDimSize(2), K = lt.getDimSize(2);
    Type et = resTy.getElementType(), in = lt.getElementType();
    FailureOr<int64_t> split = batchedSplit(op, m, B, M, K, N, elementBytes(in),
                                            elementBytes(et), budget);
    if (failed(split))
      return failure();
    int64_t s = *split, tm = M / s;
    OpBuilder b(op);
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto reshape = [&](Value v, ArrayRef<int64_t> shape) -> Value {
      return ReshapeOp::create(
          b, loc,
          RankedTensorType::get(
              shape, cast<RankedTensorType>(v.getType()).getElementType()),
          v);
    };
    Value a = reshape(op.getLhs(), {lt.getDimSize(0) * M, K});
    Value c = reshape(op.getRhs(), {rt.getDimSize(0) * K, N});
    AffineExpr p = getAffineDimExpr(0, ctx), zero = getAffineConstantExpr(0, ctx);
    AffineMap aMap = AffineMap::get(
        1, 0, {lt.getDimSize(0) == 1 ? p % s : p, zero}, ctx);
    AffineMap cMap = AffineMap::get(
        1, 0, {rt.getDimSize(0) == 1 ? zero : p.floorDiv(s), zero}, ctx);
    AffineMap outMap = AffineMap::get(1, 0, {p, zero}, ctx);
    auto flatTy = RankedTensorType::get({B * M, N}, et);
    auto kernel = buildKernel(
        op, {a, c}, {aMap, cMap, outMap},
        {RankedTensorType::get({tm, K}, in), RankedTensorType::get({K, N}, in)},
        flatTy, B * s, [&](OpBuilder &bb, ArrayRef<Value> args) -> Value {
          return MatmulOp::create(bb, loc, RankedTensorType::get({tm, N}, et),
                                  args[0], args[1]);
        });
    b.setInsertionPointAfter(kernel);
    op.getResult().replaceAllUsesWith(reshape(kernel.getResult(), {B, M, N}));
    op.erase();
    return success();
  }

  /// Transpose [P, R, C] -> [P, C, R] (perm [0, 2, 1]): grid point
  /// p = b * s + i turns row block i of batch b into column block i of
  /// the result's batch b.
  LogicalResult tileBatchedTranspose(TransposeOp op, const MachineDesc &m,
                                     int64_t budget) {
    auto inTy = op.getInput().getType();
    int64_t P = inTy.getDimSize(0), R = inTy.getDimSize(1),
            C = inTy.getDimSize(2);
    Type et = inTy.getElementType();
    int64_t e = elementBytes(et);
    FailureOr<int64_t> split = batchedSplit(op, m, P, R, 0, C, e, e, budget);
    if (failed(split))
      return failure();
    int64_t s = *split, tr = R / s;
    OpBuilder b(op);
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    Value x = ReshapeOp::create(b, loc, RankedTensorType::get({P * R, C}, et),
                                op.getInput());
    AffineExpr p = getAffineDimExpr(0, ctx), zero = getAffineConstantExpr(0, ctx);
    auto kernel = buildKernel(
        op, {x},
        {AffineMap::get(1, 0, {p, zero}, ctx),
         AffineMap::get(1, 0, {p.floorDiv(s), p % s}, ctx)},
        {RankedTensorType::get({tr, C}, et)},
        RankedTensorType::get({P * C, R}, et), P * s,
        [&](OpBuilder &bb, ArrayRef<Value> args) -> Value {
          return TransposeOp::create(bb, loc, RankedTensorType::get({C, tr}, et),
                                     args[0], ArrayRef<int64_t>{1, 0});
        });
    b.setInsertionPointAfter(kernel);
    op.getResult().replaceAllUsesWith(ReshapeOp::create(
        b, loc, op.getType(), kernel.getResult()));
    op.erase();
    return success();
  }

  static bool isBatchedTranspose(TransposeOp t) {
    return t.getPerm() == ArrayRef<int64_t>{0, 2, 1};
  }

  /// Matmul groups see through views: `cur` (a 2-D [M, N] value of the
  /// group being formed after `mm`) only goes through reshapes that keep
  /// the last dimension (e.g. [M, N] -> [n, h, w, N] NHWC and back) and at
  /// most one slice that starts at 0 with unit strides and keeps the last
  /// dimension (a window product's valid positions, which dojo-tile's crop
  /// folds into the kernel) to an elementwise op. The op is rebuilt on
  /// [M, N] and the views move after it (elementwise ops commute with
  /// them): its scalar and row operands as they are; a full operand (only
  /// without a slice: the views then keep the row-major order) viewed as
  /// [M, N] too, if it is defined before `mm`. Returns the rebuilt op,
  /// whose only operand from the group is `cur` (the old op and views go
  /// into `done` and are erased), or null.
  Operation *elementwiseThroughView(Value cur, Operation *mm,
                                    llvm::DenseSet<Operation *> &done) {
    auto flatTy = cast<RankedTensorType>(cur.getType());
    if (flatTy.getRank() != 2)
      return nullptr;
    int64_t n = flatTy.getShape().back();
    SmallVector<Operation *> views;
    bool sliced = false;
    Value in = cur;
    Operation *next = *cur.getUsers().begin();
    while (in.hasOneUse()) {
      next = *in.getUsers().begin();
      auto t = cast<RankedTensorType>(next->getResult(0).getType());
      if (next->getNumResults() != 1 || t.getRank() < 2 ||
          t.getShape().back() != n)
        break;
      if (auto sl = dyn_cast<SliceOp>(next)) {
        if (sliced ||
            llvm::any_of(sl.getOffsets(), [](int64_t v) { return v != 0; }) ||
            llvm::any_of(sl.getStrides(), [](int64_t v) { return v != 1; }))
          return nullptr;
        sliced = true;
      } else if (!isa<ReshapeOp>(next)) {
        break;
      }
      views.push_back(next);
      in = next->getResult(0);
    }
    if (views.empty() || !in.hasOneUse() || next == views.back() ||
        next->getBlock() != mm->getBlock() || !isLoweredElementwise(next))
      return nullptr;
    auto outTy = cast<RankedTensorType>(next->getResult(0).getType());
    if (outTy.getShape() != cast<RankedTensorType>(in.getType()).getShape())
      return nullptr;
    SmallVector<Value> operands;
    for (Value v : next->getOperands()) {
      if (v == in) {
        operands.push_back(cur);
        continue;
      }
      // Every operand must be available before the kernel.
      Operation *def = v.getDefiningOp();
      if (def && def->getBlock() == mm->getBlock() && !def->isBeforeInBlock(mm))
        return nullptr;
      auto t = cast<RankedTensorType>(v.getType());
      if (!(t.getRank() <= 1 || t.getNumElements() == 1) &&
          (sliced || t.getShape() != outTy.getShape()))
        return nullptr;
      operands.push_back(v);
    }
    if (llvm::count(operands, cur) != 1)
      return nullptr;
    OpBuilder b(mm);
    for (Value &v : operands)
      if (v != cur && cast<RankedTensorType>(v.getType()).getRank() > 1 &&
          cast<RankedTensorType>(v.getType()).getNumElements() > 1)
        v = ReshapeOp::create(
            b, v.getLoc(),
            RankedTensorType::get(flatTy.getShape(),
                                  cast<RankedTensorType>(v.getType())
                                      .getElementType()),
            v);
    b.setInsertionPoint(next);
    OperationState state(next->getLoc(), next->getName());
    state.addOperands(operands);
    state.addAttributes(next->getAttrs());
    Type et = outTy.getElementType();
    state.addTypes(RankedTensorType::get(flatTy.getShape(), et));
    Operation *flat = b.create(state);
    // The same views, of the op's result.
    Value res = flat->getResult(0);
    for (Operation *view : views) {
      auto t = RankedTensorType::get(
          cast<RankedTensorType>(view->getResult(0).getType()).getShape(), et);
      if (auto sl = dyn_cast<SliceOp>(view))
        res = SliceOp::create(b, sl.getLoc(), t, res, sl.getOffsets(),
                              sl.getSizes(), sl.getStrides());
      else
        res = ReshapeOp::create(b, view->getLoc(), t, res);
    }
    next->getResult(0).replaceAllUsesWith(res);
    done.insert(next);
    next->erase();
    for (Operation *view : llvm::reverse(views)) {
      done.insert(view);
      view->erase();
    }
    return flat;
  }

  /// Vector computations on the function's arguments and constants only
  /// (ops whose operands and result have rank 0 or 1: a batch norm's
  /// parameters as the importers emit them, after the convolution) move
  /// before the matmul they follow, in order: its epilogue can then take
  /// them as kernel inputs (they are defined before it). Moved no further,
  /// they still run next to their use (hoisted to the function's start,
  /// ResNet-50's 53 bias casts would queue on one core before the stem).
  static void hoistParameterOps(func::FuncOp func) {
    Block &block = func.getBody().front();
    llvm::DenseSet<Operation *> params;
    auto small = [](Value v) {
      auto t = dyn_cast<RankedTensorType>(v.getType());
      return t && t.getRank() <= 1;
    };
    Operation *lastMatmul = nullptr;
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (isa<MatmulOp>(op)) {
        lastMatmul = &op;
        continue;
      }
      bool param =
          (isa<DojoDialect>(op.getDialect()) ||
           op.hasTrait<OpTrait::ConstantLike>()) &&
          op.getNumRegions() == 0 && !isa<KernelOp, BarrierOp>(op) &&
          op.getNumResults() == 1 && small(op.getResult(0)) &&
          llvm::all_of(op.getOperands(), [&](Value v) {
            return small(v) && (isa<BlockArgument>(v) ||
                                params.contains(v.getDefiningOp()));
          });
      if (!param)
        continue;
      params.insert(&op);
      // Its operands are arguments or params already moved before it.
      if (lastMatmul)
        op.moveBefore(lastMatmul);
    }
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    const MachineDesc *m = getTargetOrError(func);
    if (!m)
      return signalPassFailure();
    needRows = needCols = needFlat = 1;
    placeable.clear();
    packed = resolveAutoPlacement(func, *m);
    maxPlaceable = maxPlaceableCores(*m, packed);
    int64_t budget = m->numEnabledCores();
    if (maxCores > 0)
      budget = std::min<int64_t>(budget, maxCores);

    hoistParameterOps(func);
    SmallVector<Operation *> ops;
    for (Operation &op : func.getBody().front())
      ops.push_back(&op);
    // Graph ops that have no tiling yet: a located error, not a crash later.
    bool unsupported = false;
    for (Operation *op : ops) {
      auto tr = dyn_cast<TransposeOp>(op);
      // Reshapes stay at function level: they alias edge memory.
      if (!isa<DojoDialect>(op->getDialect()) || isLoweredElementwise(op) ||
          isLoweredRowwise(op) || isDataMovement(op) ||
          isa<KernelOp, BarrierOp, ReshapeOp>(op) ||
          (tr && (tr.getInput().getType().getRank() == 2 ||
                  isBatchedTranspose(tr))))
        continue;
      if (auto bmm = dyn_cast<BatchMatmulOp>(op);
          bmm && !bmm.getTransposeLhs() && !bmm.getTransposeRhs())
        continue;
      if (auto mm = dyn_cast<MatmulOp>(op)) {
        if (!mm.getTransposeLhs() && !mm.getTransposeRhs())
          continue;
        op->emitError("'dojo.matmul' with transpose_lhs or transpose_rhs has "
                      "no kernel; run dojo-decompose first");
      } else {
        op->emitError() << "'" << op->getName()
                        << "' has no kernel; run dojo-decompose first";
      }
      unsupported = true;
    }
    if (unsupported)
      return signalPassFailure();
    llvm::DenseSet<Operation *> done;
    for (Operation *op : ops) {
      if (done.contains(op))
        continue;
      if (auto mm = dyn_cast<MatmulOp>(op)) {
        SmallVector<Operation *> group = {op};
        Operation *rebuilt = nullptr;
        Value cur = mm.getResult();
        while (cur.hasOneUse()) {
          Operation *user = *cur.getUsers().begin();
          if (user->getBlock() != op->getBlock())
            break;
          if (isa<ReshapeOp>(user))
            if (Operation *flat = elementwiseThroughView(cur, op, done))
              user = rebuilt = flat;
          auto curTy = cast<RankedTensorType>(cur.getType());
          if (isLoweredUnary(user)) {
          } else if (isLoweredBinary(user)) {
            Value lhs = user->getOperand(0), rhs = user->getOperand(1);
            Value other = lhs == cur ? rhs : lhs;
            auto kind = classify(cast<RankedTensorType>(other.getType()), curTy);
            if (lhs == rhs ||
                user->getResult(0).getType() != curTy ||
                kind == EpilogueOperand::Invalid)
              break;
            // The vector unit broadcasts only its second operand.
            if ((kind == EpilogueOperand::Row ||
                 kind == EpilogueOperand::Scalar) &&
                other == lhs && !isCommutative(user))
              break;
            // The operand must be available before the kernel; a view of
            // a value that is (a reshape) moves there.
            if (Operation *def = other.getDefiningOp();
                def && def->getBlock() == op->getBlock() &&
                !def->isBeforeInBlock(op)) {
              auto view = dyn_cast<ReshapeOp>(def);
              Operation *src =
                  view ? view.getInput().getDefiningOp() : nullptr;
              if (!view || (src && src->getBlock() == op->getBlock() &&
                            !src->isBeforeInBlock(op)))
                break;
              view->moveBefore(op);
            }
          } else {
            break;
          }
          group.push_back(user);
          cur = user->getResult(0);
        }
        for (Operation *g : group)
          done.insert(g);
        if (failed(tileMatmulGroup(group, *m, budget)))
          return signalPassFailure();
        // An op rebuilt on the matmul's tile that the group did not take
        // (e.g. its other operand broadcasts the wrong way) is an
        // elementwise kernel of its own, as it would have been.
        if (rebuilt && !llvm::is_contained(group, rebuilt) &&
            failed(tileElementwise(rebuilt, *m, budget)))
          return signalPassFailure();
      } else if (auto tr = dyn_cast<TransposeOp>(op);
                 tr && tr.getInput().getType().getRank() == 2) {
        if (failed(tileTranspose(tr, *m, budget)))
          return signalPassFailure();
      } else if (auto tr = dyn_cast<TransposeOp>(op);
                 tr && isBatchedTranspose(tr)) {
        if (failed(tileBatchedTranspose(tr, *m, budget)))
          return signalPassFailure();
      } else if (auto bmm = dyn_cast<BatchMatmulOp>(op)) {
        if (failed(tileBatchMatmul(bmm, *m, budget)))
          return signalPassFailure();
      } else if (isLoweredElementwise(op) || isLoweredRowwise(op)) {
        // With the side operands' producers if that fits some split.
        SmallVector<Operation *> chain = elementwiseChain(op);
        if (chain.size() > 1 &&
            !elementwiseSplit(chain, chainInputs(chain), *m, budget).second)
          chain = elementwiseChain(op, /*side=*/false);
        for (Operation *c : chain)
          done.insert(c);
        if (failed(tileElementwise(op, *m, budget, chain)))
          return signalPassFailure();
      }
    }
    if (crop)
      cropWindowResults(func);
    if (foldIm2col)
      foldIm2cols(func, *m);
    if (foldPad)
      foldWindowPads(func);
  }

  /// The reshape that makes a 2-D kernel's input 0 when the kernel reads
  /// it by grid rows (map (i, j) -> (i, 0)), only there and only once: the
  /// flattened image a pad or im2col fold looks through; null otherwise.
  static ReshapeOp rowInputReshape(KernelOp k) {
    MLIRContext *ctx = k.getContext();
    AffineMap rows = AffineMap::get(
        2, 0, {getAffineDimExpr(0, ctx), getAffineConstantExpr(0, ctx)}, ctx);
    if (cast<AffineMapAttr>(k.getMaps().getValue()[0]).getValue() != rows)
      return nullptr;
    Value in = k.getInputs()[0];
    auto flat = in.getDefiningOp<ReshapeOp>();
    if (!flat || !flat.getResult().hasOneUse() ||
        llvm::count(k.getInputs(), in) != 1)
      return nullptr;
    return flat;
  }

  /// A matmul kernel whose A is the channel concat of T strided windows
  /// of one NHWC image [N, Hp, Wp, C], flattened (an im2col from
  /// dojo-decompose: window t of [N, OH, OW, C] from (0, dy_t, dx_t, 0) by
  /// (1, SH, SW, 1)), reads the image itself (KernelOp `im2col`): its A
  /// comes window row by window row from the image, so no im2col copy
  /// precedes the kernel. Not for images whose pixels are shorter than a
  /// NoC packet (every tap of a pixel would be a load of its own, under a
  /// packet: ResNet-50's 3-channel stem, 7 x 7 taps, made the model 738879
  /// -> 788396 cycles on d1; without it the fold gives 733682).
  void foldIm2cols(func::FuncOp func, const MachineDesc &m) {
    SmallVector<KernelOp> kernels(func.getOps<KernelOp>());
    for (KernelOp k : kernels) {
      auto mm = dyn_cast<MatmulOp>(&k.getBody().front().front());
      if (!mm || mm.getWindow() || mm.getTransposeLhs() || k.getPadInput() ||
          k.getIm2col() || k.getInputs().empty() || k.getGrid().size() != 2 ||
          mm.getLhs() != k.getBody().getArgument(0))
        continue;
      ReshapeOp flat = rowInputReshape(k);
      if (!flat)
        continue;
      auto cat = flat.getInput().getDefiningOp<ConcatOp>();
      if (!cat || !cat.getResult().hasOneUse() || cat.getAxis() != 3)
        continue;
      SmallVector<SliceOp> windows;
      Value img;
      SmallVector<int64_t> im;
      for (Value v : cat.getInputs()) {
        auto slice = v.getDefiningOp<SliceOp>();
        if (!slice || !slice.getResult().hasOneUse())
          break;
        auto src = slice.getInput();
        auto srcTy = src.getType();
        ArrayRef<int64_t> off = slice.getOffsets(), size = slice.getSizes(),
                          stride = slice.getStrides();
        if (srcTy.getRank() != 4 || off[0] != 0 || off[3] != 0 ||
            size[0] != srcTy.getDimSize(0) || size[3] != srcTy.getDimSize(3) ||
            stride[0] != 1 || stride[3] != 1)
          break;
        if (windows.empty()) {
          img = src;
          im = {srcTy.getDimSize(1), srcTy.getDimSize(2), size[1], size[2],
                stride[1], stride[2]};
        } else if (src != img || size[1] != im[2] || size[2] != im[3] ||
                   stride[1] != im[4] || stride[2] != im[5]) {
          break;
        }
        im.push_back(off[1]);
        im.push_back(off[2]);
        windows.push_back(slice);
      }
      if (windows.size() != cat.getInputs().size())
        continue;
      auto imgTy = cast<RankedTensorType>(img.getType());
      if (imgTy.getDimSize(3) * elementBytes(imgTy.getElementType()) <
          m.noc_packet_bytes)
        continue;
      OpBuilder b(k);
      Value rowsOf = ReshapeOp::create(
          b, flat.getLoc(),
          RankedTensorType::get({imgTy.getDimSize(0) * imgTy.getDimSize(1) *
                                     imgTy.getDimSize(2),
                                 imgTy.getDimSize(3)},
                                imgTy.getElementType()),
          img);
      k->setOperand(0, rowsOf);
      k->setAttr("im2col", b.getDenseI64ArrayAttr(im));
      flat.erase();
      cat.erase();
      for (SliceOp slice : windows)
        slice.erase();
    }
  }

  /// A window product's kernel whose A is a zero pad of an NHWC image,
  /// flattened (a convolution from dojo-decompose), reads the image itself
  /// (KernelOp `pad_input`): its cores load only the image's rows and zero
  /// the padding in SRAM, so no padded copy precedes the kernel.
  void foldWindowPads(func::FuncOp func) {
    SmallVector<KernelOp> kernels(func.getOps<KernelOp>());
    for (KernelOp k : kernels) {
      auto mm = dyn_cast<MatmulOp>(&k.getBody().front().front());
      if (!mm || !mm.getWindow() || k.getPadInput() || k.getInputs().empty() ||
          k.getGrid().size() != 2 || mm.getLhs() != k.getBody().getArgument(0))
        continue;
      ReshapeOp flat = rowInputReshape(k);
      if (!flat)
        continue;
      auto pad = flat.getInput().getDefiningOp<PadOp>();
      if (!pad || !pad.getResult().hasOneUse() ||
          !pad.getValue().isZero())
        continue;
      auto img = pad.getInput().getType();
      auto padded = pad.getType();
      ArrayRef<int64_t> low = pad.getLow(), high = pad.getHigh();
      if (img.getRank() != 4 || low[0] != 0 || low[3] != 0 || high[3] != 0)
        continue;
      int64_t n = img.getDimSize(0), h = img.getDimSize(1),
              w = img.getDimSize(2), c = img.getDimSize(3);
      OpBuilder b(k);
      Value rowsOf = ReshapeOp::create(
          b, pad.getLoc(),
          RankedTensorType::get({n * h * w, c}, img.getElementType()),
          pad.getInput());
      k->setOperand(0, rowsOf);
      k->setAttr("pad_input",
                 b.getDenseI64ArrayAttr({padded.getDimSize(0),
                                         padded.getDimSize(1),
                                         padded.getDimSize(2), h, w, low[1],
                                         low[2]}));
      flat.erase();
      pad.erase();
    }
  }

  /// A window product's kernel whose result is only reshaped to
  /// [N, Hp, Wp, C] and sliced to the first [N, OH, OW, C] positions (a
  /// convolution from dojo-decompose) stores just those positions
  /// (KernelOp `crop`), so no copy of the slice follows the kernel.
  void cropWindowResults(func::FuncOp func) {
    SmallVector<KernelOp> kernels(func.getOps<KernelOp>());
    for (KernelOp k : kernels) {
      auto mm = dyn_cast<MatmulOp>(&k.getBody().front().front());
      auto res = k.getType();
      if (!mm || !mm.getWindow() || k.getCrop() || k.getGrid().size() != 2 ||
          res.getRank() != 2 || !k.getResult().hasOneUse())
        continue;
      auto rs = dyn_cast<ReshapeOp>(*k.getResult().getUsers().begin());
      if (!rs || !rs.getResult().hasOneUse())
        continue;
      auto sl = dyn_cast<SliceOp>(*rs.getResult().getUsers().begin());
      auto img = cast<RankedTensorType>(rs.getType());
      if (!sl || img.getRank() != 4)
        continue;
      ArrayRef<int64_t> off = sl.getOffsets(), sz = sl.getSizes(),
                        st = sl.getStrides();
      int64_t n = img.getDimSize(0), hp = img.getDimSize(1),
              wp = img.getDimSize(2), c = img.getDimSize(3);
      if (llvm::any_of(off, [](int64_t v) { return v != 0; }) ||
          llvm::any_of(st, [](int64_t v) { return v != 1; }) ||
          sz[0] != n || sz[3] != c)
        continue;
      int64_t oh = sz[1], ow = sz[2];
      OpBuilder b(k);
      Operation *clone = b.clone(*k);
      clone->getResult(0).setType(
          RankedTensorType::get({n * oh * ow, c}, res.getElementType()));
      clone->setAttr("crop", b.getDenseI64ArrayAttr({hp, wp, oh, ow}));
      b.setInsertionPoint(sl);
      Value out = ReshapeOp::create(b, sl.getLoc(), sl.getType(),
                                    clone->getResult(0));
      sl.getResult().replaceAllUsesWith(out);
      sl.erase();
      rs.erase();
      k.erase();
    }
  }
};
} // namespace
