//===- Place.cpp - Assign kernel grid points to mesh cores ----------------===//

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

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    const MachineDesc *m = getTargetOrError(func);
    if (!m)
      return signalPassFailure();
    SmallVector<KernelOp> kernels(func.getOps<KernelOp>());
    if (kernels.empty())
      return;
    // All kernels share one rectangle, sized for the widest kernel, so a
    // logical core has the same grid index role in every kernel and the
    // program stays SPMD.
    KernelOp widest = kernels.front();
    for (KernelOp k : kernels)
      if (k.numWorkers() > widest.numWorkers())
        widest = k;
    int64_t need = widest.numWorkers();
    if (need > m->numEnabledCores()) {
      widest.emitOpError("needs ")
          << need << " cores but target '" << m->preset << "' has "
          << m->numEnabledCores() << " enabled";
      return signalPassFailure();
    }
    // Prefix counts of enabled cores over rectangles anchored at (0, 0).
    int64_t bestH = 0, bestW = 0;
    for (int64_t h = 1; h <= m->rows; ++h) {
      int64_t count = 0;
      for (int64_t w = 1; w <= m->cols; ++w) {
        for (int64_t r = 0; r < h; ++r)
          count += m->isDisabled(r, w - 1) ? 0 : 1;
        if (count < need)
          continue;
        auto score = [](int64_t a, int64_t b) {
          return std::make_pair(std::max(a, b), a * b);
        };
        if (bestH == 0 || score(h, w) < score(bestH, bestW)) {
          bestH = h;
          bestW = w;
        }
        break;
      }
    }
    OpBuilder b(&getContext());
    auto place = b.getDenseI64ArrayAttr({0, 0, bestH, bestW});
    for (KernelOp k : kernels)
      k.setPlaceAttr(place);
    maxCoresUsed = need;
  }
};
} // namespace
