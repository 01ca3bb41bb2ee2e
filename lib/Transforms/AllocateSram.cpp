//===- AllocateSram.cpp - Per-core SRAM offsets by liveness ---------------===//

#include "dojo/Transforms/Passes.h"
#include "dojo/Transforms/Utils.h"

#include "mlir/IR/Builders.h"

namespace dojo {
#define GEN_PASS_DEF_DOJOALLOCATESRAM
#include "dojo/Transforms/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;

namespace {

/// First-fit allocator over one core's SRAM address space.
class Arena {
public:
  explicit Arena(int64_t align) : align(align) {}

  int64_t allocate(int64_t size) {
    size = alignTo(std::max<int64_t>(size, 1), align);
    llvm::sort(live, [](auto &a, auto &b) { return a.first < b.first; });
    int64_t offset = 0;
    for (auto &[off, sz] : live) {
      if (off - offset >= size)
        break;
      offset = std::max(offset, off + sz);
    }
    live.push_back({offset, size});
    peak = std::max(peak, offset + size);
    return offset;
  }
  void release(int64_t offset) {
    auto it = llvm::find_if(live, [&](auto &p) { return p.first == offset; });
    if (it != live.end())
      live.erase(it);
  }
  int64_t getPeak() const { return peak; }

private:
  int64_t align;
  int64_t peak = 0;
  SmallVector<std::pair<int64_t, int64_t>> live;
};

struct DojoAllocateSramPass
    : dojo::impl::DojoAllocateSramBase<DojoAllocateSramPass> {
  using DojoAllocateSramBase::DojoAllocateSramBase;

  /// True if every body op of the kernel is independent per tile row and
  /// its inputs are full row blocks or broadcasts (see the pass description).
  static bool rowIndependent(KernelOp kernel) {
    Block &body = kernel.getBody().front();
    auto res = kernel.resultTileType();
    if (res.getRank() != 2)
      return false;
    int64_t rows = res.getDimSize(0);
    for (Operation &op : body.without_terminator()) {
      bool rowwise = isa<SoftmaxOp, LayerNormOp>(op) && isLoweredRowwise(&op);
      if (!isLoweredElementwise(&op) && !rowwise)
        return false;
      auto t = cast<RankedTensorType>(op.getResult(0).getType());
      if (t.getRank() != 2 || t.getDimSize(0) != rows)
        return false;
    }
    // Inputs: full row blocks (same rows, same row map) or broadcasts.
    AffineMap resMap =
        cast<AffineMapAttr>(kernel.getMaps().getValue().back()).getValue();
    int64_t rowInputs = 0; // convert-dojo-to-isa keeps 7 tile addresses
    for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
      auto t = cast<RankedTensorType>(arg.getType());
      if (t.getRank() == 2 && t.getDimSize(0) == rows && rows > 1) {
        AffineMap map =
            cast<AffineMapAttr>(kernel.getMaps().getValue()[i]).getValue();
        if (map.getResult(0) != resMap.getResult(0) || ++rowInputs > 7)
          return false;
      } else if (t.getRank() == 2 ? t.getDimSize(0) != 1 : t.getRank() != 1) {
        return false;
      }
    }
    return true;
  }

  /// Row chunks for a row-independent kernel; 1 if it does not qualify.
  static int64_t rowChunksFor(KernelOp kernel) {
    if (!rowIndependent(kernel))
      return 1;
    return std::clamp<int64_t>(kernel.resultTileType().getDimSize(0) / 16, 1,
                               8);
  }

  LogicalResult allocate(KernelOp kernel, const MachineDesc &m) {
    if (kernel->hasAttr(kStreamRowsAttr)) {
      // dojo-tile's estimate is conservative: stream only if the whole
      // tile does not fit after all.
      kernel->removeAttr(kRowChunksAttr);
      kernel->removeAttr(kStreamSetBytesAttr);
      bool whole = succeeded(allocateWith(kernel, m, /*reuse=*/true,
                                          /*report=*/false));
      if (!whole)
        return allocateStreamed(kernel, m);
      kernel->removeAttr(kStreamRowsAttr);
    }
    kernel->removeAttr(kRowChunksAttr);
    int64_t chunks = rowChunks ? rowChunksFor(kernel) : 1;
    if (chunks > 1) {
      // Chunk c + 1's loads land while chunk c computes, and chunk c's
      // store runs while chunk c + 1 computes: no buffer may take over
      // dead space (its rows would not line up). Fall back to the plain
      // allocation if that does not fit.
      if (succeeded(allocateWith(kernel, m, /*reuse=*/false,
                                 /*report=*/false))) {
        kernel->setAttr(kRowChunksAttr,
                        OpBuilder(kernel).getI64IntegerAttr(chunks));
        return success();
      }
    }
    // A leading matmul with an epilogue (or a rounding of its FP32
    // products): dojo-schedule may run the epilogue
    // on another thread, row chunk by row chunk, while the matrix unit is
    // still at work. Then no buffer may take over dead space (the matmul's
    // operands are still read, a broadcast operand is read by every chunk,
    // and rows of different element sizes do not line up); only same-type
    // in-place updates (row for row) stay, and not of the matmul's
    // operands. Allocate so if that fits.
    kernel->removeAttr(kMatmulLiveAttr);
    Block &body = kernel.getBody().front();
    if (matmulLive && isa<MatmulOp>(body.front()) &&
        succeeded(allocateWith(kernel, m, /*reuse=*/false, /*report=*/false,
                               /*keepMatmul=*/true))) {
      kernel->setAttr(kMatmulLiveAttr, OpBuilder(kernel).getUnitAttr());
      return success();
    }
    return allocateWith(kernel, m, /*reuse=*/true, /*report=*/true);
  }

  /// A kernel marked dojo.stream_rows by dojo-tile (its tile does not fit):
  /// one set of buffers for a chunk of S rows (no reuse, no in-place: the
  /// next chunk's loads land while this one computes, and this one's store
  /// runs while the next computes), and a second set right after it. S is
  /// the largest of 64, 32, ..., 1 (at most the tile's rows) for which both
  /// sets fit; dojo.stream_rows = S and dojo.stream_set_bytes = the set's
  /// size record the choice for convert-dojo-to-isa.
  LogicalResult allocateStreamed(KernelOp kernel, const MachineDesc &m) {
    auto tile = kernel.resultTileType();
    if (tile.getRank() != 2 || !rowIndependent(kernel))
      return kernel.emitOpError("is marked dojo.stream_rows but is not a "
                                "row-independent kernel on 2-D tiles");
    int64_t tileRows = tile.getDimSize(0);
    OpBuilder b(kernel);
    for (int64_t rows = std::min<int64_t>(64, tileRows); rows >= 1;
         rows /= 2) {
      int64_t setBytes = 0;
      if (failed(allocateWith(kernel, m, /*reuse=*/false, /*report=*/false,
                              /*keepMatmul=*/false, rows, &setBytes)))
        continue;
      if (2 * setBytes > m.sram_bytes)
        continue;
      kernel->setAttr(kStreamRowsAttr, b.getI64IntegerAttr(rows));
      kernel->setAttr(kStreamSetBytesAttr, b.getI64IntegerAttr(setBytes));
      kernel.setSramBytesAttr(b.getI64IntegerAttr(2 * setBytes));
      peakBytes = std::max<uint64_t>(peakBytes, 2 * setBytes);
      return success();
    }
    // Not even one row per set fits: report the whole-tile breakdown.
    kernel->removeAttr(kStreamRowsAttr);
    return allocateWith(kernel, m, /*reuse=*/true, /*report=*/true);
  }

  LogicalResult allocateWith(KernelOp kernel, const MachineDesc &m, bool reuse,
                             bool report, bool keepMatmul = false,
                             int64_t streamRows = -1,
                             int64_t *setBytes = nullptr) {
    // With streamRows, buffers of full-row values hold that many rows.
    int64_t tileRows = kernel.resultTileType().getRank() == 2
                           ? kernel.resultTileType().getDimSize(0)
                           : -1;
    auto bytesOf = [&](RankedTensorType t) {
      if (streamRows >= 0 && t.getRank() == 2 && t.getDimSize(0) == tileRows)
        return streamRows * t.getDimSize(1) * elementBytes(t.getElementType());
      return tensorBytes(t);
    };
    Block &body = kernel.getBody().front();
    // Program order index of every use; the yield's store is the last use.
    llvm::DenseMap<Operation *, int64_t> index;
    int64_t n = 0;
    for (Operation &op : body)
      index[&op] = n++;
    auto lastUse = [&](Value v) {
      int64_t last = -1;
      for (Operation *user : v.getUsers())
        last = std::max(last, index.lookup(user));
      return last;
    };
    Arena arena(alignment);
    llvm::DenseMap<Value, int64_t> offsetOf;
    // With keepMatmul, no epilogue op updates the matmul's operands in place.
    llvm::DenseSet<Value> operandsOfMatmul;
    if (keepMatmul)
      if (auto mm = dyn_cast<MatmulOp>(body.front())) {
        operandsOfMatmul.insert(mm.getLhs());
        operandsOfMatmul.insert(mm.getRhs());
      }
    // Buffers for the byte breakdown of an overflow error.
    SmallVector<std::tuple<Location, std::string, int64_t>> buffers;
    SmallVector<int64_t> argOffsets;
    // A broadcast B holds every column block (dojo.b_broadcast).
    Value broadcastB;
    int64_t wholeB = broadcastBBytes(kernel);
    if (wholeB >= 0)
      broadcastB = cast<MatmulOp>(body.front()).getRhs();
    for (BlockArgument arg : body.getArguments()) {
      auto t = cast<RankedTensorType>(arg.getType());
      int64_t off = arena.allocate(arg == broadcastB ? wholeB : bytesOf(t));
      offsetOf[arg] = off;
      argOffsets.push_back(off);
      buffers.push_back({arg.getLoc(),
                         "input tile " + std::to_string(arg.getArgNumber()),
                         arg == broadcastB ? wholeB : tensorBytes(t)});
    }
    OpBuilder b(&getContext());
    for (Operation &op : body) {
      if (isa<YieldOp>(op))
        continue;
      if (op.getNumResults() != 1)
        return op.emitOpError("cannot be allocated: expected one result");
      Value res = op.getResult(0);
      auto resTy = cast<RankedTensorType>(res.getType());
      int64_t idx = index[&op];
      int64_t scratch = -1;
      if (int64_t s = scratchBytes(&op, streamRows)) {
        scratch = arena.allocate(s);
        buffers.push_back({op.getLoc(), "fp32 accumulator", s});
        op.setAttr(kScratchOffsetAttr, b.getI64IntegerAttr(scratch));
      }
      // Elementwise ops compute in place when an operand of the same type
      // dies here.
      std::optional<int64_t> inPlace;
      if (isLoweredElementwise(&op) && streamRows < 0)
        for (Value v : op.getOperands())
          if (v.getType() == resTy && lastUse(v) == idx &&
              llvm::count(op.getOperands(), v) == 1 &&
              !operandsOfMatmul.contains(v)) {
            inPlace = offsetOf[v];
            offsetOf.erase(v);
            break;
          }
      int64_t off;
      if (inPlace) {
        off = *inPlace;
      } else {
        off = arena.allocate(bytesOf(resTy));
        buffers.push_back({op.getLoc(),
                           "result of " + op.getName().getStringRef().str(),
                           tensorBytes(resTy)});
      }
      offsetOf[res] = off;
      op.setAttr(kSramOffsetAttr, b.getI64IntegerAttr(off));
      // Release what dies at this op.
      if (scratch >= 0 && reuse)
        arena.release(scratch);
      for (Value v : llvm::to_vector(op.getOperands()))
        if (lastUse(v) == idx && offsetOf.count(v)) {
          if (reuse)
            arena.release(offsetOf[v]);
          offsetOf.erase(v);
        }
    }
    if (!report && arena.getPeak() > m.sram_bytes)
      return failure();
    if (setBytes)
      *setBytes = alignTo(arena.getPeak(), alignment);
    kernel.setArgOffsetsAttr(b.getDenseI64ArrayAttr(argOffsets));
    kernel.setSramBytesAttr(b.getI64IntegerAttr(arena.getPeak()));
    peakBytes = std::max<uint64_t>(peakBytes, arena.getPeak());
    if (arena.getPeak() <= m.sram_bytes)
      return success();

    // Name a concrete core: the first core of the placement.
    int64_t row = 0, col = 0;
    if (auto rows = kernel.getPlaceRows(); rows && !rows->empty()) {
      row = rows->front();
      col = kernel.getPlaceCols()->front();
    }
    InFlightDiagnostic diag = kernel.emitError()
                              << "kernel does not fit in SRAM: core (" << row
                              << ", " << col << ") needs " << arena.getPeak()
                              << " bytes but only " << m.sram_bytes
                              << " bytes are free";
    for (auto &[loc, what, bytes] : buffers)
      diag.attachNote(loc) << what << ": " << bytes << " bytes";
    return failure();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    const MachineDesc *m = getTargetOrError(func);
    if (!m)
      return signalPassFailure();
    for (KernelOp kernel : llvm::to_vector(func.getOps<KernelOp>()))
      if (failed(allocate(kernel, *m)))
        return signalPassFailure();
  }
};
} // namespace
