//===- Place.cpp - Assign kernel grid points to mesh cores ----------------===//
//
// The program's cores are a cross product R x C of mesh rows and columns
// with no disabled core in it. A 2-D kernel grid maps row i to mesh row R[i]
// and column j to mesh column C[j], so a grid row is one mesh row and a grid
// column one mesh column: operand blocks shared along them can be multicast.
// Disabled cores are avoided by leaving out their row or their column;
// among all such choices the smallest bounding box wins. A folded grid
// (KernelOp `fold`) puts several grid rows side by side on a mesh row. A
// packed placement gives every mesh row its own first enabled cores, its
// disabled ones filled with spares or by shifting (placePacked).
//
//===----------------------------------------------------------------------===//

#include "dojo/Transforms/Passes.h"
#include "dojo/Transforms/Utils.h"

#include "mlir/IR/Builders.h"

namespace dojo {
#define GEN_PASS_DEF_DOJOPLACE
#include "dojo/Transforms/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;

namespace {

struct DojoPlacePass : dojo::impl::DojoPlaceBase<DojoPlacePass> {
  using DojoPlaceBase::DojoPlaceBase;

  /// Whether a grid row of 2-D kernel `k` on packed placement `p` spans
  /// (from its first to its last mesh column) a core of the program that
  /// is not in that grid row.
  static bool spansOtherCores(KernelOp k, const MeshPlacement &p) {
    ArrayRef<int64_t> grid = k.getGrid();
    if (grid.size() != 2)
      return false;
    int64_t width = p.width();
    for (int64_t i = 0; i < grid[0]; ++i) {
      int64_t r = k.placeIndex(i, 0).first;
      if (r >= int64_t(p.rows.size()))
        return true;
      SmallVector<int64_t> mine;
      int64_t lo = INT64_MAX, hi = INT64_MIN;
      for (int64_t j = 0; j < grid[1]; ++j) {
        int64_t c = k.placeIndex(i, j).second;
        if (c >= width)
          return true;
        mine.push_back(c);
        lo = std::min(lo, p.cols[r * width + c]);
        hi = std::max(hi, p.cols[r * width + c]);
      }
      for (int64_t c = 0; c < width; ++c) {
        int64_t col = p.cols[r * width + c];
        if (col >= lo && col <= hi && !llvm::is_contained(mine, c))
          return true;
      }
    }
    return false;
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    const MachineDesc *m = getTargetOrError(func);
    if (!m)
      return signalPassFailure();
    SmallVector<KernelOp> kernels(func.getOps<KernelOp>());
    if (kernels.empty())
      return;
    // Rows and columns needed by the 2-D grids, cores by the 1-D ones.
    int64_t nr = 1, nc = 1, flat = 1;
    KernelOp widest = kernels.front();
    for (KernelOp k : kernels) {
      ArrayRef<int64_t> g = k.getGrid();
      if (g.size() == 2) {
        nr = std::max(nr, k.foldedRows());
        nc = std::max(nc, k.foldFactor() * g[1]);
      } else {
        flat = std::max(flat, k.numWorkers());
      }
      if (k.numWorkers() > widest.numWorkers())
        widest = k;
    }
    if (widest.numWorkers() > m->numEnabledCores()) {
      widest.emitOpError("needs ")
          << widest.numWorkers() << " cores but target '" << m->preset
          << "' has " << m->numEnabledCores() << " enabled";
      return signalPassFailure();
    }
    bool packed = usePackedPlacement(func, *m);
    std::optional<MeshPlacement> best =
        placeProgram(*m, nr, nc, flat, packed, usePackedSpares(func));
    // Spares put a grid column's hole past the row's other grid columns;
    // a kernel narrower than the placement would then multicast its grid
    // rows over cores of the program outside it. Such a function keeps
    // the bands.
    if (best && packed && usePackedSpares(func) &&
        llvm::any_of(kernels, [&](KernelOp k) {
          return spansOtherCores(k, *best);
        })) {
      best = placeProgram(*m, nr, nc, flat, packed, /*spares=*/false);
      func->setAttr(kPackedHolesAttr, StringAttr::get(&getContext(), "shift"));
    }
    if (!best) {
      widest.emitOpError("cannot be placed: no ")
          << nr << " mesh rows x " << nc
          << " columns avoid every disabled core of target '" << m->preset
          << "'";
      return signalPassFailure();
    }
    OpBuilder b(&getContext());
    auto rows = b.getDenseI64ArrayAttr(best->rows);
    auto cols = b.getDenseI64ArrayAttr(best->cols);
    for (KernelOp k : kernels) {
      k.setPlaceRowsAttr(rows);
      k.setPlaceColsAttr(cols);
      if (best->packed)
        k->setAttr(kPackedAttr, b.getUnitAttr());
      else
        k->removeAttr(kPackedAttr);
    }
    maxCoresUsed = widest.numWorkers();
  }
};
} // namespace
