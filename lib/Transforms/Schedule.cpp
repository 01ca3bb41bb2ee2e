//===- Schedule.cpp - DMA order and synchronization -----------------------===//

#include "dojo/Transforms/Passes.h"
#include "dojo/Transforms/Utils.h"

#include "mlir/IR/Builders.h"

namespace dojo {
#define GEN_PASS_DEF_DOJOSCHEDULE
#include "dojo/Transforms/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;

namespace {
struct DojoSchedulePass : dojo::impl::DojoScheduleBase<DojoSchedulePass> {
  using DojoScheduleBase::DojoScheduleBase;

  /// True if the kernel's leading matmul can share its operand blocks by
  /// multicast: A tiled by grid rows, B by grid columns, a 2-D grid, and
  /// enough threads and semaphores.
  bool canMulticast(KernelOp kernel, const MachineDesc &m) {
    if (!multicast || m.threads < 3 || m.semaphores < 6 ||
        kernel.getGrid().size() != 2)
      return false;
    auto mm = cast<MatmulOp>(&kernel.getBody().front().front());
    MLIRContext *ctx = kernel.getContext();
    AffineExpr i = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx);
    AffineExpr zero = getAffineConstantExpr(0, ctx);
    auto mapOf = [&](Value v) {
      return cast<AffineMapAttr>(
                 kernel.getMaps()[cast<BlockArgument>(v).getArgNumber()])
          .getValue();
    };
    return mapOf(mm.getLhs()) == AffineMap::get(2, 0, {i, zero}, ctx) &&
           mapOf(mm.getRhs()) == AffineMap::get(2, 0, {zero, j}, ctx);
  }

  /// A streamed matmul's tile and K slice (`chunks` of them), an edge
  /// load's round trip, and a slice's products on the matrix unit, in
  /// cycles: the terms of the senders' cost rules below.
  struct SliceCost {
    int64_t tm, tn, kc, e;
    double trip, compute;
  };
  static SliceCost sliceCost(MatmulOp mm, const MachineDesc &m,
                             int64_t chunks) {
    auto lhs = mm.getLhs().getType(), rhs = mm.getRhs().getType();
    SliceCost sc;
    sc.tm = lhs.getDimSize(0);
    sc.tn = rhs.getDimSize(1);
    sc.kc = llvm::divideCeil(lhs.getDimSize(1), chunks);
    sc.e = elementBytes(lhs.getElementType());
    sc.trip = double(m.edge_latency + m.dma_latency);
    sc.compute = double(llvm::divideCeil(sc.tm, 8) *
                        llvm::divideCeil(sc.tn, 8) *
                        llvm::divideCeil(sc.kc, 4)) *
                 256.0 / m.mac_per_cycle;
    return sc;
  }

  /// True when a multicast sender cannot keep its grid row fed one slice
  /// at a time: it loads a slice, waits for it (edge and DMA latency) and
  /// multicasts it, serially, so one slice costs it twice the slice's bytes
  /// over a link plus the round trip, and on a cross grid the first core
  /// sends both A and B. When that is longer than a slice's products, the
  /// senders load the next slice before they multicast the current one
  /// (kSenderPrefetchAttr). Not for window products, broadcast B or packed
  /// grids (packed ones: packedLoadersBound), whose large blocks queue on
  /// the shared links ahead of everyone's first slices (measured: GEMM
  /// 110K -> 132K cycles with prefetch for every kernel; with the
  /// simulator's engine queue, prefetch on every kernel still loses, e.g.
  /// conv4 3x3 17855 -> 18593).
  bool senderBound(KernelOp kernel, MatmulOp mm, const MachineDesc &m,
                   int64_t chunks, int64_t senders) {
    if (mm.getWindow() || kernel->hasAttr(kBBroadcastAttr) ||
        kernel->hasAttr(kPackedAttr) || chunks < 2)
      return false;
    SliceCost sc = sliceCost(mm, m, chunks);
    double send =
        2.0 * double((sc.tm + sc.tn) * sc.kc * sc.e) / m.noc_link_bpc +
        sc.trip;
    // Only for one sender per grid row and column: with two (small
    // blocks), the early loads queue on the shared links ahead of the
    // other senders' multicasts (the d1 MLP: 7777 -> 9342 cycles).
    return senders == 1 && send > sc.compute;
  }

  /// Whether the B segment loaders of a packed grid cannot keep up: one
  /// loads a slice of its column block, waits for it and multicasts it
  /// down its segment, for longer than the slice's products. Such kernels
  /// get two loaders per segment (one at each end, alternating slices)
  /// and sender prefetch (kSenderPrefetchAttr). Not for window products or
  /// a gathered A. Measured on d1: ResNet-50's conv5 1x1 2048 -> 512
  /// (392 x 512 x 2048 on 18 x 19 with spares; 446 cycles to send a B
  /// slice against 384 of products) 8998 -> 7669 cycles (one loader with
  /// prefetch: 8709); the other packed bench rows, whose loaders keep up,
  /// lose with either (conv5 3x3 19183 -> 20231, conv4 1x1 256 -> 1024
  /// 6134 -> 6667).
  bool packedLoadersBound(KernelOp kernel, MatmulOp mm, const MachineDesc &m,
                          int64_t chunks) {
    if (!kernel->hasAttr(kPackedAttr) || mm.getWindow() || chunks < 2)
      return false;
    SliceCost sc = sliceCost(mm, m, chunks);
    double send =
        2.0 * double(sc.tn * sc.kc * sc.e) / m.noc_link_bpc + sc.trip;
    return send > sc.compute;
  }

  /// Loaders of a broadcast B (up to four, on different placement rows):
  /// loader t loads and multicasts slices t, t + S, ... to every core. The
  /// loaders' first slices reach every core's eject link together, ahead
  /// of the cores' first A loads, so they are limited to 64 KiB of slices
  /// at once (1024 cycles of an eject link on d1). Measured on d1 (cycles,
  /// 4 loaders against this rule): ResNet-50's conv3 3x3 (a window product
  /// with 32 KB taps) 17288 -> 16721, conv3 1x1 512 -> 128 (16 KB slices)
  /// 7543 -> 7543, conv3 1x1 128 -> 512 (32 KB) 7300 -> 7443, conv2 1x1
  /// 256 -> 64 (8 KB) unchanged; one loader instead of two loses 1.23x on
  /// conv3 1x1 128 -> 512.
  int64_t broadcastLoaders(KernelOp kernel, int64_t chunks) {
    auto mm = cast<MatmulOp>(&kernel.getBody().front().front());
    auto rhs = mm.getRhs().getType();
    // A B slice: K rows (a window product: one tap's rows) of every column.
    int64_t k = mm.contractionSize();
    int64_t kc = llvm::divideCeil(k, chunks);
    int64_t bytes = kc * rhs.getDimSize(1) * kernel.getGrid()[1] *
                    elementBytes(rhs.getElementType());
    return std::clamp<int64_t>(64 * 1024 / std::max<int64_t>(bytes, 1), 1, 4);
  }

  /// Whether a multicast kernel's grid rows gather their A slices
  /// (kAGatherAttr): a plain matmul (no window product, pad_input or
  /// broadcast B) on a grid of more than one column, with the semaphores
  /// for it (three for A, `sb` for B, the pipelined epilogue's two).
  /// `gather-a=auto` (with `senders` left to choose) takes it on packed
  /// placements when the `sa` A senders, round robin over the slices, each
  /// load and multicast a slice (serial on their DMA engines) for longer
  /// than the slice's products, and an A slice of the tile is at most 32
  /// KiB (with larger slices, from 35 KB, gathering lost up to 0.71x on
  /// random products: every core takes the whole slice through its eject
  /// link, and the row's multicasts share its links both ways). Not on
  /// cross grids: there the grid-row-0 cores are every column's B sender
  /// too, and their bands come late (measured on d1: ResNet-50's conv4 1x1
  /// 1024 -> 256 cross 9715 -> 10509 cycles; on random products from 0.79x
  /// to 1.16x). On packed grids, whose B goes down segments loaded by
  /// cores spread over the rows, 1568 x 256 x 1024 went 9568 -> 7761 and
  /// the random products this rule takes 0.91x to 1.32x.
  bool gathersA(KernelOp kernel, const MachineDesc &m, int64_t chunks,
                int64_t sa, int64_t sb) {
    // A forced sender count (`senders`) keeps the senders.
    if (gatherA == "never" || chunks < 2 ||
        (gatherA == "auto" &&
         (senders != 0 || !kernel->hasAttr(kPackedAttr))))
      return false;
    auto mm = cast<MatmulOp>(&kernel.getBody().front().front());
    ArrayRef<int64_t> grid = kernel.getGrid();
    if (mm.getWindow() || kernel.foldFactor() > 1 ||
        kernel->hasAttr(kBBroadcastAttr) ||
        kernel.getPadInput() || kernel.getIm2col() || grid.size() != 2 ||
        grid[1] < 2 ||
        m.semaphores < 6 + 2 + (sb - 1) + 2)
      return false;
    if (gatherA == "always")
      return true;
    SliceCost sc = sliceCost(mm, m, chunks);
    int64_t sliceBytes = sc.tm * sc.kc * sc.e;
    double send = (2.0 * double(sliceBytes) / m.noc_link_bpc + sc.trip) /
                  double(std::max<int64_t>(sa, 1));
    return send > sc.compute && sliceBytes <= 32 * 1024;
  }

  /// Whether the grid rows of a multicast window product exchange halos
  /// (kHaloExchangeAttr): grid rows of whole mesh rows (not packed or
  /// folded) with A senders (more than one grid column), an A read from
  /// edge memory as it is (no pad_input), a halo no taller than a block (it
  /// then lies in the next grid row's first row chunk), and two semaphores
  /// to spare (the halo's and its put's) besides `semsUsed` and the
  /// pipelined epilogue's two.
  bool exchangesHalos(KernelOp kernel, const MachineDesc &m,
                      int64_t semsUsed) {
    auto mm = cast<MatmulOp>(&kernel.getBody().front().front());
    ArrayRef<int64_t> grid = kernel.getGrid();
    if (!haloExchange || !mm.getWindow() || kernel->hasAttr(kPackedAttr) ||
        kernel.foldFactor() > 1 || kernel.getPadInput() || grid.size() != 2 ||
        grid[0] < 2 || grid[1] < 2 || m.semaphores < semsUsed + 4)
      return false;
    auto lhs = dyn_cast<BlockArgument>(mm.getLhs());
    if (!lhs)
      return false;
    unsigned a = lhs.getArgNumber();
    int64_t halo = kernel.inputHalo(a);
    int64_t block = kernel.inputTileType(a).getDimSize(0) - halo;
    return halo > 0 && halo <= block;
  }

  /// Slices of K to stream for a kernel whose first op is a matmul of two
  /// input tiles; 1 if the kernel does not qualify.
  int64_t chooseChunks(KernelOp kernel) {
    Block &body = kernel.getBody().front();
    auto mm = dyn_cast<MatmulOp>(&body.front());
    // FP32 matmuls run on the vector unit over whole tiles: not streamed.
    if (!mm || !isa<BlockArgument>(mm.getLhs()) ||
        !isa<BlockArgument>(mm.getRhs()) || mm.getLhs() == mm.getRhs() ||
        mm.getLhs().getType().getElementType().isF32())
      return 1;
    // A window product streams one slice per tap (the A tile arrives with
    // the first), and only with multicast (its A sender sends the tile).
    if (auto window = mm.getWindow())
      return kChunks > 0 ? 1 : int64_t(window->size());
    int64_t k = mm.getLhs().getType().getDimSize(1);
    int64_t chunks = kChunks > 0 ? kChunks : defaultKChunks(k);
    // A folded kernel's B is broadcast, which needs at least two slices.
    if (kChunks <= 0 && kernel.foldFactor() > 1 && k >= 32)
      chunks = std::max<int64_t>(chunks, 2);
    // On a packed placement K >= 128 takes at least 4 slices: every core
    // waits for the first (measured on d1, 6272 x 512 x 128: 2 slices 9085
    // cycles, 4 slices 8064, 8 slices 8421).
    if (kChunks <= 0 && kernel->hasAttr(kPackedAttr) && k >= 128)
      chunks = std::max<int64_t>(chunks, 4);
    // Slices are multiples of the matrix unit's depth of 4.
    int64_t slice = kSliceSize(k, chunks);
    return (k + slice - 1) / slice;
  }

  /// Row chunks for a pipelined epilogue (see the pass description); 1 if
  /// the kernel does not qualify.
  int64_t epilogueChunks(KernelOp kernel, const MachineDesc &m,
                         int64_t semsUsed) {
    if (!pipelineEpilogue || m.threads < 4 || m.semaphores < semsUsed + 2 ||
        !kernel->hasAttr(kMatmulLiveAttr))
      return 1;
    Block &body = kernel.getBody().front();
    auto mm = dyn_cast<MatmulOp>(&body.front());
    if (!mm || !mm.getLhs().getType().getElementType().isBF16() ||
        !isa<BlockArgument>(mm.getLhs()) || !isa<BlockArgument>(mm.getRhs()))
      return 1;
    // The epilogue (possibly none: a bare FP32 result still gains, its
    // stores overlap the last slice) must be elementwise on the tile.
    auto tile = mm.getResult().getType();
    for (Operation &op : llvm::drop_begin(body.without_terminator())) {
      auto t = cast<RankedTensorType>(op.getResult(0).getType());
      if (!isLoweredElementwise(&op) || t.getRank() != 2 ||
          t.getShape() != tile.getShape())
        return 1;
    }
    int64_t rows = tile.getDimSize(0);
    if (rows < 16)
      return 1;
    return std::clamp<int64_t>(rows / 8, 2, 16);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    const MachineDesc *m = getTargetOrError(func);
    if (!m)
      return signalPassFailure();
    if (gatherA != "auto" && gatherA != "always" && gatherA != "never") {
      func.emitError("dojo-schedule: gather-a must be 'auto', 'always' or "
                     "'never', got '")
          << gatherA << "'";
      return signalPassFailure();
    }
    if (m->semaphores < 2) {
      func.emitError("dojo-schedule needs 2 semaphores per core, target has ")
          << m->semaphores;
      return signalPassFailure();
    }
    OpBuilder b(&getContext());
    // Kernels whose stores may still be in flight since the last barrier.
    llvm::DenseSet<Operation *> unsynced;
    for (Operation &op : llvm::make_early_inc_range(func.getBody().front())) {
      if (isa<BarrierOp>(op)) {
        unsynced.clear();
        continue;
      }
      if (isCopyOp(&op)) {
        // A copy stages through SRAM that the last kernels' DMA (and
        // multicast sender threads) may still use, so it waits for every
        // core whenever anything is in flight.
        if (!unsynced.empty()) {
          b.setInsertionPoint(&op);
          BarrierOp::create(b, op.getLoc());
          ++numBarriers;
          unsynced.clear();
        }
        unsynced.insert(&op);
        continue;
      }
      auto kernel = dyn_cast<KernelOp>(op);
      if (!kernel)
        continue;
      if (!kernel.getPlaceRows() || !kernel.getArgOffsets()) {
        kernel.emitOpError("must be placed and allocated before scheduling "
                           "(run dojo-place and dojo-allocate-sram)");
        return signalPassFailure();
      }
      // Semaphore 0 counts completed loads, semaphore 1 completed stores.
      kernel.setSemsAttr(b.getDenseI64ArrayAttr({0, 1}));
      kernel.removeKChunksAttr();
      kernel.setMulticast(false);
      int64_t chunks = chooseChunks(kernel);
      kernel->removeAttr(kSplitFirstSliceAttr);
      kernel->removeAttr(kSenderPrefetchAttr);
      kernel->removeAttr(kHaloExchangeAttr);
      kernel->removeAttr(kAGatherAttr);
      if (auto mm = dyn_cast<MatmulOp>(&kernel.getBody().front().front());
          mm && (mm.getWindow() || kernel.getIm2col()) &&
          !canMulticast(kernel, *m))
        chunks = 1;
      if (chunks > 1) {
        kernel.setKChunksAttr(b.getI64IntegerAttr(chunks));
        // Split the first slice when a slice's products take much longer
        // than its operands take to arrive (tm * tn / (8 (tm + tn)) >= 4,
        // from 256 MACs per cycle against 64 bytes per cycle of bf16 A and
        // B rows): the matrix unit then starts after half the bytes. For
        // small tiles the extra transfer costs more than it saves
        // (measured on d1: 2048^3 GEMM 111.3K -> 110.4K cycles; the MLP
        // 7.6K -> 8.0K if split).
        auto mm = cast<MatmulOp>(&kernel.getBody().front().front());
        auto t = mm.getResult().getType();
        int64_t tm = t.getDimSize(0), tn = t.getDimSize(1);
        if (chunks >= 4 && tm * tn >= 32 * (tm + tn) && !mm.getWindow())
          kernel->setAttr(kSplitFirstSliceAttr, b.getUnitAttr());
      }
      bool mcast = chunks > 1 && canMulticast(kernel, *m);
      if (mcast) {
        kernel.setMulticast(true);
        // senders = 0 (auto): two senders when the blocks are small (their
        // DMA latency, not their bytes, is what the receivers wait for),
        // one otherwise (measured: d1 MLP 9693 -> 7747 cycles; GEMMs with
        // blocks of 400 KB and more get slower).
        int64_t most = senders;
        if (most <= 0) {
          auto mm = cast<MatmulOp>(&kernel.getBody().front().front());
          int64_t biggest =
              std::max(tensorBytes(mm.getLhs().getType()),
                       tensorBytes(mm.getRhs().getType()));
          most = biggest <= 128 * 1024 ? 2 : 1;
        }
        int64_t sa = multicastSenders(*m, kernel.getGrid()[1], chunks, most);
        auto lead = cast<MatmulOp>(&kernel.getBody().front().front());
        bool loadersBound = packedLoadersBound(kernel, lead, *m, chunks);
        // A broadcast B's loaders sit in the first column that sends no A
        // (their DMA engine is then free for B; broadcastLoaderCol).
        if (kernel->hasAttr(kBBroadcastAttr) && senders <= 0 &&
            kernel.getGrid()[1] > 1)
          sa = std::min(sa, kernel.getGrid()[1] - 1);
        // A packed grid column's senders are one core per straight
        // segment, or two (packedLoadersBound); a broadcast B has up to
        // four loaders, on different placement rows (their edge ports
        // differ).
        int64_t sb =
            kernel->hasAttr(kBBroadcastAttr)
                ? multicastSenders(*m, kernel.foldedRows(), chunks,
                                   broadcastLoaders(kernel, chunks))
            : kernel->hasAttr(kPackedAttr)
                ? (loadersBound ? multicastSenders(*m, 2, chunks, 2) : 1)
                : multicastSenders(*m, kernel.getGrid()[0], chunks, most);
        // Gathered A: no A sender; three A semaphores (two for the
        // alternating slices, one for thread 0's permissions).
        if (gathersA(kernel, *m, chunks, sa, sb)) {
          sa = 3;
          kernel->setAttr(kAGatherAttr, b.getUnitAttr());
        }
        SmallVector<int64_t> sems = {0, 1, 2, 3, 4, 5};
        for (int64_t i = 0; i < sa - 1 + sb - 1; ++i)
          sems.push_back(6 + i);
        if (exchangesHalos(kernel, *m, int64_t(sems.size()))) {
          sems.push_back(int64_t(sems.size())); // the halo, at every core
          sems.push_back(int64_t(sems.size())); // its put, at the senders
          kernel->setAttr(kHaloExchangeAttr, b.getUnitAttr());
        }
        kernel.setSemsAttr(b.getDenseI64ArrayAttr(sems));
        kernel->setAttr("dojo.senders", b.getDenseI64ArrayAttr({sa, sb}));
        if (!kernel->hasAttr(kAGatherAttr) &&
            (loadersBound ||
             senderBound(kernel, lead, *m, chunks, std::min(sa, sb))))
          kernel->setAttr(kSenderPrefetchAttr, b.getUnitAttr());
      }
      kernel->removeAttr(kEpilogueChunksAttr);
      int64_t used = int64_t(kernel.getSems()->size());
      if (int64_t r = epilogueChunks(kernel, *m, used); r > 1) {
        SmallVector<int64_t> sems(*kernel.getSems());
        sems.push_back(used);     // a row chunk's products are complete
        sems.push_back(used + 1); // the epilogue thread is done
        kernel.setSemsAttr(b.getDenseI64ArrayAttr(sems));
        kernel->setAttr(kEpilogueChunksAttr, b.getI64IntegerAttr(r));
      }
      bool readsUnsynced = llvm::any_of(kernel.getInputs(), [&](Value v) {
        // Reshapes and alias slices read the same edge memory as their input.
        SmallVector<Operation *> producers;
        producersOf(v, producers);
        return llvm::any_of(producers,
                            [&](Operation *p) { return unsynced.contains(p); });
      });
      if (readsUnsynced || (mcast && !unsynced.empty())) {
        b.setInsertionPoint(kernel);
        BarrierOp::create(b, kernel.getLoc());
        ++numBarriers;
        unsynced.clear();
      }
      unsynced.insert(kernel);
    }
  }
};
} // namespace
