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

  LogicalResult allocate(KernelOp kernel, const MachineDesc &m) {
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
    // Buffers for the byte breakdown of an overflow error.
    SmallVector<std::tuple<Location, std::string, int64_t>> buffers;
    SmallVector<int64_t> argOffsets;
    for (BlockArgument arg : body.getArguments()) {
      auto t = cast<RankedTensorType>(arg.getType());
      int64_t off = arena.allocate(tensorBytes(t));
      offsetOf[arg] = off;
      argOffsets.push_back(off);
      buffers.push_back({arg.getLoc(),
                         "input tile " + std::to_string(arg.getArgNumber()),
                         tensorBytes(t)});
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
      if (int64_t s = scratchBytes(&op)) {
        scratch = arena.allocate(s);
        buffers.push_back({op.getLoc(), "fp32 accumulator", s});
        op.setAttr(kScratchOffsetAttr, b.getI64IntegerAttr(scratch));
      }
      // Elementwise ops compute in place when an operand of the same type
      // dies here.
      std::optional<int64_t> inPlace;
      if (isLoweredElementwise(&op))
        for (Value v : op.getOperands())
          if (v.getType() == resTy && lastUse(v) == idx &&
              llvm::count(op.getOperands(), v) == 1) {
            inPlace = offsetOf[v];
            offsetOf.erase(v);
            break;
          }
      int64_t off;
      if (inPlace) {
        off = *inPlace;
      } else {
        off = arena.allocate(tensorBytes(resTy));
        buffers.push_back({op.getLoc(),
                           "result of " + op.getName().getStringRef().str(),
                           tensorBytes(resTy)});
      }
      offsetOf[res] = off;
      op.setAttr(kSramOffsetAttr, b.getI64IntegerAttr(off));
      // Release what dies at this op.
      if (scratch >= 0)
        arena.release(scratch);
      for (Value v : llvm::to_vector(op.getOperands()))
        if (lastUse(v) == idx && offsetOf.count(v)) {
          arena.release(offsetOf[v]);
          offsetOf.erase(v);
        }
    }
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
