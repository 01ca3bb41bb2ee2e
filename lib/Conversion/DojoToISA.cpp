//===- DojoToISA.cpp - Lower scheduled kernels to the core ISA ------------===//
//
// Produces one SPMD code section. Register conventions:
//   r1  logical core id (csrr coreid)      r2  scratch for comparisons
//   r3  grid coordinate 0                  r4  grid coordinate 1
//   r5  address term                       r6  edge-memory address
//   r7  SRAM address of a transfer         r8..r10 SRAM operand addresses
//   r11 edge address of a streamed A tile  r12 edge address of a streamed B
//
//===----------------------------------------------------------------------===//

#include "dojo/Conversion/Passes.h"
#include "dojo/ISA/ISA.h"
#include "dojo/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/TypeSwitch.h"

#include <climits>
#include <functional>
#include <numeric>

namespace dojo {
#define GEN_PASS_DEF_CONVERTDOJOTOISA
#include "dojo/Conversion/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;
using dojo::isa::Opcode;

namespace {

constexpr int kCoreId = 1, kTmp = 2, kGrid0 = 3, kAddrTerm = 5, kDram = 6,
              kSramXfer = 7, kOpD = 8, kOpA = 9, kOpB = 10, kABase = 11,
              kBBase = 12, kOpC = 13;
// Data-movement loops (function-level copies and fills).
constexpr int kItem = 14, kItemEnd = 15, kRest = 16, kDstAddr = 17,
              kIndex = 18, kChunk = 19, kCurDst = 20, kCurChunk = 21,
              kCurBuf = 22, kNext = 23, kPending = 24;

/// How the leading matmul of a kernel streams its operands: `chunks`
/// slices of K; before slice 0 the core waits for `firstWait` loads (the
/// slice and every non-streamed input), before later slices for 2.
struct Streaming {
  int64_t chunks = 1, firstWait = 0, sem = 0;
  /// The K slices [k0, k0 + kc) (kSlices), in order.
  SmallVector<std::pair<int64_t, int64_t>> slices;
  /// With multicast, slices of A and B arrive on their own semaphores (one
  /// count per slice) and `sem`/`firstWait` cover only the other inputs.
  bool multicast = false;
  /// Semaphore of each A (B) sender: slice c arrives on semsA[c % size].
  SmallVector<int64_t> semsA, semsB;
  /// A window product's A tile comes in row chunks: chunk j before slice
  /// aWaitAt[j] (windowChunks); empty: a part of A with every slice.
  SmallVector<int64_t> aWaitAt;
  /// With its first chunk in pieces (windowChunks): the A tile row each
  /// piece ends at; the first tap's products then go piece by piece.
  SmallVector<int64_t> firstPieceEnds;
  /// With kHaloExchangeAttr: the semaphore the halo (every chunk after the
  /// first) arrives on from the next grid row, and the last grid row, which
  /// loads its chunks itself; -1 without.
  int64_t haloSem = -1, lastGridRow = -1;
  /// A broadcast B (dojo.b_broadcast): the whole B is in SRAM with rows of
  /// `bStride` elements, and this core's column block starts `kBCol`
  /// bytes into each row; 0 if B is the core's own tile.
  int64_t bStride = 0;
  /// With kAGatherAttr: slice c of A is `gatherPieces` pieces (one count
  /// each on semsA[c % 2]), sent by the cores' thread 1; after its wait for
  /// slice c (c < slices - 1) thread 0 adds one to `gatherPermSem`, which
  /// lets its thread 1 send its piece of slice c + 1.
  int64_t gatherPieces = 0;
  int64_t gatherPermSem = -1;
};


/// Appends instruction ops to a section, in pc order.
class InstBuilder {
public:
  InstBuilder(OpBuilder &b) : b(b) {}

  /// Creates the op for `opcode`: registers then immediates in the order of
  /// the opcode table (dojo/ISA/ISA.h).
  Operation *emit(Location loc, Opcode opcode, ArrayRef<int> regs,
                  ArrayRef<int64_t> imms = {}) {
    const isa::OpcodeInfo &info = isa::info(opcode);
    OperationState state(loc, (Twine("dojoisa.") + info.mnemonic).str());
    for (int k = 0; k < info.numRegs; ++k)
      state.addAttribute(info.regs[k],
                         b.getI32IntegerAttr(k < (int)regs.size() ? regs[k] : 0));
    for (int k = 0; k < info.numImms; ++k)
      state.addAttribute(info.imms[k], b.getI32IntegerAttr(
                                           k < (int)imms.size() ? imms[k] : 0));
    ++pc;
    return b.create(state);
  }
  int64_t getPc() const { return pc; }

private:
  OpBuilder &b;
  int64_t pc = 0;
};

// Byte offset of this core's column block in a broadcast B row (matmul
// kernels only; row-chunked kernels use r25..r31 for their inputs).
constexpr int kBCol = 25;
// Kernels with dojo.a_gather (thread 1, emitGatherThread): the SRAM
// address of the core's band of A, its mesh row, the row's first column, the
// band's edge-memory address and the row's width in mesh columns.
constexpr int kGatherSram = 26, kGatherRow = 27, kGatherCol = 28,
              kGatherDram = 29, kGatherWidth = 30;

/// Sets kOpB to K row `k0` of the matmul's B operand at SRAM `rhs`, whose
/// tile has `n` columns of `e` bytes; returns B's row stride in elements.
int64_t emitBAddress(InstBuilder &ib, Location loc, const Streaming &s,
                     int64_t rhs, int64_t k0, int64_t n, int64_t e) {
  if (s.bStride == 0) {
    ib.emit(loc, Opcode::Li, {kOpB}, {rhs + k0 * n * e});
    return n;
  }
  ib.emit(loc, Opcode::Li, {kOpB}, {rhs + k0 * s.bStride * e});
  ib.emit(loc, Opcode::Add, {kOpB, kOpB, kBCol});
  return s.bStride;
}

bool fitsImm(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }
int64_t ceilDivI(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Points branch `branch` at instruction `pc`.
void patchTarget(Operation *branch, int64_t pc) {
  branch->setAttr("target",
                  IntegerAttr::get(IntegerType::get(branch->getContext(), 32),
                                   pc));
}

/// A binary search on register `reg` over `keys` (ascending, distinct):
/// returns one jump per key, in order, taken when `reg` is at least that
/// key and below the next one (the first also below it), for the caller
/// to point at the key's code. A core then finds its grid column's code in
/// about log2(keys) compares instead of a linear chain of them (on d1, up
/// to 19 grid columns, each with its own segments to load B over).
SmallVector<Operation *> emitDispatch(InstBuilder &ib, Location loc, int reg,
                                      ArrayRef<int64_t> keys) {
  SmallVector<Operation *> jumps(keys.size(), nullptr);
  std::function<void(size_t, size_t)> tree = [&](size_t lo, size_t hi) {
    if (hi - lo == 1) {
      jumps[lo] = ib.emit(loc, Opcode::Jmp, {}, {0});
      return;
    }
    size_t mid = (lo + hi) / 2;
    ib.emit(loc, Opcode::Li, {kTmp}, {keys[mid]});
    Operation *right = ib.emit(loc, Opcode::Bge, {reg, kTmp}, {0});
    tree(lo, mid);
    patchTarget(right, ib.getPc());
    tree(mid, hi);
  };
  if (!keys.empty())
    tree(0, keys.size());
  return jumps;
}

/// Emits the waits before multiplying K slice `c` of a streamed matmul:
/// with multicast, the other inputs (before slice 0) and the slice's A and
/// B semaphores; otherwise its two loads (slice 0: every input).
void emitSliceWait(InstBuilder &ib, Location loc, const Streaming &s,
                   int64_t c) {
  if (s.multicast) {
    if (c == 0 && s.firstWait > 0)
      ib.emit(loc, Opcode::SemWait, {}, {s.sem, s.firstWait});
    if (s.aWaitAt.empty())
      ib.emit(loc, Opcode::SemWait, {},
              {s.semsA[c % s.semsA.size()],
               s.gatherPieces > 0 ? s.gatherPieces : 1});
    for (auto [j, at] : llvm::enumerate(s.aWaitAt)) {
      if (at != c)
        continue;
      int64_t sem = s.semsA[j % s.semsA.size()];
      if (j == 0 || s.haloSem < 0) {
        ib.emit(loc, Opcode::SemWait, {}, {sem, 1});
        continue;
      }
      // Halo exchange: the last grid row waits for its own chunks; the
      // others for the halo, once, before the first chunk of it.
      ib.emit(loc, Opcode::Li, {kTmp}, {s.lastGridRow});
      Operation *notLast = ib.emit(loc, Opcode::Bne, {kGrid0, kTmp}, {0});
      ib.emit(loc, Opcode::SemWait, {}, {sem, 1});
      Operation *done = ib.emit(loc, Opcode::Jmp, {}, {0});
      patchTarget(notLast, ib.getPc());
      if (j == 1)
        ib.emit(loc, Opcode::SemWait, {}, {s.haloSem, 1});
      patchTarget(done, ib.getPc());
    }
    ib.emit(loc, Opcode::SemWait, {}, {s.semsB[c % s.semsB.size()], 1});
    // Gathered A: this core has every piece of slice c, so its thread 1
    // may send its piece of slice c + 1 (see emitGatherThread).
    if (s.gatherPieces > 0 && c + 1 < int64_t(s.slices.size()))
      ib.emit(loc, Opcode::SemSignal, {kCoreId}, {s.gatherPermSem, 1});
  } else if (s.chunks > 1) {
    ib.emit(loc, Opcode::SemWait, {}, {s.sem, c == 0 ? s.firstWait : 2});
  }
}

/// Emits slice 0 of a streamed window product whose first A chunk comes
/// in pieces (Streaming::firstPieceEnds): after the other inputs and B's
/// first slice, each piece's wait, then `product(r0, rows)` for the
/// product rows it completes (tap 0 reads A rows [r0, r0 + rows)), so the
/// matrix unit starts with the first piece.
void emitFirstSlicePieces(
    InstBuilder &ib, Location loc, const Streaming &s, int64_t m,
    llvm::function_ref<void(int64_t, int64_t)> product) {
  if (s.firstWait > 0)
    ib.emit(loc, Opcode::SemWait, {}, {s.sem, s.firstWait});
  ib.emit(loc, Opcode::SemWait, {}, {s.semsB[0], 1});
  int64_t r0 = 0;
  for (auto [j, end] : llvm::enumerate(s.firstPieceEnds)) {
    ib.emit(loc, Opcode::SemWait, {}, {s.semsA[j % s.semsA.size()], 1});
    int64_t r1 = j + 1 == s.firstPieceEnds.size() ? m : std::min(end, m);
    if (r1 > r0)
      product(r0, r1 - r0);
    r0 = std::max(r0, r1);
  }
}

/// The value a chain of reshapes starts from.
Value reshapeRoot(Value v) {
  while (auto r = v.getDefiningOp<ReshapeOp>())
    v = r.getInput();
  return v;
}

struct ConvertDojoToISAPass
    : dojo::impl::ConvertDojoToISABase<ConvertDojoToISAPass> {
  using ConvertDojoToISABase::ConvertDojoToISABase;

  /// With edge-routes=balanced, sets the thread's CSR edge_mask to N|S (5)
  /// on cores with an even row + col and to E|W (10) on the others: a
  /// checkerboard that gives every edge port about the same number of
  /// cores (the nearest-edge rule gives the ports in the middle of each
  /// side about twice the mean). Emitted by the threads that store tiles
  /// and run copies (thread 0, epilogue threads); the multicast senders
  /// and B loaders, placed next to the edges they load from, keep the
  /// nearest edge.
  void emitEdgeRoutes(InstBuilder &ib, Location loc) {
    if (edgeRoutes != "balanced")
      return;
    ib.emit(loc, Opcode::Csrr, {kTmp}, {static_cast<int64_t>(isa::Csr::Row)});
    ib.emit(loc, Opcode::Csrr, {kOpA}, {static_cast<int64_t>(isa::Csr::Col)});
    ib.emit(loc, Opcode::Add, {kTmp, kTmp, kOpA});
    ib.emit(loc, Opcode::Li, {kOpA}, {1});
    ib.emit(loc, Opcode::And, {kTmp, kTmp, kOpA});
    ib.emit(loc, Opcode::Li, {kOpA}, {isa::kEdgeN | isa::kEdgeS});
    ib.emit(loc, Opcode::Shl, {kOpA, kOpA, kTmp}); // E|W on odd cores
    ib.emit(loc, Opcode::Csrw, {kOpA},
            {static_cast<int64_t>(isa::Csr::EdgeMask)});
  }

  const MachineDesc *target = nullptr;
  llvm::DenseMap<Value, int64_t> dramOffset; // tensors in edge memory
  int64_t numCores = 0, numRows = 0, numCols = 0;

  /// A strided window of edge memory: element (i0, i1, ...) is at byte
  /// base + sum(i_d * strides[d]) * element size.
  struct View {
    int64_t base = 0;
    SmallVector<int64_t> shape, strides;
  };
  llvm::DenseMap<Value, View> views; // view slices (no buffer of their own)
  int64_t rotation = 0; // first core of the next data-movement deal
  llvm::DenseSet<Operation *> inPlaceConcats; // no code: built in place

  static SmallVector<int64_t> denseStrides(ArrayRef<int64_t> shape) {
    SmallVector<int64_t> st(shape.size(), 1);
    for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
      st[d] = st[d + 1] * shape[d + 1];
    return st;
  }
  View viewOf(Value v) {
    auto it = views.find(v);
    if (it != views.end())
      return it->second;
    auto t = cast<RankedTensorType>(v.getType());
    return View{dramOffset.lookup(v), SmallVector<int64_t>(t.getShape()),
                denseStrides(t.getShape())};
  }
  /// The window a slice reads from its input's window.
  View sliceView(SliceOp slice) {
    View in = viewOf(slice.getInput());
    int64_t e = elementBytes(slice.getType().getElementType());
    View out;
    out.base = in.base;
    for (auto [d, size] : llvm::enumerate(slice.getType().getShape())) {
      out.base += slice.getOffsets()[d] * in.strides[d] * e;
      out.shape.push_back(size);
      out.strides.push_back(in.strides[d] * slice.getStrides()[d]);
    }
    return out;
  }

  /// SRAM staging buffer of the data-movement loops (kernels' SRAM is dead
  /// between kernels: dojo-schedule puts a barrier before every copy).
  int64_t stagingBytes() const { return copyStagingBytes(*target); }

  /// Emits code that copies window `src` to window `dst` (same shape), or,
  /// when `src` is null, fills `dst` with the element bit pattern `bits` of
  /// machine type `dtype`. The window is cut into 2-D DMA blocks (rows of a
  /// contiguous run) that are dealt out to the program's cores in contiguous
  /// ranges; each block goes edge memory -> SRAM staging -> edge memory.
  /// A pad's border fills (lowerCopyOp): their stores count on
  /// kDeferredSem, their number in kDeferred, and are awaited after the
  /// interior copy (drainDeferredFills), so that both overlap. The fills
  /// stage their row in the upper half of the staging buffer, the copy
  /// uses the lower half.
  static constexpr int kDeferred = 13;
  static constexpr int64_t kDeferredSem = 2;
  bool deferFills = false;
  void drainDeferredFills(InstBuilder &ib, Location loc) {
    Operation *none = ib.emit(loc, Opcode::Beq, {kDeferred, 0}, {0});
    int64_t drain = ib.getPc();
    ib.emit(loc, Opcode::SemWait, {}, {kDeferredSem, 1});
    ib.emit(loc, Opcode::Addi, {kDeferred, kDeferred}, {-1});
    ib.emit(loc, Opcode::Bne, {kDeferred, 0}, {drain});
    patchTarget(none, ib.getPc());
  }

  /// A copy leaves its last store in flight (kPending, from the staging
  /// half at kCurBuf): the next copy with the same halves loads its first
  /// block into the other half and waits for that store before it reuses
  /// the half, so consecutive copies (the slices of an im2col, a concat's
  /// parts) overlap. Anything else that uses the staging buffer or needs
  /// the stores done (fills, gathers, kernels, barriers, the end) drains it
  /// first (drainCopy).
  bool copyPending = false;
  int64_t pendingHalf = 0;
  void drainCopy(InstBuilder &ib, Location loc) {
    if (!copyPending)
      return;
    copyPending = false;
    Operation *none = ib.emit(loc, Opcode::Beq, {kPending, 0}, {0});
    ib.emit(loc, Opcode::SemWait, {}, {1, 1});
    patchTarget(none, ib.getPc());
  }

  LogicalResult emitTransfer(InstBuilder &ib, Location loc, const View *src,
                             const View &dst, int64_t e, int64_t dtype,
                             int64_t bits) {
    // Drop unit dims, then merge dims that are contiguous in both windows.
    SmallVector<int64_t> shape, ss, ds;
    for (size_t d = 0; d < dst.shape.size(); ++d) {
      if (dst.shape[d] == 0)
        return success(); // nothing to move
      if (dst.shape[d] == 1)
        continue;
      int64_t sst = src ? src->strides[d] : 0;
      if (!shape.empty() && ds.back() == dst.strides[d] * dst.shape[d] &&
          (!src || ss.back() == sst * dst.shape[d])) {
        shape.back() *= dst.shape[d];
        ss.back() = sst;
        ds.back() = dst.strides[d];
        continue;
      }
      shape.push_back(dst.shape[d]);
      ss.push_back(sst);
      ds.push_back(dst.strides[d]);
    }
    if (shape.empty()) {
      shape = {1};
      ss = {1};
      ds = {1};
    }
    // A block row is the innermost dim when it is contiguous on both sides.
    int64_t rowElems = 1;
    if (ds.back() == 1 && (!src || ss.back() == 1)) {
      rowElems = shape.pop_back_val();
      ss.pop_back();
      ds.pop_back();
    }
    int64_t staging = deferFills ? stagingBytes() / 2 / 64 * 64 : stagingBytes();
    // Rows fit half the staging buffer and, for a long run, leave every
    // core some (a single 230 KB zero image in two rows kept two cores
    // busy for 3.9K cycles while the others waited at the next barrier).
    int64_t items = 1;
    for (int64_t d : shape)
      items *= d;
    int64_t spread = ceilDivI(rowElems * e * items, numCores);
    int64_t maxRow = std::min(staging / 2, std::max<int64_t>(4096, spread));
    if (rowElems * e > maxRow) {
      // Cut a long run into rows of the largest divisor that fits.
      int64_t b = maxRow / e;
      while (rowElems % b)
        --b;
      shape.push_back(rowElems / b);
      ss.push_back(b);
      ds.push_back(b);
      rowElems = b;
    }
    int64_t rowBytes = rowElems * e;
    int64_t rows = 1, rowSrc = rowBytes, rowDst = rowBytes;
    if (!shape.empty()) {
      rows = shape.pop_back_val();
      rowSrc = ss.pop_back_val() * e;
      rowDst = ds.pop_back_val() * e;
    }
    // Copies stage blocks in two halves of the buffer (double buffering).
    int64_t outerItems = 1;
    for (int64_t d : shape)
      outerItems *= d;
    // Blocks are cut so that every core gets some (a copy's also fit half
    // the staging buffer; a fill repeats one staged row, so its blocks
    // need no staging room). Measured on d1, the 3.2 MB output slice of a
    // 3x3 convolution: 15.0K cycles in half-buffer blocks (32 cores busy),
    // 2.7K in blocks dealt to all cores.
    int64_t perCore = ceilDivI(rows, std::max<int64_t>(1, numCores / outerItems));
    int64_t perBlock =
        src ? std::min({rows, staging / 2 / rowBytes, perCore}) : perCore;
    int64_t chunks = (rows + perBlock - 1) / perBlock;
    int64_t lastRows = rows - (chunks - 1) * perBlock;
    // Outer iteration space, outermost first; the row chunk is innermost.
    struct Dim {
      int64_t size, srcStride, dstStride;
    };
    SmallVector<Dim> outer;
    for (size_t d = 0; d < shape.size(); ++d)
      outer.push_back({shape[d], ss[d] * e, ds[d] * e});
    int64_t chunkDim = -1;
    if (chunks > 1) {
      chunkDim = outer.size();
      outer.push_back({chunks, perBlock * rowSrc, perBlock * rowDst});
    }
    int64_t total = 1;
    for (const Dim &d : outer)
      total *= d.size;
    for (const Dim &d : outer)
      if (!fitsImm(d.srcStride) || !fitsImm(d.dstStride))
        return emitError(loc, "copy stride does not fit a 32-bit immediate");

    auto li = [&](int reg, int64_t v) { ib.emit(loc, Opcode::Li, {reg}, {v}); };
    int64_t half = staging / 2 / 64 * 64;
    bool chained = src && copyPending && pendingHalf == half;
    if (!chained)
      drainCopy(ib, loc);
    emitDeal(ib, loc, total);
    if (!chained) {
      li(kPending, 0);
      li(kCurBuf, 0);
    }
    // r6 / r17 = source / destination address of item `item`, r19 its row
    // chunk.
    auto address = [&](int item) {
      ib.emit(loc, Opcode::Mov, {kRest, item});
      li(kDram, src ? src->base : 0);
      li(kDstAddr, dst.base);
      for (int64_t i = int64_t(outer.size()) - 1; i >= 0; --i) {
        int idx = kRest;
        if (i > 0) {
          li(kTmp, outer[i].size);
          ib.emit(loc, Opcode::Remu, {kIndex, kRest, kTmp});
          ib.emit(loc, Opcode::Divu, {kRest, kRest, kTmp});
          idx = kIndex;
        }
        if (i == chunkDim)
          ib.emit(loc, Opcode::Mov, {kChunk, idx});
        if (src) {
          ib.emit(loc, Opcode::Muli, {kAddrTerm, idx}, {outer[i].srcStride});
          ib.emit(loc, Opcode::Add, {kDram, kDram, kAddrTerm});
        }
        ib.emit(loc, Opcode::Muli, {kAddrTerm, idx}, {outer[i].dstStride});
        ib.emit(loc, Opcode::Add, {kDstAddr, kDstAddr, kAddrTerm});
      }
    };
    // `one(rows)` for the item whose row chunk is in `chunkReg`.
    auto byChunk = [&](int chunkReg, llvm::function_ref<void(int64_t)> one) {
      if (lastRows == perBlock)
        return one(perBlock);
      li(kTmp, chunks - 1);
      Operation *notLast = ib.emit(loc, Opcode::Bne, {chunkReg, kTmp}, {0});
      one(lastRows);
      Operation *done = ib.emit(loc, Opcode::Jmp, {}, {0});
      patchTarget(notLast, ib.getPc());
      one(perBlock);
      patchTarget(done, ib.getPc());
    };
    Operation *none = ib.emit(loc, Opcode::Bge, {kItem, kItemEnd}, {0});
    if (!src) {
      // Fill: one staged row, stored (repeated) to every block; the
      // stores are all issued, then all awaited (deferred: after the
      // pad's interior copy; the row then sits in the upper half of the
      // staging buffer, and every border fill of the pad stages the same
      // value there).
      li(kSramXfer, deferFills ? staging : 0);
      ib.emit(loc, Opcode::Vfill, {kSramXfer},
              {1, rowElems, rowElems, dtype, bits});
      int64_t loop = ib.getPc();
      address(kItem);
      int64_t sem = deferFills ? kDeferredSem : 1;
      byChunk(kChunk, [&](int64_t r) {
        ib.emit(loc, Opcode::DmaSt, {kDstAddr, kSramXfer},
                {r, rowBytes, rowDst, 0, sem});
      });
      int counter = deferFills ? kDeferred : kPending;
      ib.emit(loc, Opcode::Addi, {counter, counter}, {1});
      ib.emit(loc, Opcode::Addi, {kItem, kItem}, {1});
      ib.emit(loc, Opcode::Blt, {kItem, kItemEnd}, {loop});
      if (deferFills) {
        patchTarget(none, ib.getPc());
        return success();
      }
      int64_t drain = ib.getPc();
      ib.emit(loc, Opcode::SemWait, {}, {1, 1});
      ib.emit(loc, Opcode::Addi, {kPending, kPending}, {-1});
      ib.emit(loc, Opcode::Bne, {kPending, 0}, {drain});
      patchTarget(none, ib.getPc());
      return success();
    }
    // Copy, double-buffered: item i+1 loads into one half of the staging
    // buffer while item i is stored from the other. At most one load and
    // one store are in flight; a half is reloaded only after its store.
    // The first block goes to the half the last copy's pending store does
    // not read (kCurBuf is 0 or `half` on every core of a chain).
    auto load = [&](int chunkReg) {
      byChunk(chunkReg, [&](int64_t r) {
        ib.emit(loc, Opcode::DmaLd, {kSramXfer, kDram},
                {r, rowBytes, rowBytes, rowSrc, 0});
      });
    };
    address(kItem);
    li(kTmp, half);
    ib.emit(loc, Opcode::Sub, {kSramXfer, kTmp, kCurBuf});
    load(kChunk);
    ib.emit(loc, Opcode::Mov, {kCurDst, kDstAddr});
    ib.emit(loc, Opcode::Mov, {kCurChunk, kChunk});
    ib.emit(loc, Opcode::Mov, {kCurBuf, kSramXfer});
    int64_t loop = ib.getPc();
    // The store of item i-1 (from the half item i+1 reuses) is done.
    Operation *noStore = ib.emit(loc, Opcode::Beq, {kPending, 0}, {0});
    ib.emit(loc, Opcode::SemWait, {}, {1, 1});
    patchTarget(noStore, ib.getPc());
    li(kPending, 0);
    ib.emit(loc, Opcode::Addi, {kNext, kItem}, {1});
    Operation *last = ib.emit(loc, Opcode::Bge, {kNext, kItemEnd}, {0});
    address(kNext);
    li(kTmp, half);
    ib.emit(loc, Opcode::Sub, {kSramXfer, kTmp, kCurBuf});
    load(kChunk);
    patchTarget(last, ib.getPc());
    ib.emit(loc, Opcode::SemWait, {}, {0, 1});
    byChunk(kCurChunk, [&](int64_t r) {
      ib.emit(loc, Opcode::DmaSt, {kCurDst, kCurBuf},
              {r, rowBytes, rowDst, rowBytes, 1});
    });
    li(kPending, 1);
    ib.emit(loc, Opcode::Mov, {kCurDst, kDstAddr});
    ib.emit(loc, Opcode::Mov, {kCurChunk, kChunk});
    ib.emit(loc, Opcode::Mov, {kCurBuf, kSramXfer});
    ib.emit(loc, Opcode::Mov, {kItem, kNext});
    ib.emit(loc, Opcode::Blt, {kItem, kItemEnd}, {loop});
    patchTarget(none, ib.getPc());
    // The last store stays in flight (drainCopy).
    copyPending = true;
    pendingHalf = half;
    return success();
  }

  /// Embedding lookup: each core takes a contiguous range of the indices,
  /// stages them in SRAM (one per 8-byte slot, for `ld`), and for each
  /// copies the clamped table row to the result, double-buffered.
  LogicalResult lowerGather(InstBuilder &ib, GatherOp op) {
    Location loc = op.getLoc();
    auto tableTy = op.getTable().getType();
    int64_t V = tableTy.getDimSize(0), D = tableTy.getDimSize(1);
    int64_t e = elementBytes(tableTy.getElementType());
    int64_t n = op.getIndices().getType().getNumElements();
    int64_t rowBytes = D * e, staging = stagingBytes();
    int64_t per = (n + numCores - 1) / numCores;
    // Slots for this core's indices, then two row buffers.
    int64_t slots = alignTo(per * 8, 64), rowBuf = alignTo(rowBytes, 64);
    if (slots + 2 * rowBuf > staging)
      return op.emitOpError("needs ")
             << slots + 2 * rowBuf << " bytes of SRAM staging ("
             << per << " indices per core and two " << rowBytes
             << "-byte rows), more than the " << staging << " available";
    if (n == 0 || D == 0)
      return success();
    int64_t table = dramOffset.lookup(op.getTable());
    int64_t idxBase = dramOffset.lookup(op.getIndices());
    int64_t out = dramOffset.lookup(op.getResult());
    auto li = [&](int reg, int64_t v) { ib.emit(loc, Opcode::Li, {reg}, {v}); };
    emitDeal(ib, loc, n);
    Operation *none = ib.emit(loc, Opcode::Bge, {kItem, kItemEnd}, {0});
    // Zeroed slots, then this core's indices (4 bytes each) into them. The
    // count is per core (the last core may have fewer): the DMA moves
    // `per` rows from a clamped start so it stays inside the tensor.
    li(kSramXfer, 0);
    ib.emit(loc, Opcode::Vfill, {kSramXfer},
            {1, slots / 4, slots / 4, static_cast<int64_t>(num::DType::F32), 0});
    // First index staged: min(start, n - per) so `per` rows stay in range.
    li(kTmp, n - per);
    ib.emit(loc, Opcode::Min, {kRest, kItem, kTmp});
    ib.emit(loc, Opcode::Muli, {kAddrTerm, kRest}, {4});
    ib.emit(loc, Opcode::Addi, {kDram, kAddrTerm}, {idxBase});
    ib.emit(loc, Opcode::DmaLd, {kSramXfer, kDram}, {per, 4, 8, 4, 0});
    ib.emit(loc, Opcode::SemWait, {}, {0, 1});
    // r16 = slot address of item r14: (r14 - first) * 8.
    ib.emit(loc, Opcode::Sub, {kRest, kItem, kRest});
    ib.emit(loc, Opcode::Muli, {kRest, kRest}, {8});
    li(kPending, 0);
    li(kCurBuf, slots);
    int64_t loop = ib.getPc();
    // idx = clamp(slot, 0, V - 1); the slot holds the int32 zero-extended.
    ib.emit(loc, Opcode::Ld, {kIndex, kRest}, {0});
    li(kTmp, V);
    Operation *inRange = ib.emit(loc, Opcode::Blt, {kIndex, kTmp}, {0});
    li(kTmp, 0x7fffffff);
    Operation *negative = ib.emit(loc, Opcode::Blt, {kTmp, kIndex}, {0});
    li(kIndex, V - 1);
    Operation *clamped = ib.emit(loc, Opcode::Jmp, {}, {0});
    patchTarget(negative, ib.getPc());
    li(kIndex, 0);
    patchTarget(inRange, ib.getPc());
    patchTarget(clamped, ib.getPc());
    ib.emit(loc, Opcode::Muli, {kAddrTerm, kIndex}, {rowBytes});
    ib.emit(loc, Opcode::Addi, {kDram, kAddrTerm}, {table});
    // The store that last used this row buffer is done.
    Operation *noStore = ib.emit(loc, Opcode::Beq, {kPending, 0}, {0});
    ib.emit(loc, Opcode::SemWait, {}, {1, 1});
    li(kPending, 0);
    patchTarget(noStore, ib.getPc());
    ib.emit(loc, Opcode::DmaLd, {kCurBuf, kDram},
            {1, rowBytes, rowBytes, rowBytes, 0});
    ib.emit(loc, Opcode::SemWait, {}, {0, 1});
    ib.emit(loc, Opcode::Muli, {kAddrTerm, kItem}, {rowBytes});
    ib.emit(loc, Opcode::Addi, {kDstAddr, kAddrTerm}, {out});
    ib.emit(loc, Opcode::DmaSt, {kDstAddr, kCurBuf},
            {1, rowBytes, rowBytes, rowBytes, 1});
    li(kPending, 1);
    // Next item, other row buffer.
    li(kTmp, 2 * slots + rowBuf);
    ib.emit(loc, Opcode::Sub, {kCurBuf, kTmp, kCurBuf});
    ib.emit(loc, Opcode::Addi, {kRest, kRest}, {8});
    ib.emit(loc, Opcode::Addi, {kItem, kItem}, {1});
    ib.emit(loc, Opcode::Blt, {kItem, kItemEnd}, {loop});
    ib.emit(loc, Opcode::SemWait, {}, {1, 1});
    patchTarget(none, ib.getPc());
    return success();
  }

  /// Deals `total` items out to the program's cores in contiguous ranges
  /// of ceil(total / cores): this core's items are [r14, r15). Consecutive
  /// deals start where the last one ended, so short ones spread over every
  /// core.
  void emitDeal(InstBuilder &ib, Location loc, int64_t total) {
    int64_t per = (total + numCores - 1) / numCores;
    int64_t rot = rotation % numCores;
    rotation = (rotation + total) % numCores;
    ib.emit(loc, Opcode::Li, {kTmp}, {numCores - rot});
    ib.emit(loc, Opcode::Add, {kItem, kCoreId, kTmp});
    ib.emit(loc, Opcode::Li, {kTmp}, {numCores});
    ib.emit(loc, Opcode::Remu, {kItem, kItem, kTmp});
    ib.emit(loc, Opcode::Muli, {kItem, kItem}, {per});
    ib.emit(loc, Opcode::Addi, {kItemEnd, kItem}, {per});
    ib.emit(loc, Opcode::Li, {kTmp}, {total});
    ib.emit(loc, Opcode::Min, {kItemEnd, kItemEnd, kTmp});
  }

  /// Bit pattern and machine type of a fill value for element type `t`.
  std::pair<int64_t, int64_t> fillBits(Type t, float v) {
    num::DType dt = num::DType::F32;
    toDType(t, dt);
    int64_t bits = t.isInteger() ? int64_t(int32_t(v))
                                 : int64_t(int32_t(num::f32Bits(v)));
    return {static_cast<int64_t>(dt), bits};
  }

  /// Function-level data movement: concat, pad, a materialized slice, a
  /// splat constant.
  LogicalResult lowerCopyOp(InstBuilder &ib, Operation *op) {
    Location loc = op->getLoc();
    auto resTy = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t e = elementBytes(resTy.getElementType());
    View dst = viewOf(op->getResult(0));
    if (auto c = dyn_cast<arith::ConstantOp>(op)) {
      auto dense = dyn_cast<DenseElementsAttr>(c.getValue());
      if (!dense || !dense.isSplat())
        return op->emitOpError("non-splat tensor constants cannot be "
                               "lowered to the ISA; pass them as arguments");
      float v = resTy.getElementType().isInteger()
                    ? float(dense.getSplatValue<APInt>().getSExtValue())
                    : dense.getSplatValue<APFloat>().convertToFloat();
      auto [dt, bits] = fillBits(resTy.getElementType(), v);
      return emitTransfer(ib, loc, nullptr, dst, e, dt, bits);
    }
    if (auto gather = dyn_cast<GatherOp>(op)) {
      drainCopy(ib, loc);
      return lowerGather(ib, gather);
    }
    if (auto t = dyn_cast<TransposeOp>(op)) {
      View in = viewOf(t.getInput()), src;
      src.base = in.base;
      for (int64_t p : t.getPerm()) {
        src.shape.push_back(in.shape[p]);
        src.strides.push_back(in.strides[p]);
      }
      return emitTransfer(ib, loc, &src, dst, e, 0, 0);
    }
    if (auto slice = dyn_cast<SliceOp>(op)) {
      View src = sliceView(slice);
      return emitTransfer(ib, loc, &src, dst, e, 0, 0);
    }
    if (auto pad = dyn_cast<PadOp>(op)) {
      // The border is filled as slabs (for each dim d, the low and high
      // ranges of d, inside the interior along the dims before d): disjoint
      // from the interior, so no core waits for another.
      auto [dt, bits] = fillBits(resTy.getElementType(),
                                 pad.getValue().convertToFloat());
      View src = viewOf(pad.getInput());
      ArrayRef<int64_t> low = pad.getLow(), high = pad.getHigh();
      // The border's stores overlap the interior copy (deferFills).
      deferFills = true;
      ib.emit(loc, Opcode::Li, {kDeferred}, {0});
      llvm::scope_exit undefer([&] { deferFills = false; });
      for (size_t d = 0; d < dst.shape.size(); ++d)
        for (bool lowSide : {true, false}) {
          int64_t width = lowSide ? low[d] : high[d];
          if (width == 0)
            continue;
          View slab = dst;
          for (size_t k = 0; k < d; ++k) {
            slab.shape[k] = src.shape[k];
            slab.base += low[k] * dst.strides[k] * e;
          }
          slab.shape[d] = width;
          if (!lowSide)
            slab.base += (low[d] + src.shape[d]) * dst.strides[d] * e;
          if (failed(emitTransfer(ib, loc, nullptr, slab, e, dt, bits)))
            return failure();
        }
      View inner = dst;
      inner.shape = src.shape;
      for (size_t d = 0; d < dst.shape.size(); ++d)
        inner.base += low[d] * dst.strides[d] * e;
      if (failed(emitTransfer(ib, loc, &src, inner, e, 0, 0)))
        return failure();
      drainDeferredFills(ib, loc);
      return success();
    }
    auto concat = cast<ConcatOp>(op);
    int64_t axis = concat.getAxis(), at = 0;
    // Consecutive inputs that continue one another along the axis in edge
    // memory (the next starts where the last would go on, same shape and
    // strides) are one transfer: e.g. an im2col's windows of taps kw and
    // kw + 1 over a C-channel image, whose rows of C elements become rows
    // of 7 C contiguous elements for a 7-wide kernel (the windows of
    // neighbouring positions then overlap in the source, which a DMA may
    // read).
    auto inputs = concat.getInputs();
    for (size_t i = 0; i < inputs.size();) {
      View src = viewOf(inputs[i]);
      size_t j = i + 1;
      for (; j < inputs.size(); ++j) {
        View next = viewOf(inputs[j]);
        if (next.strides != src.strides || next.shape != src.shape ||
            next.base != src.base + int64_t(j - i) * src.shape[axis] *
                                        src.strides[axis] * e)
          break;
      }
      int64_t width = src.shape[axis] * int64_t(j - i);
      src.shape[axis] = width;
      View part = dst;
      part.shape = src.shape;
      part.base += at * dst.strides[axis] * e;
      at += width;
      if (failed(emitTransfer(ib, loc, &src, part, e, 0, 0)))
        return failure();
      i = j;
    }
    return success();
  }

  /// Emits r6 = edge-memory address of the tile at the grid point held in
  /// r3 (and r4) for a tensor at `base` tiled by `tile` through `map`.
  LogicalResult emitTileAddress(InstBuilder &ib, Location loc, int64_t base,
                                RankedTensorType full, RankedTensorType tile,
                                AffineMap map) {
    int64_t e = elementBytes(full.getElementType());
    int64_t constant = base;
    SmallVector<std::pair<int, int64_t>> terms; // (grid reg, byte coefficient)
    SmallVector<std::pair<AffineExpr, int64_t>> exprTerms;
    for (int64_t d = 0; d < full.getRank(); ++d) {
      int64_t stride = e;
      for (int64_t k = d + 1; k < full.getRank(); ++k)
        stride *= full.getDimSize(k);
      int64_t coef = tile.getDimSize(d) * stride;
      AffineExpr expr = map.getResult(d);
      if (auto c = dyn_cast<AffineConstantExpr>(expr))
        constant += c.getValue() * coef;
      else if (auto g = dyn_cast<AffineDimExpr>(expr))
        terms.push_back({kGrid0 + (int)g.getPosition(), coef});
      else
        exprTerms.push_back({expr, coef});
    }
    if (!fitsImm(constant))
      return emitError(loc, "edge-memory offset ")
             << constant << " does not fit a 32-bit immediate";
    ib.emit(loc, Opcode::Li, {kDram}, {constant});
    for (auto [reg, coef] : terms) {
      if (!fitsImm(coef))
        return emitError(loc, "tile stride does not fit a 32-bit immediate");
      ib.emit(loc, Opcode::Muli, {kAddrTerm, reg}, {coef});
      ib.emit(loc, Opcode::Add, {kDram, kDram, kAddrTerm});
    }
    for (auto [expr, coef] : exprTerms) {
      if (!fitsImm(coef))
        return emitError(loc, "tile stride does not fit a 32-bit immediate");
      if (failed(emitAffine(ib, loc, expr, 0)))
        return failure();
      ib.emit(loc, Opcode::Muli, {kAddrTerm, kAffine[0]}, {coef});
      ib.emit(loc, Opcode::Add, {kDram, kDram, kAddrTerm});
    }
    return success();
  }

  /// Registers for evaluating a block-index expression of the grid
  /// coordinates (the copy loops' registers, free inside kernels).
  static constexpr int kAffine[] = {18, 19, 16, 17};
  /// Emits kAffine[depth] = `e` over the grid coordinates (r3, r4): sums,
  /// products, floordiv and mod by constants (grid coordinates are >= 0).
  LogicalResult emitAffine(InstBuilder &ib, Location loc, AffineExpr e,
                           int depth) {
    auto text = [&] {
      std::string str;
      llvm::raw_string_ostream os(str);
      e.print(os);
      return str;
    };
    if (depth >= 3)
      return emitError(loc, "tile map expression ") << text() << " is too deep";
    int r = kAffine[depth], t = kAffine[depth + 1];
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      ib.emit(loc, Opcode::Mov, {r, kGrid0 + int(d.getPosition())});
      return success();
    }
    if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      ib.emit(loc, Opcode::Li, {r}, {c.getValue()});
      return success();
    }
    auto bin = dyn_cast<AffineBinaryOpExpr>(e);
    if (!bin || failed(emitAffine(ib, loc, bin.getLHS(), depth)) ||
        failed(emitAffine(ib, loc, bin.getRHS(), depth + 1)))
      return emitError(loc, "unsupported tile map expression ") << text();
    Opcode code = Opcode::Add;
    switch (bin.getKind()) {
    case AffineExprKind::Add:
      code = Opcode::Add;
      break;
    case AffineExprKind::Mul:
      code = Opcode::Mul;
      break;
    case AffineExprKind::FloorDiv:
      code = Opcode::Divu;
      break;
    case AffineExprKind::Mod:
      code = Opcode::Remu;
      break;
    default:
      return emitError(loc, "unsupported tile map expression ") << text();
    }
    ib.emit(loc, code, {r, r, t});
    return success();
  }

  /// DMA geometry of a tile inside its full tensor: rows, row bytes, and
  /// the byte stride of rows in the tile and in the full tensor.
  struct Geometry {
    int64_t rows, rowBytes, tileStride, fullStride;
  };
  FailureOr<Geometry> geometry(Location loc, RankedTensorType full,
                               RankedTensorType tile) {
    int64_t e = elementBytes(full.getElementType());
    if (full.getRank() == 1)
      return Geometry{1, tile.getDimSize(0) * e, tile.getDimSize(0) * e,
                      full.getDimSize(0) * e};
    if (full.getRank() == 2)
      return Geometry{tile.getDimSize(0), tile.getDimSize(1) * e,
                      tile.getDimSize(1) * e, full.getDimSize(1) * e};
    return emitError(loc, "tensors of rank ")
           << full.getRank() << " are not supported by convert-dojo-to-isa";
  }

  /// Extent (in elements) of a tile along one dimension: `normal` at most
  /// grid points, `last` where grid coordinate `gridDim` is at its end (the
  /// ragged last tile); gridDim = -1 when the extent does not vary.
  struct Extent {
    int gridDim = -1;
    int64_t normal = 0, last = 0;
  };
  static Extent fixedExtent(int64_t n) { return {-1, n, n}; }
  /// With `halo`, tiles are `halo` elements longer than the blocks the map
  /// indexes (KernelOp halos); only the last may reach past the end.
  Extent extentOf(RankedTensorType full, RankedTensorType tile, AffineMap map,
                  ArrayRef<int64_t> grid, int64_t d, int64_t halo = 0) {
    int64_t t = tile.getDimSize(d), n = full.getDimSize(d);
    int64_t block = t - halo;
    if (auto g = dyn_cast<AffineDimExpr>(map.getResult(d))) {
      int64_t last = n - (grid[g.getPosition()] - 1) * block;
      if (last >= t)
        return fixedExtent(t);
      return {int(g.getPosition()), t, last};
    }
    // A constant block index (emitTileAddress rejects anything else).
    int64_t c = 0;
    if (auto k = dyn_cast<AffineConstantExpr>(map.getResult(d)))
      c = k.getValue();
    return fixedExtent(std::min(t, n - c * block));
  }
  /// Row and column extents of a rank-1 or rank-2 tile (`halo`: extra
  /// rows, extentOf).
  std::pair<Extent, Extent> extents(RankedTensorType full,
                                    RankedTensorType tile, AffineMap map,
                                    ArrayRef<int64_t> grid, int64_t halo = 0) {
    if (full.getRank() == 1)
      return {fixedExtent(1), extentOf(full, tile, map, grid, 0)};
    return {extentOf(full, tile, map, grid, 0, halo),
            extentOf(full, tile, map, grid, 1)};
  }

  /// SRAM address of row `r0` of the A operand of `mm` (at `lhs`) for the
  /// K slice starting at `k0`: a window product's slice of tap t reads A's
  /// rows from r0 + window[t] on, at the slice's column within the tap.
  static int64_t aAddress(MatmulOp mm, int64_t lhs, int64_t r0, int64_t k0) {
    auto lt = mm.getLhs().getType();
    int64_t e = elementBytes(lt.getElementType()), cols = lt.getDimSize(1);
    if (auto w = mm.getWindow()) {
      int64_t t = k0 / cols;
      return lhs + ((r0 + (*w)[t]) * cols + (k0 - t * cols)) * e;
    }
    return lhs + (r0 * cols + k0) * e;
  }
  /// The row chunks a window product's A tile is sent in: chunk j holds
  /// tile rows [r0, r1) and is first needed by tap `firstTap` (taps read
  /// rows [o_t, o_t + m)); a new chunk starts where a tap reaches more than
  /// 8 rows past the rows before (a new kernel row), so the first taps
  /// start before the whole tile is in. The first chunk, which the first
  /// tap needs whole (most of the tile), is cut into at most `pieces`
  /// pieces, of a multiple of 8 rows and at least 16 but the last (see the
  /// KernelOp overload).
  struct WindowChunk {
    int64_t firstTap, r0, r1;
  };
  static SmallVector<WindowChunk> windowChunks(MatmulOp mm,
                                               int64_t pieces = 1) {
    SmallVector<WindowChunk> out;
    ArrayRef<int64_t> offsets = *mm.getWindow();
    int64_t m = mm.getResult().getType().getDimSize(0);
    int64_t rows = mm.getLhs().getType().getDimSize(0);
    int64_t end = 0;
    for (auto [t, o] : llvm::enumerate(offsets)) {
      int64_t need = std::min(rows, o + m);
      if (need <= end)
        continue;
      if (out.empty() || need > end + 8)
        out.push_back({int64_t(t), end, need});
      else
        out.back().r1 = need;
      end = need;
    }
    if (out.empty())
      out.push_back({0, 0, rows});
    out.back().r1 = rows;
    int64_t first = out.front().r1;
    pieces = std::clamp<int64_t>(first / 16, 1, pieces);
    if (pieces > 1) {
      // (Multiples of 8 rows: the first tap's products then take the
      // matrix unit's blocks they would whole.)
      int64_t step = std::min(first, ceilDivI(ceilDivI(first, pieces), 8) * 8);
      SmallVector<WindowChunk> split;
      for (int64_t r0 = 0; r0 < first; r0 += step)
        split.push_back({0, r0, std::min(first, r0 + step)});
      out.erase(out.begin());
      out.insert(out.begin(), split.begin(), split.end());
    }
    return out;
  }
  /// windowChunks of a multicast kernel's window product. With A senders
  /// (grid rows of more than one core) the first chunk goes in pieces of
  /// about 24 rows, at least one per sender, dealt round robin: the
  /// senders load and multicast them side by side, and the first tap's
  /// products start with the first piece (measured on d1, ResNet-50's
  /// conv4 3x3: whole 19913 cycles, a piece per sender 19414, 24 rows
  /// 18657, 16 rows 18657, 32 rows 19973). Not when the grid rows exchange
  /// halos (which send the rows past the first chunk), nor on grid rows
  /// of one core, which load their own A and would only add round trips
  /// (conv2 3x3, 1444-row tiles: 13962 whole, 15663 in 16 pieces).
  SmallVector<WindowChunk> windowChunks(KernelOp kernel, MatmulOp mm) {
    if (kernel->hasAttr(kHaloExchangeAttr) || !kernel.getMulticast() ||
        kernel.getGrid().size() != 2 || kernel.getGrid()[1] < 2)
      return windowChunks(mm);
    int64_t first = windowChunks(mm).front().r1;
    return windowChunks(
        mm, std::max(senders(kernel).first, ceilDivI(first, 24)));
  }

  /// K slices of a matmul that is not streamed: one, or one per tap of a
  /// window product.
  static SmallVector<std::pair<int64_t, int64_t>> wholeSlices(MatmulOp mm) {
    auto w = mm.getWindow();
    if (!w)
      return kSlices(mm.contractionSize(), 1);
    int64_t cols = mm.getLhs().getType().getDimSize(1);
    SmallVector<std::pair<int64_t, int64_t>> out;
    for (int64_t t = 0; t < int64_t(w->size()); ++t)
      out.push_back({t * cols, cols});
    return out;
  }
  /// Emits `one(rows, cols)` for every extent combination a core can have,
  /// selected by branches on its grid coordinates (r3, r4), so each core
  /// moves exactly its own (possibly ragged) tile.
  void emitByExtent(InstBuilder &ib, Location loc, ArrayRef<int64_t> grid,
                    Extent rows, Extent cols,
                    llvm::function_ref<void(int64_t, int64_t)> one) {
    auto choose = [&](Extent x, llvm::function_ref<void(int64_t)> inner) {
      if (x.gridDim < 0) {
        inner(x.normal);
        return;
      }
      ib.emit(loc, Opcode::Li, {kTmp}, {grid[x.gridDim] - 1});
      Operation *notLast =
          ib.emit(loc, Opcode::Bne, {kGrid0 + x.gridDim, kTmp}, {0});
      inner(x.last);
      Operation *done = ib.emit(loc, Opcode::Jmp, {}, {0});
      patchTarget(notLast, ib.getPc());
      inner(x.normal);
      patchTarget(done, ib.getPc());
    };
    choose(rows, [&](int64_t r) {
      choose(cols, [&](int64_t c) { one(r, c); });
    });
  }

  /// Row window of a row-chunked kernel (dojo.row_chunks): body ops work
  /// on rows [winRow0, winRow0 + winRows) of tiles with winTileRows rows;
  /// winRows < 0 lowers whole tiles.
  int64_t winRow0 = 0, winRows = -1, winTileRows = 0;
  /// A row-streamed kernel (dojo.stream_rows): full-row values hold only
  /// the chunk, in the buffer set that starts winSetOffset bytes after the
  /// allocated offsets.
  bool winStream = false;
  int64_t winSetOffset = 0;
  /// The SRAM address of the window's first row in a body value stored at
  /// `base`: moved for full-row tiles, unchanged for broadcast operands.
  int64_t windowed(Value v, int64_t base) const {
    auto t = cast<RankedTensorType>(v.getType());
    if (winRows < 0 || t.getRank() != 2 || t.getDimSize(0) != winTileRows)
      return base;
    if (winStream)
      return base + winSetOffset;
    return base + winRow0 * t.getDimSize(1) * elementBytes(t.getElementType());
  }
  int64_t windowRows(RankedTensorType t) const {
    return winRows >= 0 && t.getRank() == 2 && t.getDimSize(0) == winTileRows
               ? winRows
               : t.getDimSize(0);
  }

  /// Softmax, layer_norm and reductions over the last axis of a
  /// [rows x cols] tile, as the reference computes them: FP32 throughout,
  /// one rounding to the result type at the end. Per-row values are formed
  /// on the transposed tile ([cols x rows], so a row of per-row values
  /// broadcasts with ldb = 0); sums start from +0 like the reference's
  /// (the vector reduction starts from its first element, so +0 is added
  /// after it: identical except that an all -0 row sums to +0).
  LogicalResult lowerRowwise(InstBuilder &ib, Operation &op,
                             llvm::DenseMap<Value, int64_t> &sram,
                             int64_t out) {
    Location loc = op.getLoc();
    auto scratchAttr = op.getAttrOfType<IntegerAttr>(kScratchOffsetAttr);
    if (!scratchAttr)
      return op.emitOpError("has no FP32 scratch; run dojo-allocate-sram");
    auto inTy = cast<RankedTensorType>(op.getOperand(0).getType());
    int64_t rows = windowRows(inTy), cols = inTy.getDimSize(1);
    const int64_t f32 = static_cast<int64_t>(num::DType::F32);
    auto dt = [&](Value v) {
      num::DType d = num::DType::F32;
      toDType(cast<RankedTensorType>(v.getType()).getElementType(), d);
      return static_cast<int64_t>(d);
    };
    int64_t dtIn = dt(op.getOperand(0)), dtOut = dt(op.getResult(0));
    int64_t x = windowed(op.getOperand(0), sram.lookup(op.getOperand(0)));
    int64_t tileBytes = alignTo(rows * cols * 4, 64);
    int64_t rowBytes = alignTo(rows * 4, 64);
    int64_t s0 = scratchAttr.getInt();
    auto li = [&](int reg, int64_t v) { ib.emit(loc, Opcode::Li, {reg}, {v}); };
    // d = a (op) b over an r x c tile; b broadcast as one row when ldb = 0.
    auto binary = [&](Opcode code, int64_t d, int64_t a, int64_t b, int64_t r,
                      int64_t c, int64_t ldb, int64_t dtd,
                      int64_t dtb = static_cast<int64_t>(num::DType::F32)) {
      li(kOpD, d);
      li(kOpA, a);
      li(kOpB, b);
      ib.emit(loc, code, {kOpD, kOpA, kOpB}, {r, c, c, c, ldb, dtd, f32, dtb});
    };
    auto unary = [&](Opcode code, int64_t d, int64_t a, int64_t r, int64_t c,
                     int64_t dtd, int64_t dta) {
      li(kOpD, d);
      li(kOpA, a);
      ib.emit(loc, code, {kOpD, kOpA}, {r, c, c, c, dtd, dta});
    };
    auto fill = [&](int64_t d, int64_t n, float v) {
      li(kOpD, d);
      ib.emit(loc, Opcode::Vfill, {kOpD},
              {1, n, n, f32, static_cast<int64_t>(
                                 static_cast<int32_t>(num::f32Bits(v)))});
    };
    auto reduce = [&](Opcode code, int64_t d, int64_t a, int64_t r, int64_t c,
                      int64_t axis, int64_t dtd, int64_t dta) {
      li(kOpD, d);
      li(kOpA, a);
      ib.emit(loc, code, {kOpD, kOpA}, {r, c, c, axis, dtd, dta});
    };
    // D (cols x rows) = transpose of A (rows x cols).
    auto transpose = [&](int64_t d, int64_t a, int64_t r, int64_t c,
                         int64_t dtd, int64_t dta) {
      li(kOpD, d);
      li(kOpA, a);
      ib.emit(loc, Opcode::Vtrans, {kOpD, kOpA}, {r, c, r, c, dtd, dta});
    };

    if (llvm::isa<ReduceMaxOp>(op)) {
      // max is exact: one reduction straight to the result type.
      reduce(Opcode::Vredmax, out, x, rows, cols, 1, dtOut, dtIn);
      return success();
    }
    if (llvm::isa<ReduceSumOp, ReduceMeanOp>(op)) {
      int64_t sum = s0, zero = s0 + rowBytes, count = s0 + 2 * rowBytes;
      reduce(Opcode::Vredsum, sum, x, rows, cols, 1, f32, dtIn);
      fill(zero, 1, 0.0f);
      bool mean = llvm::isa<ReduceMeanOp>(op);
      // Per-row sums are a rows x 1 column: broadcast a 1 x 1 constant.
      binary(Opcode::Vadd, mean ? sum : out, sum, zero, rows, 1, 0,
             mean ? f32 : dtOut);
      if (mean) {
        fill(count, 1, float(cols));
        binary(Opcode::Vdiv, out, sum, count, rows, 1, 0, dtOut);
      }
      return success();
    }
    if (llvm::isa<SoftmaxOp>(op)) {
      int64_t t = s0, mx = s0 + tileBytes, sum = mx + rowBytes;
      transpose(t, x, rows, cols, f32, dtIn);                 // T: cols x rows
      reduce(Opcode::Vredmax, mx, t, cols, rows, 0, f32, f32); // 1 x rows
      binary(Opcode::Vsub, t, t, mx, cols, rows, 0, f32);
      unary(Opcode::Vexp, t, t, cols, rows, f32, f32);
      reduce(Opcode::Vredsum, sum, t, cols, rows, 0, f32, f32);
      binary(Opcode::Vdiv, t, t, sum, cols, rows, 0, f32);
      transpose(out, t, cols, rows, dtOut, f32);
      return success();
    }
    auto ln = cast<LayerNormOp>(op);
    int64_t t = s0, q = s0 + tileBytes, mean = s0 + 2 * tileBytes;
    int64_t var = mean + rowBytes, zero = var + rowBytes,
            count = zero + rowBytes, eps = count + rowBytes;
    fill(zero, rows, 0.0f);
    fill(count, rows, float(cols));
    fill(eps, rows, ln.getEpsilon().convertToFloat());
    transpose(t, x, rows, cols, f32, dtIn);                     // T: cols x rows
    reduce(Opcode::Vredsum, mean, t, cols, rows, 0, f32, f32);  // sums
    binary(Opcode::Vadd, mean, mean, zero, 1, rows, rows, f32); // 0 + sum
    binary(Opcode::Vdiv, mean, mean, count, 1, rows, rows, f32);
    binary(Opcode::Vsub, t, t, mean, cols, rows, 0, f32);       // d = x - mean
    binary(Opcode::Vmul, q, t, t, cols, rows, rows, f32);       // d * d
    reduce(Opcode::Vredsum, var, q, cols, rows, 0, f32, f32);
    binary(Opcode::Vdiv, var, var, count, 1, rows, rows, f32);
    binary(Opcode::Vadd, var, var, eps, 1, rows, rows, f32);
    unary(Opcode::Vsqrt, var, var, 1, rows, f32, f32);
    unary(Opcode::Vrecip, var, var, 1, rows, f32, f32);         // rsqrt
    binary(Opcode::Vmul, t, t, var, cols, rows, 0, f32);        // d * r
    Value gamma = ln.getGamma(), beta = ln.getBeta();
    if (!gamma && !beta) {
      transpose(out, t, cols, rows, dtOut, f32);
      return success();
    }
    transpose(q, t, cols, rows, f32, f32);                      // rows x cols
    if (gamma)
      binary(Opcode::Vmul, beta ? q : out, q, sram.lookup(gamma), rows, cols,
             0, beta ? f32 : dtOut, dt(gamma));
    if (beta)
      binary(Opcode::Vadd, out, q, sram.lookup(beta), rows, cols, 0, dtOut,
             dt(beta));
    return success();
  }

  /// An FP32 matmul C[m x n] = A[m x k] B[k x n] on the vector unit (the
  /// matrix unit takes BF16 and CFP8), in the reference's order: C = +0,
  /// then for ascending p, C = C + fl(A[:, p] * B[p, :]). A column of A is
  /// spread over the tile by a bitwise vsel of A^T's row p (a row
  /// broadcast) into [n x m] and a transpose; the product takes B's row p
  /// as a row broadcast. Four vector instructions per p, in a loop.
  LogicalResult lowerF32Matmul(InstBuilder &ib, MatmulOp mm,
                               llvm::DenseMap<Value, int64_t> &sram,
                               int64_t out) {
    Location loc = mm.getLoc();
    auto scratchAttr = mm->getAttrOfType<IntegerAttr>(kScratchOffsetAttr);
    if (!scratchAttr)
      return mm.emitOpError("has no FP32 scratch; run dojo-allocate-sram");
    auto resTy = mm.getType();
    int64_t m = resTy.getDimSize(0), n = resTy.getDimSize(1);
    int64_t k = mm.getLhs().getType().getDimSize(1);
    const int64_t f32 = static_cast<int64_t>(num::DType::F32);
    int64_t s0 = scratchAttr.getInt();
    int64_t at = s0, mask = at + alignTo(k * m * 4, 64);
    int64_t bc = mask + alignTo(m * n * 4, 64), work = bc + alignTo(m * n * 4, 64);
    bool f32Result = resTy.getElementType().isF32();
    int64_t acc = f32Result ? out : work + alignTo(m * n * 4, 64);
    int64_t a = sram.lookup(mm.getLhs()), b = sram.lookup(mm.getRhs());
    auto li = [&](int reg, int64_t v) { ib.emit(loc, Opcode::Li, {reg}, {v}); };
    // A^T [k x m]; a zero mask [n x m]; C = +0.
    li(kOpD, at);
    li(kOpA, a);
    ib.emit(loc, Opcode::Vtrans, {kOpD, kOpA}, {m, k, m, k, f32, f32});
    li(kOpD, mask);
    ib.emit(loc, Opcode::Vfill, {kOpD}, {n, m, m, f32, 0});
    li(kOpD, acc);
    ib.emit(loc, Opcode::Vfill, {kOpD}, {m, n, n, f32, 0});
    // r20 = A^T row p, r21 = B row p, r22 = rows left.
    constexpr int kRowA = 20, kRowB = 21, kLeft = 22;
    li(kRowA, at);
    li(kRowB, b);
    li(kLeft, k);
    int64_t loop = ib.getPc();
    // bc[j][i] = A^T[p][i] (n x m), bitwise.
    li(kOpD, bc);
    li(kOpA, mask);
    ib.emit(loc, Opcode::Vsel, {kOpD, kOpA, kOpA, kRowA},
            {n, m, m, m, m, 0, f32, f32});
    // work[i][j] = bc[j][i] = A[i][p].
    li(kOpD, work);
    li(kOpA, bc);
    ib.emit(loc, Opcode::Vtrans, {kOpD, kOpA}, {n, m, n, m, f32, f32});
    // work = work * B[p, :]; acc = acc + work.
    li(kOpA, work);
    ib.emit(loc, Opcode::Vmul, {kOpD, kOpA, kRowB}, {m, n, n, n, 0, f32, f32, f32});
    li(kOpD, acc);
    li(kOpB, work);
    ib.emit(loc, Opcode::Vadd, {kOpD, kOpD, kOpB}, {m, n, n, n, n, f32, f32, f32});
    ib.emit(loc, Opcode::Addi, {kRowA, kRowA}, {m * 4});
    ib.emit(loc, Opcode::Addi, {kRowB, kRowB}, {n * 4});
    ib.emit(loc, Opcode::Addi, {kLeft, kLeft}, {-1});
    ib.emit(loc, Opcode::Bne, {kLeft, 0}, {loop});
    if (!f32Result) {
      li(kOpD, out);
      li(kOpA, acc);
      num::DType dt = num::DType::F32;
      toDType(resTy.getElementType(), dt);
      ib.emit(loc, Opcode::Vcvt, {kOpD, kOpA},
              {m, n, n, n, static_cast<int64_t>(dt), f32});
    }
    return success();
  }

  LogicalResult lowerBodyOp(InstBuilder &ib, Operation &op,
                            llvm::DenseMap<Value, int64_t> &sram,
                            const Streaming &stream) {
    Location loc = op.getLoc();
    auto offsetOf = [&](Value v) { return windowed(v, sram.lookup(v)); };
    auto dtypeOf = [&](Value v) {
      num::DType dt = num::DType::F32;
      toDType(cast<RankedTensorType>(v.getType()).getElementType(), dt);
      return static_cast<int64_t>(dt);
    };
    auto offAttr = op.getAttrOfType<IntegerAttr>(kSramOffsetAttr);
    if (!offAttr)
      return op.emitOpError("has no SRAM offset; run dojo-allocate-sram");
    sram[op.getResult(0)] = offAttr.getInt();
    int64_t out = windowed(op.getResult(0), offAttr.getInt());
    auto resTy = cast<RankedTensorType>(op.getResult(0).getType());
    int64_t rows = resTy.getRank() == 2 ? windowRows(resTy) : 1;
    int64_t cols = resTy.getDimSize(resTy.getRank() - 1);

    if (auto mm = dyn_cast<MatmulOp>(op)) {
      auto lhsTy = mm.getLhs().getType();
      if (lhsTy.getElementType().isF32() &&
          mm.getRhs().getType().getElementType().isF32())
        return lowerF32Matmul(ib, mm, sram, out);
      if (!lhsTy.getElementType().isBF16())
        return mm.emitOpError("has ")
               << lhsTy.getElementType()
               << " operands; the matrix unit takes bf16 operands (and the "
               << "vector unit f32)";
      // (A window product's A tile has its halo rows more than the result.)
      int64_t m = resTy.getDimSize(0), k = lhsTy.getDimSize(1);
      int64_t n = resTy.getDimSize(1);
      int64_t acc = out;
      bool convert = !resTy.getElementType().isF32();
      if (convert) {
        auto scratch = op.getAttrOfType<IntegerAttr>(kScratchOffsetAttr);
        if (!scratch)
          return op.emitOpError("has no accumulator; run dojo-allocate-sram");
        acc = scratch.getInt();
      }
      ib.emit(loc, Opcode::Li, {kOpD}, {acc});
      int64_t eA = elementBytes(lhsTy.getElementType());
      auto slices = stream.chunks > 1 || stream.multicast
                        ? stream.slices
                        : wholeSlices(mm);
      // Rows [r0, r0 + rows) of K slice c into kOpD.
      auto product = [&](int64_t r0, int64_t rows, int64_t c) {
        auto [k0, kc] = slices[c];
        ib.emit(loc, Opcode::Li, {kOpA},
                {aAddress(mm, offsetOf(mm.getLhs()), r0, k0)});
        int64_t ldb =
            emitBAddress(ib, loc, stream, offsetOf(mm.getRhs()), k0, n, eA);
        ib.emit(loc, Opcode::Mm, {kOpD, kOpA, kOpB},
                {rows, n, kc, n, k, ldb, c == 0 ? 0 : 1,
                 static_cast<int64_t>(num::DType::BF16)});
      };
      for (int64_t c = 0; c < int64_t(slices.size()); ++c) {
        if (c == 0 && !stream.firstPieceEnds.empty()) {
          emitFirstSlicePieces(ib, loc, stream, m, [&](int64_t r0, int64_t rows) {
            ib.emit(loc, Opcode::Li, {kOpD}, {acc + r0 * n * 4});
            product(r0, rows, 0);
          });
          ib.emit(loc, Opcode::Li, {kOpD}, {acc});
          continue;
        }
        emitSliceWait(ib, loc, stream, c);
        product(0, m, c);
      }
      if (convert) {
        ib.emit(loc, Opcode::Li, {kOpA}, {out});
        ib.emit(loc, Opcode::Vcvt, {kOpA, kOpD},
                {m, n, n, n, dtypeOf(op.getResult(0)),
                 static_cast<int64_t>(num::DType::F32)});
      }
      return success();
    }
    if (isLoweredBinary(&op)) {
      Value a = op.getOperand(0), b = op.getOperand(1);
      auto isFull = [&](Value v) { return v.getType() == resTy; };
      // The vector unit broadcasts only its second operand. A broadcast
      // first operand is swapped in when the op is commutative (bit for
      // bit); else `b` op `a` goes row by row below, `b` the broadcast row.
      bool bFirst = !isFull(a);
      if (bFirst) {
        std::swap(a, b);
        bFirst = !isCommutative(&op);
      }
      if (!isFull(a))
        return op.emitOpError("has no operand of the result shape ")
               << resTy;
      int64_t ldb = cols;
      int64_t bOff = offsetOf(b);
      if (!isFull(b)) {
        auto bt = cast<RankedTensorType>(b.getType());
        if (bt.getNumElements() == 1 && cols > 1) {
          // Expand the scalar into a row: a cols x 1 vsel whose all-zero
          // mask picks the broadcast scalar, copied bit for bit.
          auto scratch = op.getAttrOfType<IntegerAttr>(kScratchOffsetAttr);
          if (!scratch)
            return op.emitOpError("has no scratch; run dojo-allocate-sram");
          int64_t row = scratch.getInt();
          int64_t mask = row + alignTo(cols * 4, 64);
          int64_t f32 = static_cast<int64_t>(num::DType::F32);
          ib.emit(loc, Opcode::Li, {kOpD}, {mask});
          ib.emit(loc, Opcode::Vfill, {kOpD}, {1, cols, cols, f32, 0});
          ib.emit(loc, Opcode::Li, {kOpD}, {row});
          ib.emit(loc, Opcode::Li, {kOpA}, {mask});
          ib.emit(loc, Opcode::Li, {kOpB}, {bOff});
          ib.emit(loc, Opcode::Li, {kOpC}, {mask});
          ib.emit(loc, Opcode::Vsel, {kOpD, kOpA, kOpC, kOpB},
                  {cols, 1, 1, 1, 1, 0, dtypeOf(b), f32});
          bOff = row;
        } else if (bt.getNumElements() != cols ||
                   bt.getDimSize(bt.getRank() - 1) != cols) {
          return op.emitOpError("broadcast of ")
                 << bt << " to " << resTy
                 << " is not a row broadcast; not supported by the vector unit";
        }
        ldb = 0;
      }
      Opcode code = llvm::TypeSwitch<Operation *, Opcode>(&op)
                        .Case<AddOp>([](auto) { return Opcode::Vadd; })
                        .Case<SubOp>([](auto) { return Opcode::Vsub; })
                        .Case<MulOp>([](auto) { return Opcode::Vmul; })
                        .Case<DivOp>([](auto) { return Opcode::Vdiv; })
                        .Case<MaxOp>([](auto) { return Opcode::Vmax; })
                        .Default([](auto) { return Opcode::Vmin; });
      int64_t dtd = dtypeOf(op.getResult(0));
      if (!bFirst) {
        ib.emit(loc, Opcode::Li, {kOpD}, {out});
        ib.emit(loc, Opcode::Li, {kOpA}, {offsetOf(a)});
        ib.emit(loc, Opcode::Li, {kOpB}, {bOff});
        ib.emit(loc, code, {kOpD, kOpA, kOpB},
                {rows, cols, cols, cols, ldb, dtd, dtypeOf(a), dtypeOf(b)});
        return success();
      }
      // D[i] = row `b` op A[i], one 1 x cols instruction per row (a loop:
      // kRowD and kRowA step over D and A, kLeft counts the rows).
      constexpr int kRowD = 20, kRowA = 21, kLeft = 22;
      auto rowBytes = [&](Value v) {
        return cols *
               elementBytes(cast<RankedTensorType>(v.getType()).getElementType());
      };
      ib.emit(loc, Opcode::Li, {kRowD}, {out});
      ib.emit(loc, Opcode::Li, {kRowA}, {offsetOf(a)});
      ib.emit(loc, Opcode::Li, {kOpB}, {bOff});
      ib.emit(loc, Opcode::Li, {kLeft}, {rows});
      int64_t loop = ib.getPc();
      ib.emit(loc, code, {kRowD, kOpB, kRowA},
              {1, cols, cols, cols, cols, dtd, dtypeOf(b), dtypeOf(a)});
      ib.emit(loc, Opcode::Addi, {kRowD, kRowD}, {rowBytes(op.getResult(0))});
      ib.emit(loc, Opcode::Addi, {kRowA, kRowA}, {rowBytes(a)});
      ib.emit(loc, Opcode::Addi, {kLeft, kLeft}, {-1});
      ib.emit(loc, Opcode::Bne, {kLeft, 0}, {loop});
      return success();
    }
    if (isLoweredUnary(&op)) {
      Value x = op.getOperand(0);
      int64_t dtOut = dtypeOf(op.getResult(0)), dtIn = dtypeOf(x);
      int64_t f32 = static_cast<int64_t>(num::DType::F32);
      // d = unary(a) over the tile, rounding once to dtd.
      auto unary = [&](Opcode code, int64_t d, int64_t a, int64_t dtd,
                       int64_t dta) {
        ib.emit(loc, Opcode::Li, {kOpD}, {d});
        ib.emit(loc, Opcode::Li, {kOpA}, {a});
        ib.emit(loc, code, {kOpD, kOpA}, {rows, cols, cols, cols, dtd, dta});
      };
      if (llvm::isa<CastOp>(op)) {
        // One rounding to the result type (nearest even).
        ib.emit(loc, Opcode::Li, {kOpD}, {out});
        ib.emit(loc, Opcode::Li, {kOpA}, {offsetOf(x)});
        ib.emit(loc, Opcode::Vcvt, {kOpD, kOpA},
                {rows, cols, cols, cols, dtOut, dtIn, 0});
        return success();
      }
      auto single = llvm::TypeSwitch<Operation *, std::optional<Opcode>>(&op)
                        .Case<ReluOp>([](auto) { return Opcode::Vrelu; })
                        .Case<TanhOp>([](auto) { return Opcode::Vtanh; })
                        .Case<ExpOp>([](auto) { return Opcode::Vexp; })
                        .Case<ErfOp>([](auto) { return Opcode::Verf; })
                        .Case<LogOp>([](auto) { return Opcode::Vlog; })
                        .Case<SqrtOp>([](auto) { return Opcode::Vsqrt; })
                        .Case<ReciprocalOp>([](auto) { return Opcode::Vrecip; })
                        .Default([](auto) { return std::nullopt; });
      if (single) {
        unary(*single, out, offsetOf(x), dtOut, dtIn);
        return success();
      }
      auto scratchAttr = op.getAttrOfType<IntegerAttr>(kScratchOffsetAttr);
      if (!scratchAttr)
        return op.emitOpError("has no FP32 scratch; run dojo-allocate-sram");
      int64_t s = scratchAttr.getInt();
      if (llvm::isa<RsqrtOp>(op)) {
        // 1 / sqrt(x): both steps correctly rounded, the first kept in FP32.
        unary(Opcode::Vsqrt, s, offsetOf(x), f32, dtIn);
        unary(Opcode::Vrecip, out, s, dtOut, f32);
        return success();
      }
      if (auto gelu = llvm::dyn_cast<GeluOp>(op)) {
        // The reference's sequence, every step in FP32 (lib/Reference/Math.h),
        // rounded once to the result type at the end. Tanh form:
        // x3 = (x*x)*x; u = x + 0.044715*x3; v = 0.7978846*u;
        // t = 1 + tanh(v); (0.5*x) * t. Erf form:
        // a = x*0.70710677; t = 1 + erf(a); (0.5*x) * t.
        int64_t tile = alignTo(rows * cols * 4, 64), row = alignTo(cols * 4, 64);
        int64_t p = s, h = s + tile, kc = s + 2 * tile, ks = kc + row,
                one = ks + row, half = one + row;
        auto fillRow = [&](int64_t d, float v) {
          ib.emit(loc, Opcode::Li, {kOpD}, {d});
          ib.emit(loc, Opcode::Vfill, {kOpD},
                  {1, cols, cols, f32,
                   static_cast<int64_t>(static_cast<int32_t>(num::f32Bits(v)))});
        };
        auto bin = [&](Opcode code, int64_t d, int64_t a, int64_t b,
                       int64_t ldb, int64_t dtd, int64_t dta, int64_t dtb) {
          ib.emit(loc, Opcode::Li, {kOpD}, {d});
          ib.emit(loc, Opcode::Li, {kOpA}, {a});
          ib.emit(loc, Opcode::Li, {kOpB}, {b});
          ib.emit(loc, code, {kOpD, kOpA, kOpB},
                  {rows, cols, cols, cols, ldb, dtd, dta, dtb});
        };
        int64_t xo = offsetOf(x);
        if (gelu.getApproximate() == GeluApproximation::Tanh) {
          fillRow(kc, 0.044715f);
          fillRow(ks, 0.79788456080286536f);
          fillRow(one, 1.0f);
          fillRow(half, 0.5f);
          bin(Opcode::Vmul, p, xo, xo, cols, f32, dtIn, dtIn); // x*x
          bin(Opcode::Vmul, p, p, xo, cols, f32, f32, dtIn);   // (x*x)*x
          bin(Opcode::Vmul, p, p, kc, 0, f32, f32, f32);       // c*x3
          bin(Opcode::Vadd, p, p, xo, cols, f32, f32, dtIn);   // x + c*x3
          bin(Opcode::Vmul, p, p, ks, 0, f32, f32, f32);       // v
          unary(Opcode::Vtanh, p, p, f32, f32);
        } else {
          fillRow(kc, 0.70710678118654752f);
          fillRow(one, 1.0f);
          fillRow(half, 0.5f);
          bin(Opcode::Vmul, p, xo, kc, 0, f32, dtIn, f32);     // a
          unary(Opcode::Verf, p, p, f32, f32);
        }
        bin(Opcode::Vadd, p, p, one, 0, f32, f32, f32);        // t
        bin(Opcode::Vmul, h, xo, half, 0, f32, dtIn, f32);     // 0.5*x
        bin(Opcode::Vmul, out, h, p, cols, dtOut, f32, f32);   // h*t
        return success();
      }
      if (llvm::isa<SigmoidOp>(op)) {
        // 1 / (1 + exp(-x)) with FP32 intermediates: negate, exp, add a row
        // of ones (broadcast), reciprocal rounded once to the result type.
        int64_t ones = s + alignTo(rows * cols * 4, 64);
        unary(Opcode::Vneg, s, offsetOf(x), f32, dtIn);
        unary(Opcode::Vexp, s, s, f32, f32);
        ib.emit(loc, Opcode::Li, {kOpD}, {ones});
        ib.emit(loc, Opcode::Vfill, {kOpD},
                {1, cols, cols, f32,
                 static_cast<int64_t>(static_cast<int32_t>(num::f32Bits(1.0f)))});
        ib.emit(loc, Opcode::Li, {kOpD}, {s});
        ib.emit(loc, Opcode::Li, {kOpA}, {s});
        ib.emit(loc, Opcode::Li, {kOpB}, {ones});
        ib.emit(loc, Opcode::Vadd, {kOpD, kOpA, kOpB},
                {rows, cols, cols, cols, 0, f32, f32, f32});
        unary(Opcode::Vrecip, out, s, dtOut, f32);
        return success();
      }
    }
    if (isLoweredRowwise(&op))
      return lowerRowwise(ib, op, sram, out);
    if (auto tr = dyn_cast<TransposeOp>(op)) {
      auto inTy = tr.getInput().getType();
      if (inTy.getRank() != 2)
        return op.emitOpError("of rank ")
               << inTy.getRank() << " has no ISA lowering (rank 2 only)";
      // D (cols x rows) = transpose of A (rows x cols), element copy.
      int64_t r = inTy.getDimSize(0), c = inTy.getDimSize(1);
      ib.emit(loc, Opcode::Li, {kOpD}, {out});
      ib.emit(loc, Opcode::Li, {kOpA}, {offsetOf(tr.getInput())});
      ib.emit(loc, Opcode::Vtrans, {kOpD, kOpA},
              {r, c, r, c, dtypeOf(op.getResult(0)), dtypeOf(tr.getInput())});
      return success();
    }
    return op.emitOpError("has no ISA lowering");
  }

  /// Emits r3 (and r4) = this core's grid point from r1 = core id. Logical
  /// core i * |C| + j is mesh core (R[i], C[j]); a 2-D grid point (i, j)
  /// runs there, a 1-D point k on logical core k. With `skips`, cores
  /// outside the grid branch away (targets patched by the caller).
  void emitGridPoint(InstBuilder &ib, Location loc, KernelOp kernel,
                     SmallVector<Operation *> *skips) {
    ArrayRef<int64_t> grid = kernel.getGrid();
    if (grid.size() == 1) {
      ib.emit(loc, Opcode::Mov, {kGrid0, kCoreId});
      if (skips && grid[0] < numCores) {
        ib.emit(loc, Opcode::Li, {kTmp}, {grid[0]});
        skips->push_back(ib.emit(loc, Opcode::Bge, {kCoreId, kTmp}, {0}));
      }
      return;
    }
    ib.emit(loc, Opcode::Li, {kTmp}, {numCols});
    ib.emit(loc, Opcode::Divu, {kGrid0, kCoreId, kTmp});
    ib.emit(loc, Opcode::Remu, {kGrid0 + 1, kCoreId, kTmp});
    // Placement row r and column c; folded: grid row (c / gn) * R' + r,
    // grid column c % gn (KernelOp fold).
    int64_t fold = kernel.foldFactor(), rows = kernel.foldedRows();
    if (skips && rows < numRows) {
      ib.emit(loc, Opcode::Li, {kTmp}, {rows});
      skips->push_back(ib.emit(loc, Opcode::Bge, {kGrid0, kTmp}, {0}));
    }
    if (skips && fold * grid[1] < numCols) {
      ib.emit(loc, Opcode::Li, {kTmp}, {fold * grid[1]});
      skips->push_back(ib.emit(loc, Opcode::Bge, {kGrid0 + 1, kTmp}, {0}));
    }
    if (fold == 1)
      return;
    ib.emit(loc, Opcode::Li, {kTmp}, {grid[1]});
    ib.emit(loc, Opcode::Divu, {kAddrTerm, kGrid0 + 1, kTmp});
    ib.emit(loc, Opcode::Remu, {kGrid0 + 1, kGrid0 + 1, kTmp});
    ib.emit(loc, Opcode::Muli, {kAddrTerm, kAddrTerm}, {rows});
    ib.emit(loc, Opcode::Add, {kGrid0, kGrid0, kAddrTerm});
    // The last fold may hold fewer grid rows.
    if (skips && rows * fold > grid[0]) {
      ib.emit(loc, Opcode::Li, {kTmp}, {grid[0]});
      skips->push_back(ib.emit(loc, Opcode::Bge, {kGrid0, kTmp}, {0}));
    }
  }

  /// Edge-memory address of kernel input `i` (an argument or an earlier
  /// result), or a located error.
  /// Position r16 of a flattened [images, Hp, Wp] grid of pixels: image
  /// r17, row r19, column r20 (r18 scratch).
  static constexpr int kPosIndex = 16, kPosImage = 17, kPosRest = 18,
                       kPosRow = 19, kPosCol = 20;
  static void emitImagePosition(InstBuilder &ib, Location loc, int64_t hp,
                                int64_t wp) {
    ib.emit(loc, Opcode::Li, {kTmp}, {hp * wp});
    ib.emit(loc, Opcode::Remu, {kPosRest, kPosIndex, kTmp});
    ib.emit(loc, Opcode::Divu, {kPosImage, kPosIndex, kTmp});
    ib.emit(loc, Opcode::Li, {kTmp}, {wp});
    ib.emit(loc, Opcode::Remu, {kPosCol, kPosRest, kTmp});
    ib.emit(loc, Opcode::Divu, {kPosRow, kPosRest, kTmp});
  }

  /// Row loops of the crop stores: rows in groups of
  /// kRowGroup, r14 the group's first row (emitInGroups); a group's rows
  /// one by one, r15 the row within the group, r21 = r14 + r15 and r16 the
  /// row's position (emitEachRow).
  static constexpr int kGroupRow = 14, kRowInGroup = 15, kRowOff = 21;
  static constexpr int64_t kRowGroup = 8;
  static void emitInGroups(InstBuilder &ib, Location loc, int64_t n,
                           llvm::function_ref<void(int64_t)> group) {
    ib.emit(loc, Opcode::Li, {kGroupRow}, {0});
    if (int64_t full = n / kRowGroup) {
      int64_t loop = ib.getPc();
      group(kRowGroup);
      ib.emit(loc, Opcode::Addi, {kGroupRow, kGroupRow}, {kRowGroup});
      ib.emit(loc, Opcode::Li, {kTmp}, {full * kRowGroup});
      ib.emit(loc, Opcode::Blt, {kGroupRow, kTmp}, {loop});
    }
    if (int64_t tail = n % kRowGroup)
      group(tail);
  }
  /// `row()` for each of the g rows of the group at r14; r16 = register
  /// `base` + r0 + r21.
  static void emitEachRow(InstBuilder &ib, Location loc, int base, int64_t r0,
                          int64_t g, llvm::function_ref<void()> row) {
    ib.emit(loc, Opcode::Li, {kRowInGroup}, {0});
    int64_t loop = ib.getPc();
    ib.emit(loc, Opcode::Add, {kRowOff, kGroupRow, kRowInGroup});
    ib.emit(loc, Opcode::Addi, {kPosIndex, base}, {r0});
    ib.emit(loc, Opcode::Add, {kPosIndex, kPosIndex, kRowOff});
    row();
    ib.emit(loc, Opcode::Addi, {kRowInGroup, kRowInGroup}, {1});
    ib.emit(loc, Opcode::Li, {kTmp}, {g});
    ib.emit(loc, Opcode::Blt, {kRowInGroup, kTmp}, {loop});
  }

  /// With KernelOp pad_input: loads the tile's logical rows [r0, r0 + n)
  /// of the zero-padded image (the tile starts at logical row grid row x
  /// block rows) into SRAM `sramAddr`.., one row of C elements per
  /// position, counting its loads (each one count of semaphore `sem` when
  /// it lands) in register `issued`; emitPaddedWait waits for them. It
  /// goes run by run: a run of pixels (up to the end of their image row)
  /// is one load per set bit of its length, a run of padding positions (up
  /// to the next pixel) one vfill per set bit, so a chunk of rows costs a
  /// few transfers per image row, not one per position. Registers r14,
  /// r16..r20, r23 and `issued`.
  void emitPaddedRows(InstBuilder &ib, Location loc, KernelOp kernel,
                      int64_t r0, int64_t n, int64_t sramAddr, int64_t sem,
                      int issued) {
    ArrayRef<int64_t> pad = *kernel.getPadInput();
    int64_t hp = pad[1], wp = pad[2], h = pad[3], w = pad[4], top = pad[5],
            left = pad[6];
    auto inTy = cast<RankedTensorType>(kernel.getInputs()[0].getType());
    int64_t images = inTy.getDimSize(0) / (h * w);
    int64_t cols = inTy.getDimSize(1);
    int64_t rowB = cols * elementBytes(inTy.getElementType());
    int64_t logical = pad[0] * hp * wp;
    int64_t base = dramOffset.lookup(kernel.getInputs()[0]);
    int64_t block = kernel.inputBlockType(0).getDimSize(0);
    num::DType dt = num::DType::F32;
    toDType(inTy.getElementType(), dt);
    // r16 position, r23 end of the chunk, r14 length of the current run,
    // r7 the SRAM row of r16; r17..r20 (emitImagePosition) image, row and
    // column of r16.
    const int kIssued = issued;
    constexpr int kRun = kGroupRow, kP = kPosIndex,
                  kN = kPosImage, kH = kPosRow, kW = kPosCol, kEnd = 23;
    auto li = [&](int reg, int64_t v) { ib.emit(loc, Opcode::Li, {reg}, {v}); };
    // One piece per set bit of r14 (< 2 * the largest run), advancing
    // kSramXfer (and kDram for loads) past it.
    auto pieces = [&](int64_t longest, bool loads) {
      int64_t bit = 1;
      while (bit * 2 <= longest)
        bit *= 2;
      for (; bit >= 1; bit /= 2) {
        ib.emit(loc, Opcode::Andi, {kTmp, kRun}, {bit});
        Operation *skip = ib.emit(loc, Opcode::Beq, {kTmp, 0}, {0});
        if (loads) {
          ib.emit(loc, Opcode::DmaLd, {kSramXfer, kDram},
                  {bit, rowB, rowB, rowB, sem});
          ib.emit(loc, Opcode::Addi, {kIssued, kIssued}, {1});
          ib.emit(loc, Opcode::Addi, {kDram, kDram}, {bit * rowB});
        } else {
          ib.emit(loc, Opcode::Vfill, {kSramXfer},
                  {bit, cols, cols, static_cast<int64_t>(dt), 0});
        }
        ib.emit(loc, Opcode::Addi, {kSramXfer, kSramXfer}, {bit * rowB});
        patchTarget(skip, ib.getPc());
      }
    };
    ib.emit(loc, Opcode::Muli, {kP, kGrid0}, {block});
    ib.emit(loc, Opcode::Addi, {kP, kP}, {r0});
    ib.emit(loc, Opcode::Addi, {kEnd, kP}, {n});
    li(kIssued, 0);
    li(kSramXfer, sramAddr);
    int64_t loop = ib.getPc();
    Operation *done = ib.emit(loc, Opcode::Bge, {kP, kEnd}, {0});
    // Padding to the chunk's end: past the padded image or its images.
    SmallVector<Operation *> toEnd, toRowEnd, toLeft;
    li(kTmp, logical);
    toEnd.push_back(ib.emit(loc, Opcode::Bge, {kP, kTmp}, {0}));
    emitImagePosition(ib, loc, hp, wp);
    li(kTmp, images);
    toEnd.push_back(ib.emit(loc, Opcode::Bge, {kN, kTmp}, {0}));
    // Padding to the row's end: a padding row, or past the row's pixels.
    li(kTmp, top);
    toRowEnd.push_back(ib.emit(loc, Opcode::Blt, {kH, kTmp}, {0}));
    li(kTmp, top + h);
    toRowEnd.push_back(ib.emit(loc, Opcode::Bge, {kH, kTmp}, {0}));
    li(kTmp, left + w);
    toRowEnd.push_back(ib.emit(loc, Opcode::Bge, {kW, kTmp}, {0}));
    // Padding to the row's first pixel.
    li(kTmp, left);
    toLeft.push_back(ib.emit(loc, Opcode::Blt, {kW, kTmp}, {0}));
    // Pixels to the row's last one (or the chunk's end): edge memory
    // ((image * h + row - top) * w + column - left) * rowB + base.
    li(kRun, left + w);
    ib.emit(loc, Opcode::Sub, {kRun, kRun, kW});
    ib.emit(loc, Opcode::Sub, {kTmp, kEnd, kP});
    ib.emit(loc, Opcode::Min, {kRun, kRun, kTmp});
    ib.emit(loc, Opcode::Muli, {kN, kN}, {h});
    ib.emit(loc, Opcode::Add, {kN, kN, kH});
    ib.emit(loc, Opcode::Addi, {kN, kN}, {-top});
    ib.emit(loc, Opcode::Muli, {kN, kN}, {w});
    ib.emit(loc, Opcode::Add, {kN, kN, kW});
    ib.emit(loc, Opcode::Addi, {kN, kN}, {-left});
    ib.emit(loc, Opcode::Muli, {kN, kN}, {rowB});
    ib.emit(loc, Opcode::Addi, {kDram, kN}, {base});
    pieces(w, /*loads=*/true);
    Operation *advance = ib.emit(loc, Opcode::Jmp, {}, {0});
    // Zero runs: r14 = positions to the target, capped at the chunk's end.
    SmallVector<Operation *> zero;
    for (Operation *op : toLeft)
      patchTarget(op, ib.getPc());
    li(kRun, left);
    ib.emit(loc, Opcode::Sub, {kRun, kRun, kW});
    zero.push_back(ib.emit(loc, Opcode::Jmp, {}, {0}));
    for (Operation *op : toRowEnd)
      patchTarget(op, ib.getPc());
    li(kRun, wp);
    ib.emit(loc, Opcode::Sub, {kRun, kRun, kW});
    zero.push_back(ib.emit(loc, Opcode::Jmp, {}, {0}));
    for (Operation *op : toEnd)
      patchTarget(op, ib.getPc());
    ib.emit(loc, Opcode::Sub, {kRun, kEnd, kP});
    for (Operation *op : zero)
      patchTarget(op, ib.getPc());
    ib.emit(loc, Opcode::Sub, {kTmp, kEnd, kP});
    ib.emit(loc, Opcode::Min, {kRun, kRun, kTmp});
    pieces(std::max(n, wp), /*loads=*/false);
    patchTarget(advance, ib.getPc());
    ib.emit(loc, Opcode::Add, {kP, kP, kRun});
    ib.emit(loc, Opcode::Jmp, {}, {loop});
    patchTarget(done, ib.getPc());
  }
  /// With KernelOp im2col: loads columns [k0, k0 + kc) of the tile's
  /// logical rows [r0, r0 + n) of input 0's im2col into the tile at SRAM
  /// `sramAddr` (its row 0, column 0; rows of `tileStride` bytes), counting
  /// its loads (each one count of `sem` when it lands) in register
  /// `issued`, for emitPaddedWait. It goes run by run: a run of positions
  /// (n, y, x..) in one output row reads, for each tap t that the columns
  /// cross, image rows (n * Hp + y * SH + dy_t) * Wp + x * SW + dx_t..,
  /// SW rows apart: one load per set bit of the run's length. Rows past
  /// the logical rows (a ragged last tile) are not loaded. Registers r14,
  /// r16..r20, r23, r6, r7 and `issued`.
  void emitIm2colRows(InstBuilder &ib, Location loc, KernelOp kernel,
                      int64_t r0, int64_t n, int64_t k0, int64_t kc,
                      int64_t sramAddr, int64_t tileStride, int64_t sem,
                      int issued) {
    ArrayRef<int64_t> im = *kernel.getIm2col();
    int64_t hp = im[0], wp = im[1], oh = im[2], ow = im[3], sh = im[4],
            sw = im[5];
    auto inTy = cast<RankedTensorType>(kernel.getInputs()[0].getType());
    int64_t c = inTy.getDimSize(1), e = elementBytes(inTy.getElementType());
    int64_t rowB = c * e;
    int64_t logical = kernel.logicalInputType(0).getDimSize(0);
    int64_t base = dramOffset.lookup(kernel.getInputs()[0]);
    int64_t block = kernel.inputBlockType(0).getDimSize(0);
    constexpr int kRun = kGroupRow, kP = kPosIndex, kN = kPosImage,
                  kPieceSram = kPosRest, kH = kPosRow, kW = kPosCol,
                  kEnd = 23;
    auto li = [&](int reg, int64_t v) { ib.emit(loc, Opcode::Li, {reg}, {v}); };
    ib.emit(loc, Opcode::Muli, {kP, kGrid0}, {block});
    ib.emit(loc, Opcode::Addi, {kP, kP}, {r0});
    ib.emit(loc, Opcode::Addi, {kEnd, kP}, {n});
    li(kTmp, logical);
    ib.emit(loc, Opcode::Min, {kEnd, kEnd, kTmp});
    li(issued, 0);
    li(kSramXfer, sramAddr);
    int64_t loop = ib.getPc();
    Operation *done = ib.emit(loc, Opcode::Bge, {kP, kEnd}, {0});
    // r17, r19, r20: image, row and column of position r16 in [N, OH, OW];
    // r14 the run to the row's end (or the chunk's).
    emitImagePosition(ib, loc, oh, ow);
    li(kRun, ow);
    ib.emit(loc, Opcode::Sub, {kRun, kRun, kW});
    ib.emit(loc, Opcode::Sub, {kTmp, kEnd, kP});
    ib.emit(loc, Opcode::Min, {kRun, kRun, kTmp});
    // r17 = the run's first image row without its tap, as an address.
    ib.emit(loc, Opcode::Muli, {kN, kN}, {hp});
    ib.emit(loc, Opcode::Muli, {kH, kH}, {sh});
    ib.emit(loc, Opcode::Add, {kN, kN, kH});
    ib.emit(loc, Opcode::Muli, {kN, kN}, {wp});
    ib.emit(loc, Opcode::Muli, {kW, kW}, {sw});
    ib.emit(loc, Opcode::Add, {kN, kN, kW});
    ib.emit(loc, Opcode::Muli, {kN, kN}, {rowB});
    ib.emit(loc, Opcode::Addi, {kN, kN}, {base});
    int64_t longest = 1;
    while (longest * 2 <= std::min(n, ow))
      longest *= 2;
    int64_t taps = int64_t(im.size() - 6) / 2;
    for (int64_t t = 0; t < taps; ++t) {
      int64_t lo = std::max(k0, t * c), hi = std::min(k0 + kc, (t + 1) * c);
      if (lo >= hi)
        continue;
      int64_t dy = im[6 + 2 * t], dx = im[7 + 2 * t];
      ib.emit(loc, Opcode::Addi, {kDram, kN},
              {(dy * wp + dx) * rowB + (lo - t * c) * e});
      ib.emit(loc, Opcode::Addi, {kPieceSram, kSramXfer}, {lo * e});
      for (int64_t bit = longest; bit >= 1; bit /= 2) {
        ib.emit(loc, Opcode::Andi, {kTmp, kRun}, {bit});
        Operation *skip = ib.emit(loc, Opcode::Beq, {kTmp, 0}, {0});
        ib.emit(loc, Opcode::DmaLd, {kPieceSram, kDram},
                {bit, (hi - lo) * e, tileStride, sw * rowB, sem});
        ib.emit(loc, Opcode::Addi, {issued, issued}, {1});
        ib.emit(loc, Opcode::Addi, {kDram, kDram}, {bit * sw * rowB});
        ib.emit(loc, Opcode::Addi, {kPieceSram, kPieceSram},
                {bit * tileStride});
        patchTarget(skip, ib.getPc());
      }
    }
    ib.emit(loc, Opcode::Add, {kP, kP, kRun});
    ib.emit(loc, Opcode::Muli, {kTmp, kRun}, {tileStride});
    ib.emit(loc, Opcode::Add, {kSramXfer, kSramXfer, kTmp});
    ib.emit(loc, Opcode::Jmp, {}, {loop});
    patchTarget(done, ib.getPc());
  }

  /// Waits for the `issued` loads of an emitPaddedRows on `sem`, one count
  /// each. (Loads of one core from one edge land in issue order, so a
  /// later chunk's loads issued meanwhile do not stand in for them.)
  static void emitPaddedWait(InstBuilder &ib, Location loc, int64_t sem,
                             int issued) {
    int64_t wait = ib.getPc();
    Operation *landed = ib.emit(loc, Opcode::Beq, {issued, 0}, {0});
    ib.emit(loc, Opcode::SemWait, {}, {sem, 1});
    ib.emit(loc, Opcode::Addi, {issued, issued}, {-1});
    ib.emit(loc, Opcode::Jmp, {}, {wait});
    patchTarget(landed, ib.getPc());
  }
  /// The register that counts a chunk's padded loads (not one the
  /// threads that load padded chunks use otherwise).
  static constexpr int kPadIssued = 15;

  FailureOr<int64_t> inputBase(KernelOp kernel, unsigned i) {
    auto it = dramOffset.find(kernel.getInputs()[i]);
    if (it == dramOffset.end())
      return kernel.emitOpError("input ")
             << i << " is not in edge memory (not an argument or kernel "
             << "result)";
    return it->second;
  }

  LogicalResult lowerKernel(InstBuilder &ib, KernelOp kernel) {
    Location loc = kernel.getLoc();
    if (!kernel.getArgOffsets() || !kernel.getSems() || !kernel.getPlaceRows())
      return kernel.emitOpError("must be placed, allocated and scheduled "
                                "before convert-dojo-to-isa");
    ArrayRef<int64_t> grid = kernel.getGrid();
    if (grid.size() > 2)
      return kernel.emitOpError("grids of rank > 2 are not supported");
    int64_t loadSem = (*kernel.getSems())[0], storeSem = (*kernel.getSems())[1];

    // Cores outside the kernel's grid skip it.
    SmallVector<Operation *> skips;
    emitGridPoint(ib, loc, kernel, &skips);
    Block &body = kernel.getBody().front();
    auto maps = kernel.getMaps().getValue();
    auto chunks = kernel->getAttrOfType<IntegerAttr>(kRowChunksAttr);
    auto streamRows = kernel->getAttrOfType<IntegerAttr>(kStreamRowsAttr);
    if ((chunks && chunks.getInt() > 1) || streamRows) {
      if (failed(lowerRowChunked(ib, kernel,
                                 chunks ? chunks.getInt() : 1,
                                 streamRows ? streamRows.getInt() : 0)))
        return failure();
      for (Operation *skip : skips)
        patchTarget(skip, ib.getPc());
      return success();
    }
    if (kernel->hasAttr(kStreamRowsAttr))
      return kernel.emitOpError("has dojo.stream_rows without a chunk size; "
                                "run dojo-allocate-sram");
    Streaming stream;
    stream.sem = loadSem;
    int64_t streamA = -1, streamB = -1;
    if (auto chunks = kernel.getKChunks(); chunks && *chunks > 1) {
      auto mm = dyn_cast<MatmulOp>(&body.front());
      auto a = mm ? dyn_cast<BlockArgument>(mm.getLhs()) : BlockArgument();
      auto bArg = mm ? dyn_cast<BlockArgument>(mm.getRhs()) : BlockArgument();
      if (!a || !bArg || a == bArg)
        return kernel.emitOpError("has k_chunks but does not start with a "
                                  "matmul of two distinct input tiles");
      streamA = a.getArgNumber();
      streamB = bArg.getArgNumber();
      stream.chunks = *chunks;
      stream.slices = kSlices(mm.contractionSize(), stream.chunks,
                              kernel->hasAttr(kSplitFirstSliceAttr));
      if (mm.getWindow()) {
        for (const WindowChunk &chunk : windowChunks(kernel, mm)) {
          stream.aWaitAt.push_back(chunk.firstTap);
          if (chunk.firstTap == 0)
            stream.firstPieceEnds.push_back(chunk.r1);
        }
        if (stream.firstPieceEnds.size() < 2)
          stream.firstPieceEnds.clear();
      }
      // The first wait covers every non-streamed input and slice 0.
      stream.firstWait = int64_t(kernel.getInputs().size());
    }
    if (kernel.getMulticast()) {
      if (streamA < 0 || grid.size() != 2 || kernel.getSems()->size() < 6)
        return kernel.emitOpError("has multicast but no streamed matmul on a "
                                  "2-D grid with six semaphores");
      stream.multicast = true;
      ArrayRef<int64_t> sems = *kernel.getSems();
      auto [sa, sb] = senders(kernel);
      bool halo = kernel->hasAttr(kHaloExchangeAttr);
      int64_t extra = (epilogueChunksOf(kernel) > 1 ? 2 : 0) + (halo ? 2 : 0);
      if ((int64_t)sems.size() != 6 + (sa - 1) + (sb - 1) + extra)
        return kernel.emitOpError("has ")
               << sems.size() << " semaphores; multicast with " << sa
               << " A and " << sb << " B senders needs "
               << 6 + (sa - 1) + (sb - 1) + extra;
      if (halo) {
        if (!cast<MatmulOp>(body.front()).getWindow() || grid[0] < 2 ||
            grid[1] < 2 ||
            kernel.foldFactor() > 1 || kernel->hasAttr(kPackedAttr) ||
            kernel.getPadInput())
          return kernel.emitOpError(
              "has dojo.halo_exchange but is not a window product on a grid "
              "of whole mesh rows with A senders");
        stream.haloSem = sems[6 + (sa - 1) + (sb - 1)];
        stream.lastGridRow = grid[0] - 1;
      }
      stream.semsA = {sems[2]};
      for (int64_t j = 1; j < sa; ++j)
        stream.semsA.push_back(sems[6 + j - 1]);
      if (kernel->hasAttr(kAGatherAttr)) {
        if (sa != 3 || grid[1] < 2 || cast<MatmulOp>(body.front()).getWindow() ||
            kernel.foldFactor() > 1 || kernel->hasAttr(kBBroadcastAttr) ||
            kernel.getPadInput() || halo)
          return kernel.emitOpError(
              "has dojo.a_gather but is not a plain matmul on an unfolded "
              "grid of more than one column with three A semaphores");
        // Two semaphores for the slices, the third for the permissions.
        stream.gatherPermSem = stream.semsA.pop_back_val();
        stream.gatherPieces = gatherPieces(kernel);
      }
      stream.semsB = {sems[3]};
      for (int64_t j = 1; j < sb; ++j)
        stream.semsB.push_back(sems[6 + (sa - 1) + j - 1]);
      stream.firstWait = int64_t(kernel.getInputs().size()) - 2;
      if (kernel->hasAttr(kBBroadcastAttr)) {
        auto bTile = kernel.inputTileType(streamB);
        int64_t tn = bTile.getDimSize(1);
        stream.bStride = grid[1] * tn;
        ib.emit(loc, Opcode::Li, {kTmp},
                {tn * elementBytes(bTile.getElementType())});
        ib.emit(loc, Opcode::Mul, {kBCol, kGrid0 + 1, kTmp});
      }
    }
    // A broadcast B's slices, which cores outside the grid consume too
    // (the lowering below resets `stream` after the matmul).
    int64_t drainSlices = 0;
    SmallVector<int64_t> drainSems;
    if (stream.multicast && kernel->hasAttr(kBBroadcastAttr)) {
      drainSlices = int64_t(stream.slices.size());
      drainSems = stream.semsB;
    }
    llvm::DenseMap<Value, int64_t> sram;
    for (auto [i, input] : llvm::enumerate(kernel.getInputs())) {
      auto full = cast<RankedTensorType>(input.getType());
      auto tile = kernel.inputTileType(i);
      int64_t off = (*kernel.getArgOffsets())[i];
      sram[body.getArgument(i)] = off;
      FailureOr<int64_t> base = inputBase(kernel, i);
      if (failed(base))
        return failure();
      // With multicast the sender threads compute the streamed operands'
      // addresses themselves.
      if (stream.multicast && ((int64_t)i == streamA || (int64_t)i == streamB))
        continue;
      if (i == 0 && kernel.getIm2col()) {
        if ((int64_t)i == streamA)
          return kernel.emitOpError("with im2col streams its A only by "
                                    "multicast");
        // The whole im2col tile, then one count for it.
        emitIm2colRows(ib, loc, kernel, 0, tile.getDimSize(0), 0,
                       tile.getDimSize(1), off,
                       tile.getDimSize(1) *
                           elementBytes(tile.getElementType()),
                       loadSem, kPadIssued);
        emitPaddedWait(ib, loc, loadSem, kPadIssued);
        ib.emit(loc, Opcode::SemSignal, {kCoreId}, {loadSem, 1});
        continue;
      }
      if (i == 0 && kernel.getPadInput()) {
        if ((int64_t)i == streamA)
          return kernel.emitOpError("with pad_input streams its A only by "
                                    "multicast");
        // The whole padded tile, then one count for it.
        int64_t rows = tile.getDimSize(0);
        emitPaddedRows(ib, loc, kernel, 0, rows, off, loadSem, kPadIssued);
        emitPaddedWait(ib, loc, loadSem, kPadIssued);
        ib.emit(loc, Opcode::SemSignal, {kCoreId}, {loadSem, 1});
        continue;
      }
      auto geo = geometry(loc, full, tile);
      if (failed(geo) ||
          failed(emitTileAddress(ib, loc, *base, full,
                                 kernel.inputBlockType(i),
                                 cast<AffineMapAttr>(maps[i]).getValue())))
        return failure();
      if ((int64_t)i == streamA) {
        ib.emit(loc, Opcode::Mov, {kABase, kDram});
        continue;
      }
      if ((int64_t)i == streamB) {
        ib.emit(loc, Opcode::Mov, {kBBase, kDram});
        continue;
      }
      ib.emit(loc, Opcode::Li, {kSramXfer}, {off});
      auto [rowsX, colsX] = extents(full, tile,
                                    cast<AffineMapAttr>(maps[i]).getValue(),
                                    grid, kernel.inputHalo(i));
      int64_t e = elementBytes(full.getElementType());
      emitByExtent(ib, loc, grid, rowsX, colsX, [&](int64_t r, int64_t c) {
        ib.emit(loc, Opcode::DmaLd, {kSramXfer, kDram},
                {r, c * e, geo->tileStride, geo->fullStride, loadSem});
      });
    }
    Operation *spawnA = nullptr, *spawnB = nullptr;
    // The streaming state thread 1 of a gathered A needs (the body's
    // lowering below resets `stream`).
    Streaming gathered = stream;
    if (stream.multicast) {
      // Grid column 0 loads the A row block, grid row 0 the B column block;
      // each does it on its own hardware thread and multicasts every slice
      // along its mesh row / column while thread 0 computes.
      // The first S cores of a grid row (column) are its A (B) senders.
      // Gathered A: every core's thread 1 sends its band.
      if (stream.gatherPieces > 0) {
        spawnA = ib.emit(loc, Opcode::Tspawn, {}, {1, 0});
      } else {
        int index = emitASenderIndex(ib, loc, kernel);
        ib.emit(loc, Opcode::Li, {kTmp}, {(int64_t)stream.semsA.size()});
        Operation *noA = ib.emit(loc, Opcode::Bge, {index, kTmp}, {0});
        Operation *below = nullptr;
        if (index == kSenderIndex)
          below = ib.emit(loc, Opcode::Blt, {kSenderIndex, 0}, {0});
        spawnA = ib.emit(loc, Opcode::Tspawn, {}, {1, 0});
        patchTarget(noA, ib.getPc());
        if (below)
          patchTarget(below, ib.getPc());
      }
      if (kernel->hasAttr(kBBroadcastAttr)) {
        // Loader t is grid point (broadcastLoaderRow(t), broadcastLoaderCol).
        SmallVector<Operation *> toSpawn;
        ib.emit(loc, Opcode::Li, {kTmp}, {broadcastLoaderCol(kernel)});
        Operation *notCol0 = ib.emit(loc, Opcode::Bne, {kGrid0 + 1, kTmp}, {0});
        for (int64_t t = 0; t < int64_t(stream.semsB.size()); ++t) {
          ib.emit(loc, Opcode::Li, {kTmp}, {broadcastLoaderRow(kernel, t)});
          toSpawn.push_back(ib.emit(loc, Opcode::Beq, {kGrid0, kTmp}, {0}));
        }
        Operation *next = ib.emit(loc, Opcode::Jmp, {}, {0});
        for (Operation *op : toSpawn)
          patchTarget(op, ib.getPc());
        spawnB = ib.emit(loc, Opcode::Tspawn, {}, {2, 0});
        patchTarget(notCol0, ib.getPc());
        patchTarget(next, ib.getPc());
      } else if (usesSegments(kernel)) {
        // The loader cores of each straight segment of a grid column, found
        // by a binary search on the grid column.
        SmallVector<Operation *> toSpawn, toNext;
        auto allSegs = packedSegments(kernel);
        SmallVector<int64_t> keys(allSegs.size());
        std::iota(keys.begin(), keys.end(), 0);
        SmallVector<Operation *> toColumn = emitDispatch(ib, loc, kGrid0 + 1, keys);
        for (auto [j, segs] : llvm::enumerate(allSegs)) {
          patchTarget(toColumn[j], ib.getPc());
          for (const Segment &seg : segs)
            for (int64_t g : {seg.loader, seg.second}) {
              if (g < 0)
                continue;
              ib.emit(loc, Opcode::Li, {kTmp}, {g});
              toSpawn.push_back(
                  ib.emit(loc, Opcode::Beq, {kGrid0, kTmp}, {0}));
            }
          toNext.push_back(ib.emit(loc, Opcode::Jmp, {}, {0}));
        }
        for (Operation *op : toSpawn)
          patchTarget(op, ib.getPc());
        spawnB = ib.emit(loc, Opcode::Tspawn, {}, {2, 0});
        for (Operation *op : toNext)
          patchTarget(op, ib.getPc());
      } else {
        ib.emit(loc, Opcode::Li, {kTmp}, {(int64_t)stream.semsB.size()});
        Operation *noB = ib.emit(loc, Opcode::Bge, {kGrid0, kTmp}, {0});
        spawnB = ib.emit(loc, Opcode::Tspawn, {}, {2, 0});
        patchTarget(noB, ib.getPc());
      }
    }
    if (stream.chunks > 1 && !stream.multicast) {
      // A by column slices, B by row slices, interleaved so that slice c of
      // both lands before slice c + 1 of either (the DMA engine is serial).
      auto aFull = cast<RankedTensorType>(kernel.getInputs()[streamA].getType());
      auto bFull = cast<RankedTensorType>(kernel.getInputs()[streamB].getType());
      auto aTile = kernel.inputTileType(streamA);
      auto bTile = kernel.inputTileType(streamB);
      int64_t e = elementBytes(aTile.getElementType());
      int64_t k = aTile.getDimSize(1);
      int64_t n = bTile.getDimSize(1);
      int64_t aOff = (*kernel.getArgOffsets())[streamA];
      int64_t bOff = (*kernel.getArgOffsets())[streamB];
      Extent aRows = extents(aFull, aTile,
                             cast<AffineMapAttr>(maps[streamA]).getValue(),
                             grid).first;
      Extent bCols = extents(bFull, bTile,
                             cast<AffineMapAttr>(maps[streamB]).getValue(),
                             grid).second;
      for (auto [k0, kc] : stream.slices) {
        ib.emit(loc, Opcode::Addi, {kDram, kABase}, {k0 * e});
        ib.emit(loc, Opcode::Li, {kSramXfer}, {aOff + k0 * e});
        emitByExtent(ib, loc, grid, aRows, fixedExtent(kc),
                     [&](int64_t r, int64_t c) {
                       ib.emit(loc, Opcode::DmaLd, {kSramXfer, kDram},
                               {r, c * e, k * e, aFull.getDimSize(1) * e,
                                loadSem});
                     });
        ib.emit(loc, Opcode::Addi, {kDram, kBBase},
                {k0 * bFull.getDimSize(1) * e});
        ib.emit(loc, Opcode::Li, {kSramXfer}, {bOff + k0 * n * e});
        emitByExtent(ib, loc, grid, fixedExtent(kc), bCols,
                     [&](int64_t r, int64_t c) {
                       ib.emit(loc, Opcode::DmaLd, {kSramXfer, kDram},
                               {r, c * e, n * e, bFull.getDimSize(1) * e,
                                loadSem});
                     });
      }
    } else if (!stream.multicast && !kernel.getInputs().empty()) {
      ib.emit(loc, Opcode::SemWait, {},
              {loadSem, (int64_t)kernel.getInputs().size()});
    }

    int64_t epiChunks = epilogueChunksOf(kernel);
    Operation *spawnE = nullptr;
    if (epiChunks > 1) {
      ArrayRef<int64_t> sems = *kernel.getSems();
      if ((int64_t)sems.size() < 4)
        return kernel.emitOpError("has dojo.epilogue_chunks but fewer than "
                                  "four semaphores");
      if (failed(lowerPipelinedMatmul(ib, kernel, stream, sram, epiChunks,
                                      spawnE)))
        return failure();
    } else {
      for (Operation &op : body.without_terminator()) {
        if (failed(lowerBodyOp(ib, op, sram, stream)))
          return failure();
        stream.chunks = 1; // only the leading matmul streams
        stream.multicast = false;
      }

      FailureOr<RowStores> stores = prepareRowStores(ib, kernel);
      if (failed(stores))
        return failure();
      // The whole tile (rows are clamped to its extent; a crop kernel's
      // tile is 2-D).
      auto tile = kernel.resultTileType();
      int64_t count = emitRowStore(
          ib, loc, grid, *stores, 0,
          tile.getRank() == 2 ? tile.getDimSize(0) : INT64_MAX,
          sram.lookup(kernel.getYield().getValue()), storeSem);
      emitStoreWait(ib, loc, *stores, storeSem, count);
    }
    if (spawnA || spawnB || spawnE) {
      Operation *over = ib.emit(loc, Opcode::Jmp, {}, {0});
      if (spawnA) {
        patchTarget(spawnA, ib.getPc());
        if (failed(stream.gatherPieces > 0
                       ? emitGatherThread(ib, kernel, streamA, gathered)
                       : emitSender(ib, kernel, streamA, /*alongRow=*/true)))
          return failure();
      }
      if (spawnB) {
        patchTarget(spawnB, ib.getPc());
        if (failed(emitSender(ib, kernel, streamB, /*alongRow=*/false)))
          return failure();
      }
      if (spawnE) {
        patchTarget(spawnE, ib.getPc());
        if (failed(emitEpilogueThread(ib, kernel, sram, epiChunks)))
          return failure();
      }
      patchTarget(over, ib.getPc());
    }
    if (drainSlices > 0) {
      // Cores of the kernel's placement rows outside its grid receive the
      // broadcast B too: they consume its semaphore counts before leaving.
      Operation *done = ib.emit(loc, Opcode::Jmp, {}, {0});
      for (Operation *skip : skips)
        patchTarget(skip, ib.getPc());
      skips.clear();
      ib.emit(loc, Opcode::Li, {kTmp}, {kernel.foldedRows() * numCols});
      skips.push_back(ib.emit(loc, Opcode::Bge, {kCoreId, kTmp}, {0}));
      for (int64_t c = 0; c < drainSlices; ++c)
        ib.emit(loc, Opcode::SemWait, {}, {drainSems[c % drainSems.size()], 1});
      skips.push_back(done);
    }
    for (Operation *skip : skips)
      patchTarget(skip, ib.getPc());
    return success();
  }

  /// Stores of a kernel's result tile chunk by chunk of rows: the tile's
  /// edge-memory address is kept in r24 (prepareRowStores), and each store
  /// moves rows [r0, r0 + n) of the tile, clamped to the (possibly ragged)
  /// tile's extent. With KernelOp `crop` r22 holds the result's address
  /// plus this core's column offset and r23 the tile's first logical row,
  /// and each row is stored on its own (see emitRowStore).
  struct RowStores {
    Geometry geo;
    Extent rows, cols;
    int64_t e = 0;
    /// [Hp, Wp, OH, OW] and the logical rows, with crop.
    SmallVector<int64_t> crop;
    int64_t logicalRows = 0;
  };
  static constexpr int kResBase = 24, kCropCol = 22, kCropRow = 23;
  /// With crop: the stores issued so far (emitCropRowStores).
  static constexpr int kCropIssued = 30;
  FailureOr<RowStores> prepareRowStores(InstBuilder &ib, KernelOp kernel) {
    Location loc = kernel.getLoc();
    auto full = kernel.logicalResultType();
    auto tile = kernel.resultTileType();
    auto geo = geometry(loc, full, tile);
    AffineMap map = cast<AffineMapAttr>(kernel.getMaps().getValue().back())
                        .getValue();
    if (failed(geo))
      return failure();
    auto [rows, cols] = extents(full, tile, map, kernel.getGrid());
    RowStores rs{*geo, rows, cols, elementBytes(full.getElementType()), {}, 0};
    if (auto crop = kernel.getCrop()) {
      // The verifier made the map (i, j) -> (i, j).
      rs.crop.assign(crop->begin(), crop->end());
      rs.logicalRows = full.getDimSize(0);
      ib.emit(loc, Opcode::Muli, {kCropCol, kGrid0 + 1},
              {tile.getDimSize(1) * rs.e});
      ib.emit(loc, Opcode::Addi, {kCropCol, kCropCol},
              {dramOffset.lookup(kernel.getResult())});
      ib.emit(loc, Opcode::Muli, {kCropRow, kGrid0}, {tile.getDimSize(0)});
      ib.emit(loc, Opcode::Li, {kCropIssued}, {0});
      return rs;
    }
    if (failed(emitTileAddress(ib, loc, dramOffset.lookup(kernel.getResult()),
                               full, tile, map)))
      return failure();
    ib.emit(loc, Opcode::Mov, {kResBase, kDram});
    return rs;
  }
  /// Stores rows [r0, r0 + n) of the result tile from SRAM `sramAddr`;
  /// returns how many times `sem` will count.
  int64_t emitRowStore(InstBuilder &ib, Location loc, ArrayRef<int64_t> grid,
                       const RowStores &rs, int64_t r0, int64_t n,
                       int64_t sramAddr, int64_t sem) {
    if (!rs.crop.empty())
      return emitCropRowStores(ib, loc, grid, rs, r0, n, sramAddr, sem);
    ib.emit(loc, Opcode::Addi, {kDram, kResBase}, {r0 * rs.geo.fullStride});
    ib.emit(loc, Opcode::Li, {kSramXfer}, {sramAddr});
    emitByExtent(ib, loc, grid, rs.rows, rs.cols, [&](int64_t r, int64_t c) {
      ib.emit(loc, Opcode::DmaSt, {kDram, kSramXfer},
              {std::clamp<int64_t>(r - r0, 0, n), c * rs.e, rs.geo.fullStride,
               rs.geo.tileStride, sem});
    });
    return 1;
  }
  /// With crop: stores the valid positions of rows [r0, r0 + n) run by
  /// run. A run of positions p = (m * Hp + h) * Wp + w.. in one image row's
  /// valid part (h < OH, w < OW, inside the logical rows) goes to result
  /// rows (m * OH + h) * OW + w.., one store per set bit of its length; a
  /// run of padding positions (to the next image row) is skipped. The
  /// stores are counted in kCropIssued (one count of `sem` each when they
  /// land), which emitStoreWait waits for; returns 0 (no fixed count).
  /// Registers r14..r21.
  int64_t emitCropRowStores(InstBuilder &ib, Location loc,
                            ArrayRef<int64_t> grid, const RowStores &rs,
                            int64_t r0, int64_t n, int64_t sramAddr,
                            int64_t sem) {
    constexpr int kP = kPosIndex, kQ = kPosImage, kH = kPosRow,
                  kW = kPosCol, kRun = kGroupRow, kStart = kRowInGroup,
                  kEnd = kRowOff;
    int64_t hp = rs.crop[0], wp = rs.crop[1], oh = rs.crop[2],
            ow = rs.crop[3];
    auto li = [&](int reg, int64_t v) { ib.emit(loc, Opcode::Li, {reg}, {v}); };
    // r15 the chunk's first position, r16 the run's, r21 the chunk's end
    // (at most the logical rows), r14 the run's length.
    ib.emit(loc, Opcode::Addi, {kStart, kCropRow}, {r0});
    ib.emit(loc, Opcode::Addi, {kP, kStart}, {0});
    ib.emit(loc, Opcode::Addi, {kEnd, kStart}, {n});
    li(kTmp, rs.logicalRows);
    ib.emit(loc, Opcode::Min, {kEnd, kEnd, kTmp});
    int64_t loop = ib.getPc();
    Operation *done = ib.emit(loc, Opcode::Bge, {kP, kEnd}, {0});
    emitImagePosition(ib, loc, hp, wp);
    SmallVector<Operation *> skip;
    li(kTmp, oh);
    skip.push_back(ib.emit(loc, Opcode::Bge, {kH, kTmp}, {0}));
    li(kTmp, ow);
    skip.push_back(ib.emit(loc, Opcode::Bge, {kW, kTmp}, {0}));
    // Valid positions to the row's last one or the chunk's end.
    li(kRun, ow);
    ib.emit(loc, Opcode::Sub, {kRun, kRun, kW});
    ib.emit(loc, Opcode::Sub, {kTmp, kEnd, kP});
    ib.emit(loc, Opcode::Min, {kRun, kRun, kTmp});
    ib.emit(loc, Opcode::Muli, {kQ, kQ}, {oh});
    ib.emit(loc, Opcode::Add, {kQ, kQ, kH});
    ib.emit(loc, Opcode::Muli, {kQ, kQ}, {ow});
    ib.emit(loc, Opcode::Add, {kQ, kQ, kW});
    ib.emit(loc, Opcode::Muli, {kQ, kQ}, {rs.geo.fullStride});
    ib.emit(loc, Opcode::Add, {kDram, kCropCol, kQ});
    ib.emit(loc, Opcode::Sub, {kSramXfer, kP, kStart});
    ib.emit(loc, Opcode::Muli, {kSramXfer, kSramXfer}, {rs.geo.tileStride});
    ib.emit(loc, Opcode::Addi, {kSramXfer, kSramXfer}, {sramAddr});
    int64_t bit = 1;
    while (bit * 2 <= std::min(n, ow))
      bit *= 2;
    for (; bit >= 1; bit /= 2) {
      ib.emit(loc, Opcode::Andi, {kTmp, kRun}, {bit});
      Operation *none = ib.emit(loc, Opcode::Beq, {kTmp, 0}, {0});
      emitByExtent(ib, loc, grid, fixedExtent(bit), rs.cols,
                   [&](int64_t r, int64_t c) {
                     ib.emit(loc, Opcode::DmaSt, {kDram, kSramXfer},
                             {r, c * rs.e, rs.geo.fullStride,
                              rs.geo.tileStride, sem});
                   });
      ib.emit(loc, Opcode::Addi, {kCropIssued, kCropIssued}, {1});
      ib.emit(loc, Opcode::Addi, {kDram, kDram}, {bit * rs.geo.fullStride});
      ib.emit(loc, Opcode::Addi, {kSramXfer, kSramXfer},
              {bit * rs.geo.tileStride});
      patchTarget(none, ib.getPc());
    }
    Operation *advance = ib.emit(loc, Opcode::Jmp, {}, {0});
    // Padding: to the next image row's first position.
    for (Operation *op : skip)
      patchTarget(op, ib.getPc());
    li(kRun, wp);
    ib.emit(loc, Opcode::Sub, {kRun, kRun, kW});
    patchTarget(advance, ib.getPc());
    ib.emit(loc, Opcode::Add, {kP, kP, kRun});
    ib.emit(loc, Opcode::Jmp, {}, {loop});
    patchTarget(done, ib.getPc());
    return 0;
  }
  /// Waits for the stores of emitRowStore calls on `sem`: their fixed
  /// `count`, and with crop the kCropIssued stores of emitCropRowStores.
  static void emitStoreWait(InstBuilder &ib, Location loc,
                            const RowStores &rs, int64_t sem, int64_t count) {
    if (count > 0)
      ib.emit(loc, Opcode::SemWait, {}, {sem, count});
    if (!rs.crop.empty())
      emitPaddedWait(ib, loc, sem, kCropIssued);
  }

  /// Lowers `ops` on the row window [r0, r0 + n) of tiles of `tileRows`
  /// rows (see windowed()).
  LogicalResult lowerWindow(InstBuilder &ib, iterator_range<Block::iterator> ops,
                            llvm::DenseMap<Value, int64_t> &sram,
                            int64_t tileRows, int64_t r0, int64_t n) {
    winTileRows = tileRows;
    winRow0 = r0;
    winRows = n;
    Streaming none;
    for (Operation &op : ops)
      if (failed(lowerBodyOp(ib, op, sram, none))) {
        winRows = -1;
        return failure();
      }
    winRows = -1;
    return success();
  }

  /// A kernel marked dojo.row_chunks = R by dojo-allocate-sram (every
  /// body op independent per tile row, no buffer reusing dead space): the
  /// broadcast inputs are loaded once, the full-row inputs chunk by chunk
  /// (all loads issued up front, chunk-major, so they complete in order on
  /// the core's serial DMA engine and one load semaphore counts them), and
  /// each chunk is computed as soon as its rows are in and stored right
  /// away, overlapping the next chunk.
  ///
  /// With `streamRows` > 0 (dojo.stream_rows: the tile does not fit), the
  /// buffers hold one chunk of that many rows, in two sets
  /// dojo.stream_set_bytes apart: chunk c uses set c % 2, chunk c + 1's
  /// loads are issued before chunk c is computed, and chunk c is computed
  /// only after chunk c - 2's store (same set) has completed.
  LogicalResult lowerRowChunked(InstBuilder &ib, KernelOp kernel,
                                int64_t chunks, int64_t streamRows = 0) {
    Location loc = kernel.getLoc();
    Block &body = kernel.getBody().front();
    auto maps = kernel.getMaps().getValue();
    ArrayRef<int64_t> grid = kernel.getGrid();
    int64_t loadSem = (*kernel.getSems())[0], storeSem = (*kernel.getSems())[1];
    auto resTile = kernel.resultTileType();
    int64_t tileRows = resTile.getDimSize(0);
    // Chunks of a multiple of 16 rows: row-wise ops work on the transposed
    // chunk, whose FP32 rows are then whole 64-byte vectors.
    int64_t step = std::max<int64_t>(16, alignTo(ceilDivI(tileRows, chunks), 16));
    bool stream = streamRows > 0;
    int64_t setBytes = 0;
    if (stream) {
      auto set = kernel->getAttrOfType<IntegerAttr>(kStreamSetBytesAttr);
      if (!set)
        return kernel.emitOpError("has dojo.stream_rows but no "
                                  "dojo.stream_set_bytes; run "
                                  "dojo-allocate-sram");
      setBytes = set.getInt();
      step = streamRows;
    }
    constexpr int kFirstBase = 25, kLastBase = 31;
    struct RowInput {
      int reg;
      int64_t off, e, tileStride, fullStride;
      Extent rowsX, colsX;
    };
    SmallVector<RowInput> rowInputs;
    llvm::DenseMap<Value, int64_t> sram;
    int64_t broadcasts = 0;
    for (auto [i, input] : llvm::enumerate(kernel.getInputs())) {
      auto full = cast<RankedTensorType>(input.getType());
      auto tile = kernel.inputTileType(i);
      int64_t off = (*kernel.getArgOffsets())[i];
      sram[body.getArgument(i)] = off;
      FailureOr<int64_t> base = inputBase(kernel, i);
      if (failed(base))
        return failure();
      AffineMap map = cast<AffineMapAttr>(maps[i]).getValue();
      auto geo = geometry(loc, full, tile);
      if (failed(geo) ||
          failed(emitTileAddress(ib, loc, *base, full, tile, map)))
        return failure();
      auto [rowsX, colsX] = extents(full, tile, map, grid);
      int64_t e = elementBytes(full.getElementType());
      bool fullRows = tile.getRank() == 2 && tile.getDimSize(0) == tileRows;
      if (!fullRows) {
        ib.emit(loc, Opcode::Li, {kSramXfer}, {off});
        emitByExtent(ib, loc, grid, rowsX, colsX, [&](int64_t r, int64_t c) {
          ib.emit(loc, Opcode::DmaLd, {kSramXfer, kDram},
                  {r, c * e, geo->tileStride, geo->fullStride, loadSem});
        });
        ++broadcasts;
        continue;
      }
      int reg = kFirstBase + int(rowInputs.size());
      if (reg > kLastBase)
        return kernel.emitOpError("has more than ")
               << kLastBase - kFirstBase + 1
               << " row-chunked inputs; allocate it without row chunks";
      ib.emit(loc, Opcode::Mov, {reg, kDram});
      rowInputs.push_back(
          {reg, off, e, geo->tileStride, geo->fullStride, rowsX, colsX});
    }
    // Rows of chunk [r0, r0 + n) inside a tile whose extent is `rows`.
    auto inChunk = [](int64_t rows, int64_t r0, int64_t n) {
      return std::clamp<int64_t>(rows - r0, 0, n);
    };
    // SRAM row offset of chunk [r0, r0 + n) in a full-row buffer: its rows
    // in place, or the start of its buffer set when streaming.
    auto chunkOffset = [&](int64_t r0, int64_t rowStride) {
      return stream ? (r0 / step) % 2 * setBytes : r0 * rowStride;
    };
    auto loadChunk = [&](int64_t r0) {
      int64_t n = std::min(step, tileRows - r0);
      for (const RowInput &in : rowInputs) {
        ib.emit(loc, Opcode::Addi, {kDram, in.reg}, {r0 * in.fullStride});
        ib.emit(loc, Opcode::Li, {kSramXfer},
                {in.off + chunkOffset(r0, in.tileStride)});
        emitByExtent(ib, loc, grid, in.rowsX, in.colsX,
                     [&](int64_t r, int64_t c) {
                       ib.emit(loc, Opcode::DmaLd, {kSramXfer, kDram},
                               {inChunk(r, r0, n), c * in.e, in.tileStride,
                                in.fullStride, loadSem});
                     });
      }
    };
    if (stream)
      loadChunk(0); // later chunks: one ahead, in the loop below
    else
      for (int64_t r0 = 0; r0 < tileRows; r0 += step)
        loadChunk(r0);
    // The result's address, kept for the stores.
    Value yielded = kernel.getYield().getValue();
    if (kernel.getCrop())
      return kernel.emitOpError("with crop cannot be row-chunked");
    FailureOr<RowStores> stores = prepareRowStores(ib, kernel);
    if (failed(stores))
      return failure();
    winStream = stream;
    int64_t numChunks = 0, storesWaited = 0;
    for (int64_t r0 = 0; r0 < tileRows; r0 += step, ++numChunks) {
      int64_t n = std::min(step, tileRows - r0);
      if (stream && r0 + step < tileRows)
        loadChunk(r0 + step);
      int64_t wait = int64_t(rowInputs.size()) + (r0 == 0 ? broadcasts : 0);
      if (wait > 0)
        ib.emit(loc, Opcode::SemWait, {}, {loadSem, wait});
      if (stream && numChunks >= 2) {
        // Chunk c - 2's store (the oldest in flight) read this set.
        ib.emit(loc, Opcode::SemWait, {}, {storeSem, 1});
        ++storesWaited;
      }
      winSetOffset = chunkOffset(r0, 0);
      if (failed(lowerWindow(ib, body.without_terminator(), sram, tileRows, r0,
                             n))) {
        winStream = false;
        return failure();
      }
      emitRowStore(ib, loc, grid, *stores, r0, n,
                   sram.lookup(yielded) +
                       chunkOffset(r0, stores->geo.tileStride),
                   storeSem);
    }
    winStream = false;
    ib.emit(loc, Opcode::SemWait, {}, {storeSem, numChunks - storesWaited});
    return success();
  }

  static int64_t epilogueChunksOf(KernelOp kernel) {
    auto a = kernel->getAttrOfType<IntegerAttr>(kEpilogueChunksAttr);
    return a ? a.getInt() : 1;
  }
  /// Rows per chunk of a pipelined epilogue: multiples of 8 (the matrix
  /// unit's block height).
  static int64_t epilogueStep(int64_t rows, int64_t chunks) {
    return std::max<int64_t>(8, alignTo(ceilDivI(rows, chunks), 8));
  }

  /// Vector passes of an epilogue op over its tile, roughly (the ISA pass
  /// counts of docs/isa.md 6.2 summed over the op's instructions).
  static int64_t approxVectorPasses(Operation *op) {
    return llvm::TypeSwitch<Operation *, int64_t>(op)
        .Case<ExpOp, LogOp>([](auto) { return 8; })
        .Case<TanhOp>([](auto) { return 10; })
        .Case<DivOp, SqrtOp, ReciprocalOp>([](auto) { return 4; })
        .Case<RsqrtOp>([](auto) { return 8; })
        .Case<SigmoidOp>([](auto) { return 14; })
        .Case<GeluOp>([](auto) { return 18; })
        .Default([](auto) { return 1; });
  }

  /// Thread 0 of a kernel with dojo.epilogue_chunks: the first K slices as
  /// usual (whole tile per slice, as they arrive), then, once the rest are
  /// in, the last ones (enough to cover the epilogue's vector work) row
  /// chunk by row chunk; after
  /// each chunk's last product it signals the epilogue thread (semaphore
  /// sems[-2]) and at the end waits for it to finish (sems[-1]).
  /// Thread 0 of a kernel with a pipelined epilogue: the products, which
  /// hand the tile to thread 3 (spawned by `spawnE` after the first
  /// product unless every slice is chunked: its set-up then takes the
  /// scalar unit while the matrix unit works, not while the other threads
  /// issue their first loads) chunk by chunk of rows.
  LogicalResult lowerPipelinedMatmul(InstBuilder &ib, KernelOp kernel,
                                     const Streaming &stream,
                                     llvm::DenseMap<Value, int64_t> &sram,
                                     int64_t chunks, Operation *&spawnE) {
    Block &body = kernel.getBody().front();
    auto mm = cast<MatmulOp>(body.front());
    Location loc = mm.getLoc();
    ArrayRef<int64_t> sems = *kernel.getSems();
    int64_t semReady = sems[sems.size() - 2], semDone = sems.back();
    auto offAttr = mm->getAttrOfType<IntegerAttr>(kSramOffsetAttr);
    if (!offAttr)
      return mm.emitOpError("has no SRAM offset; run dojo-allocate-sram");
    int64_t out = offAttr.getInt();
    sram[mm.getResult()] = out;
    auto lhsTy = mm.getLhs().getType();
    auto resTy = mm.getResult().getType();
    int64_t m = resTy.getDimSize(0), k = lhsTy.getDimSize(1),
            n = resTy.getDimSize(1);
    int64_t acc = out;
    if (!resTy.getElementType().isF32()) {
      auto scratch = mm->getAttrOfType<IntegerAttr>(kScratchOffsetAttr);
      if (!scratch)
        return mm.emitOpError("has no accumulator; run dojo-allocate-sram");
      acc = scratch.getInt();
    }
    int64_t e = elementBytes(lhsTy.getElementType());
    int64_t lhs = sram.lookup(mm.getLhs()), rhs = sram.lookup(mm.getRhs());
    auto ranges = stream.chunks > 1 || stream.multicast ? stream.slices
                                                        : wholeSlices(mm);
    int64_t slices = int64_t(ranges.size());
    // Multiply chunk by chunk only as many of the last slices as it takes
    // to cover the epilogue thread's vector work (a rough count of passes
    // over the tile): the chunked slices wait until all of them are in, so
    // deferring more than needed stalls on loads.
    int64_t vectorCycles = 0;
    auto perTile = [&](Type elem, int64_t passes) {
      int64_t bytes = std::max<int64_t>(4, elementBytes(elem));
      return passes * m * ceilDivI(n * bytes, target->simd_bytes);
    };
    if (!resTy.getElementType().isF32())
      vectorCycles += perTile(resTy.getElementType(), 1);
    for (Operation &op : llvm::drop_begin(body.without_terminator()))
      vectorCycles += perTile(
          cast<RankedTensorType>(op.getResult(0).getType()).getElementType(),
          approxVectorPasses(&op));
    // And the stores: the cores store at about the same time, several
    // through one edge port; counted as a quarter mesh column of them
    // (measured on d1, 25088 x 64 x 256 folded: 10.4K -> 8.9K cycles;
    // half a column, 9 on d1, defers too much for the 1x1 convs of
    // stages 2 to 4: 25088 x 256 x 64 7.4K -> 8.7K).
    vectorCycles += m * n * elementBytes(resTy.getElementType()) /
                    std::max<int64_t>(1, target->noc_link_bpc) *
                    std::max<int64_t>(1, target->rows / 4);
    int64_t perSlice = ceilDivI(m, 8) * ceilDivI(n, 8) *
                       ceilDivI(ranges.back().second, 4) * 256 /
                       std::max<int64_t>(1, target->mac_per_cycle);
    int64_t deferred = std::clamp<int64_t>(
        ceilDivI(vectorCycles, std::max<int64_t>(1, perSlice)), 1, slices);
    int64_t deferFrom = slices - deferred;
    // With every slice deferred the first product is already a chunk.
    if (deferFrom == 0)
      spawnE = ib.emit(loc, Opcode::Tspawn, {}, {3, 0});
    auto waitSlice = [&](int64_t c) { emitSliceWait(ib, loc, stream, c); };
    // The product of slices [c, c1) (consecutive K ranges, one mm).
    auto product = [&](int64_t r0, int64_t rows, int64_t c,
                       int64_t c1 = -1) {
      if (c1 < 0)
        c1 = c + 1;
      int64_t k0 = ranges[c].first, kc = 0;
      for (int64_t d = c; d < c1; ++d)
        kc += ranges[d].second;
      ib.emit(loc, Opcode::Li, {kOpD}, {acc + r0 * n * 4});
      ib.emit(loc, Opcode::Li, {kOpA}, {aAddress(mm, lhs, r0, k0)});
      int64_t ldb = emitBAddress(ib, loc, stream, rhs, k0, n, e);
      ib.emit(loc, Opcode::Mm, {kOpD, kOpA, kOpB},
              {rows, n, kc, n, k, ldb, c == 0 ? 0 : 1,
               static_cast<int64_t>(num::DType::BF16)});
      if (!spawnE)
        spawnE = ib.emit(loc, Opcode::Tspawn, {}, {3, 0});
    };
    // With two B loaders per segment and sender prefetch (a packed grid
    // whose loaders could not keep up one to a segment: dojo-schedule),
    // the slices arrive ahead of the products from the third on, and two
    // slices are one product: one mm's latency and set-up less per pair
    // (measured on d1: ResNet-50's conv5 1x1 2048 -> 512, 16 slices, 7611
    // -> 7545 cycles; kernels without the doubled supply wait for their
    // second slice: conv5 3x3 16362 -> 17088).
    bool pairs = kernel->hasAttr(kPackedAttr) &&
                 kernel->hasAttr(kSenderPrefetchAttr) &&
                 senders(kernel).second > 1 && !mm.getWindow();
    for (int64_t c = 0; c < deferFrom;) {
      if (c == 0 && !stream.firstPieceEnds.empty()) {
        emitFirstSlicePieces(ib, loc, stream, m, [&](int64_t r0, int64_t rows) {
          product(r0, rows, 0);
        });
        ++c;
        continue;
      }
      int64_t c1 = pairs && c >= 2 ? std::min(c + 2, deferFrom) : c + 1;
      for (int64_t d = c; d < c1; ++d)
        waitSlice(d);
      product(0, m, c, c1);
      c = c1;
    }
    for (int64_t c = deferFrom; c < slices; ++c)
      waitSlice(c);
    int64_t step = epilogueStep(m, chunks);
    for (int64_t r0 = 0; r0 < m; r0 += step) {
      for (int64_t c = deferFrom; c < slices; ++c)
        product(r0, std::min(step, m - r0), c);
      ib.emit(loc, Opcode::SemSignal, {kCoreId}, {semReady, 1});
    }
    ib.emit(loc, Opcode::SemWait, {}, {semDone, 1});
    return success();
  }

  /// The epilogue thread (3) of a kernel with dojo.epilogue_chunks: per
  /// row chunk, once thread 0 signals it complete, the rounding of the
  /// FP32 products, the epilogue ops on the chunk's rows, and the chunk's
  /// store; then it waits for the stores and signals thread 0.
  LogicalResult emitEpilogueThread(InstBuilder &ib, KernelOp kernel,
                                   llvm::DenseMap<Value, int64_t> &sram,
                                   int64_t chunks) {
    Block &body = kernel.getBody().front();
    auto mm = cast<MatmulOp>(body.front());
    Location loc = kernel.getLoc();
    ArrayRef<int64_t> sems = *kernel.getSems();
    int64_t storeSem = sems[1];
    int64_t semReady = sems[sems.size() - 2], semDone = sems.back();
    auto resTy = mm.getResult().getType();
    int64_t m = resTy.getDimSize(0), n = resTy.getDimSize(1);
    int64_t out = sram.lookup(mm.getResult());
    bool convert = !resTy.getElementType().isF32();
    int64_t acc = convert
                      ? mm->getAttrOfType<IntegerAttr>(kScratchOffsetAttr).getInt()
                      : out;
    num::DType dt = num::DType::F32;
    toDType(resTy.getElementType(), dt);
    // A new thread starts with zeroed registers and every edge.
    emitEdgeRoutes(ib, loc);
    ib.emit(loc, Opcode::Csrr, {kCoreId},
            {static_cast<int64_t>(isa::Csr::CoreId)});
    emitGridPoint(ib, loc, kernel, nullptr);
    ArrayRef<int64_t> grid = kernel.getGrid();
    FailureOr<RowStores> stores = prepareRowStores(ib, kernel);
    if (failed(stores))
      return failure();
    Value yielded = kernel.getYield().getValue();
    int64_t step = epilogueStep(m, chunks), count = 0;
    for (int64_t r0 = 0; r0 < m; r0 += step) {
      int64_t rows = std::min(step, m - r0);
      ib.emit(loc, Opcode::SemWait, {}, {semReady, 1});
      if (convert) {
        ib.emit(loc, Opcode::Li, {kOpA},
                {out + r0 * n * elementBytes(resTy.getElementType())});
        ib.emit(loc, Opcode::Li, {kOpD}, {acc + r0 * n * 4});
        ib.emit(loc, Opcode::Vcvt, {kOpA, kOpD},
                {rows, n, n, n, static_cast<int64_t>(dt),
                 static_cast<int64_t>(num::DType::F32)});
      }
      auto epilogue = llvm::drop_begin(body.without_terminator());
      if (failed(lowerWindow(ib, {epilogue.begin(), epilogue.end()}, sram, m,
                             r0, rows)))
        return failure();
      count += emitRowStore(ib, loc, grid, *stores, r0, rows,
                            sram.lookup(yielded) + r0 * stores->geo.tileStride,
                            storeSem);
    }
    emitStoreWait(ib, loc, *stores, storeSem, count);
    ib.emit(loc, Opcode::SemSignal, {kCoreId}, {semDone, 1});
    ib.emit(loc, Opcode::Halt, {});
    return success();
  }

  /// Code of a sender thread: load every K slice of input `idx` (A row
  /// block when `alongRow`, else B column block) from edge memory, then
  /// multicast it to the same SRAM address of every core of this core's
  /// mesh row (columns C[0]..C[gn-1]) or mesh column (rows R[0]..R[gm-1]).
  LogicalResult emitSender(InstBuilder &ib, KernelOp kernel, int64_t idx,
                           bool alongRow) {
    if (!alongRow && kernel->hasAttr(kBBroadcastAttr))
      return emitBroadcastB(ib, kernel, idx);
    Location loc = kernel.getLoc();
    ArrayRef<int64_t> sems = *kernel.getSems();
    int64_t dramSem = alongRow ? sems[4] : sems[5];
    auto [sa, sb] = senders(kernel);
    int64_t count = alongRow ? sa : sb;
    // With halo exchange: the halo's semaphore, then its put's.
    bool exchange = kernel->hasAttr(kHaloExchangeAttr);
    int64_t haloSem = exchange ? sems[6 + (sa - 1) + (sb - 1)] : -1;
    int64_t haloPutSem = exchange ? sems[6 + (sa - 1) + (sb - 1) + 1] : -1;
    auto streamSem = [&, sa = sa](int64_t j) {
      if (j == 0)
        return alongRow ? sems[2] : sems[3];
      return alongRow ? sems[6 + j - 1] : sems[6 + (sa - 1) + j - 1];
    };
    // A new thread starts with zeroed registers.
    ib.emit(loc, Opcode::Csrr, {kCoreId},
            {static_cast<int64_t>(isa::Csr::CoreId)});
    emitGridPoint(ib, loc, kernel, nullptr);
    Value input = kernel.getInputs()[idx];
    // With im2col, A's addresses come from emitIm2colRows; its logical
    // type gives the tile's place.
    auto full = kernel.getIm2col()
                    ? kernel.logicalInputType(idx)
                    : cast<RankedTensorType>(input.getType());
    auto tile = kernel.inputTileType(idx);
    if (failed(emitTileAddress(
            ib, loc, dramOffset.lookup(input), full,
            kernel.inputBlockType(idx),
            cast<AffineMapAttr>(kernel.getMaps()[idx]).getValue())))
      return failure();
    ib.emit(loc, Opcode::Mov, {kABase, kDram});
    ArrayRef<int64_t> grid = kernel.getGrid();
    ArrayRef<int64_t> rows = *kernel.getPlaceRows(), cols = *kernel.getPlaceCols();
    // Destination rectangles, as variants: a variant applies to the senders
    // of one grid column (`guard`, or -1 for every sender) and lists the
    // rectangles each slice is multicast to. A rectangle whose `row`/`col`
    // is -1 takes the sender's own mesh row/column (CSR); a `col` of
    // kRelative starts at the sender's own column minus its offset in the
    // span (relOffsets). Cores in a rectangle that are not in the program
    // (dropped rows / columns, disabled cores) are skipped by the multicast.
    struct Rect {
      int64_t row, col, height, width;
    };
    constexpr int64_t kRelative = -2;
    // A variant's senders send the slices j, j + count, ... of their own
    // j (this core's grid column for A, row for B), one code path per j;
    // a segment's sender sends those of `sender` (or, with kEverySlice,
    // every slice, each on its j's semaphore).
    constexpr int64_t kOwnSlices = -1, kEverySlice = -2;
    struct Variant {
      int64_t guardCol, guardRow; // -1: any
      Rect rect;
      int64_t sender = kOwnSlices;
    };
    SmallVector<Variant> variants;
    bool packed = kernel->hasAttr(kPackedAttr);
    int64_t fold = kernel.foldFactor();
    // Sender j's column offset from the start of its span, for spans that
    // are relative to the sender (Rect::col == kRelative).
    SmallVector<int64_t> relOffsets;
    if (alongRow && (packed || fold > 1)) {
      // A packed or folded grid row: its grid columns 0..gn-1 are gn
      // consecutive program cores of one mesh row, at most with disabled
      // cores in between. The span starts at the sender's own column minus
      // its offset in the span; rows whose span has another width or other
      // sender offsets get their own code path.
      struct Span {
        Rect rect;
        SmallVector<int64_t> offsets;
      };
      SmallVector<Span> spans;
      for (int64_t i = 0; i < grid[0]; ++i) {
        auto [c0, c1] = rowSpan(kernel, i);
        Span span{{-1, c0, 1, c1 - c0 + 1}, {}};
        for (int64_t j = 0; j < count; ++j)
          span.offsets.push_back(meshCol(kernel, i, aSenderCol(kernel, i, j)) -
                                 c0);
        spans.push_back(std::move(span));
      }
      auto same = [](const Span &x, const Span &y) {
        return x.rect.width == y.rect.width && x.offsets == y.offsets;
      };
      const Span *common = &spans.front();
      int64_t best = 0;
      for (const Span &span : spans) {
        int64_t n = llvm::count_if(spans, [&](const Span &o) {
          return same(o, span);
        });
        if (n > best)
          best = n, common = &span;
      }
      for (auto [i, span] : llvm::enumerate(spans))
        if (!same(span, *common))
          variants.push_back({-1, int64_t(i), span.rect});
      relOffsets = common->offsets;
      Rect rel = common->rect;
      rel.col = kRelative;
      variants.push_back({-1, -1, rel});
    } else if (alongRow) {
      variants.push_back(
          {-1, -1,
           {-1, cols.front(), 1, cols[grid[1] - 1] - cols.front() + 1}});
    } else if (usesSegments(kernel)) {
      // Grid column j of a packed or folded placement is not one mesh
      // column: each mesh row of a packed placement skips its own disabled
      // core, and a folded grid column sits in one mesh column per fold.
      // One core of every straight segment (Segment::loader) loads the
      // slices itself and multicasts them over its segment (one code path
      // per segment).
      // With two senders per segment (dojo.senders), the loader sends the
      // even slices and Segment::second the odd ones; a segment of one core
      // sends them all.
      for (auto [j, segs] : llvm::enumerate(packedSegments(kernel)))
        for (const Segment &seg : segs) {
          Rect rect{meshRow(kernel, seg.first), seg.col,
                    meshRow(kernel, seg.last) - meshRow(kernel, seg.first) + 1,
                    1};
          bool pair = seg.second >= 0;
          variants.push_back({int64_t(j), seg.loader, rect,
                              pair || count == 1 ? 0 : kEverySlice});
          if (pair)
            variants.push_back({int64_t(j), seg.second, rect, 1});
        }
    } else {
      variants.push_back(
          {-1, -1,
           {rows.front(), -1, rows[grid[0] - 1] - rows.front() + 1, 1}});
    }
    int64_t e = elementBytes(tile.getElementType());
    int64_t off = (*kernel.getArgOffsets())[idx];
    int64_t k = alongRow ? tile.getDimSize(1) : tile.getDimSize(0);
    auto ranges = kSlices(k, kernel.getKChunks().value_or(1),
                          kernel->hasAttr(kSplitFirstSliceAttr));
    // A window product's A tile goes in row chunks of all its columns
    // (windowChunks): `ranges` then holds rows.
    auto mmOp = cast<MatmulOp>(kernel.getBody().front().front());
    bool rowChunks = alongRow && mmOp.getWindow().has_value();
    if (rowChunks) {
      ranges.clear();
      for (const WindowChunk &chunk : windowChunks(kernel, mmOp))
        ranges.push_back({chunk.r0, chunk.r1 - chunk.r0});
    }
    // Sender j (this core's grid column for A, row for B) sends slices
    // j, j + S, ...: one code path per j.
    int senderReg = alongRow ? emitASenderIndex(ib, loc, kernel) : kGrid0;
    // A grid row of a single core loads its own A (no multicast).
    bool alone = alongRow && grid[1] == 1;
    // Then every core of the kernel loads: spread them over the edges.
    if (alone)
      emitEdgeRoutes(ib, loc);
    // A senders multicast along their mesh row while B goes down the mesh
    // columns (a broadcast B down every column), so they load over their
    // row's links, from the nearer of E and W (edge-routes=balanced).
    // Measured on d1 against the nearest edge: ResNet-50's conv3 1x1 512
    // -> 128 (folded, a broadcast B) 7974 -> 7543 cycles, conv4 3x3 17855
    // -> 17664, conv4 1x1 256 -> 1024 6221 -> 6134; the other bench rows
    // within 0.3 %.
    if (alongRow && !alone && edgeRoutes == "balanced") {
      ib.emit(loc, Opcode::Li, {kTmp}, {isa::kEdgeE | isa::kEdgeW});
      ib.emit(loc, Opcode::Csrw, {kTmp},
              {static_cast<int64_t>(isa::Csr::EdgeMask)});
    }
    if (!alongRow && rotatesASenders(kernel) && edgeRoutes == "balanced") {
      ib.emit(loc, Opcode::Li, {kTmp}, {isa::kEdgeN | isa::kEdgeS});
      ib.emit(loc, Opcode::Csrw, {kTmp},
              {static_cast<int64_t>(isa::Csr::EdgeMask)});
    }
    // Variants that all name a grid column (a packed grid's B segments)
    // are found by a binary search on it: each column's first variant.
    SmallVector<int64_t> guardCols;
    for (const Variant &variant : variants)
      if (guardCols.empty() || guardCols.back() != variant.guardCol)
        guardCols.push_back(variant.guardCol);
    bool dispatch = variants.size() > 2 && llvm::is_sorted(guardCols) &&
                    guardCols.front() >= 0;
    SmallVector<Operation *> toColumn;
    if (dispatch)
      toColumn = emitDispatch(ib, loc, kGrid0 + 1, guardCols);
    for (auto [vi, variant] : llvm::enumerate(variants)) {
      if (dispatch && (vi == 0 || variants[vi - 1].guardCol != variant.guardCol))
        patchTarget(toColumn[llvm::find(guardCols, variant.guardCol) -
                             guardCols.begin()],
                    ib.getPc());
      SmallVector<Operation *> notMine;
      if (variant.guardCol >= 0) {
        ib.emit(loc, Opcode::Li, {kTmp}, {variant.guardCol});
        notMine.push_back(ib.emit(loc, Opcode::Bne, {kGrid0 + 1, kTmp}, {0}));
      }
      if (variant.guardRow >= 0) {
        ib.emit(loc, Opcode::Li, {kTmp}, {variant.guardRow});
        notMine.push_back(ib.emit(loc, Opcode::Bne, {kGrid0, kTmp}, {0}));
      }
      const Rect &rect = variant.rect;
      if (rect.row < 0)
        ib.emit(loc, Opcode::Csrr, {kOpA}, {static_cast<int64_t>(isa::Csr::Row)});
      else
        ib.emit(loc, Opcode::Li, {kOpA}, {rect.row});
      if (rect.col < 0)
        ib.emit(loc, Opcode::Csrr, {kOpB}, {static_cast<int64_t>(isa::Csr::Col)});
      else
        ib.emit(loc, Opcode::Li, {kOpB}, {rect.col});
      for (int64_t j = 0; j < count; ++j) {
        if ((variant.sender >= 0 && j != variant.sender) ||
            (variant.sender == kEverySlice && j > 0))
          continue;
        // Slices c = j, j + step, ... (every slice with kEverySlice).
        int64_t step = variant.sender == kEverySlice ? 1 : count;
        Operation *other = nullptr;
        if (count > 1 && variant.sender == kOwnSlices) {
          ib.emit(loc, Opcode::Li, {kTmp}, {j});
          other = ib.emit(loc, Opcode::Bne, {senderReg, kTmp}, {0});
        }
        if (rect.col == kRelative) {
          ib.emit(loc, Opcode::Csrr, {kOpB},
                  {static_cast<int64_t>(isa::Csr::Col)});
          ib.emit(loc, Opcode::Addi, {kOpB, kOpB}, {-relOffsets[j]});
        }
        // Geometry of slice c in the tile (SRAM) and in the tensor: a
        // column slice of A, a row slice of B, or a row chunk of a window
        // product's A.
        bool byRows = !alongRow || rowChunks;
        int64_t tileStride = tile.getDimSize(1) * e;
        int64_t fullStride = full.getDimSize(1) * e;
        auto sramOffOf = [&](int64_t c) {
          auto [k0, kc] = ranges[c];
          return off + (byRows ? k0 * tileStride : k0 * e);
        };
        // Loads counted in a register (emitPaddedWait): a zero-padded
        // image (pad_input) or an im2col.
        bool im2col = alongRow && kernel.getIm2col().has_value();
        bool padded =
            alongRow && (kernel.getPadInput().has_value() || im2col);
        bool halo = rowChunks && kernel->hasAttr(kHaloExchangeAttr) &&
                    ranges.size() > 1;
        assert(!(halo && (padded || alone || packed || fold > 1)) &&
               "halo exchange on a kernel the schedule does not give it");
        auto load = [&](int64_t c, int64_t sem = -1) {
          if (sem < 0)
            sem = dramSem;
          auto [k0, kc] = ranges[c];
          if (im2col) {
            // Columns [k0, k0 + kc) of the tile's im2col rows.
            emitIm2colRows(ib, loc, kernel, 0, tile.getDimSize(0), k0, kc,
                           off, tileStride, sem, kPadIssued);
            return;
          }
          if (padded) {
            // Rows of the zero-padded image (KernelOp pad_input).
            emitPaddedRows(ib, loc, kernel, rowChunks ? k0 : 0,
                           rowChunks ? kc : tile.getDimSize(0), sramOffOf(c),
                           sem, kPadIssued);
            return;
          }
          int64_t dramOff = byRows ? k0 * fullStride : k0 * e;
          ib.emit(loc, Opcode::Addi, {kDram, kABase}, {dramOff});
          ib.emit(loc, Opcode::Li, {kSramXfer}, {sramOffOf(c)});
          // Only the part of a ragged tile inside the tensor comes from edge
          // memory; the multicast sends the whole tile.
          auto [rowsX, colsX] = extents(
              full, tile,
              cast<AffineMapAttr>(kernel.getMaps()[idx]).getValue(), grid,
              kernel.inputHalo(idx));
          emitByExtent(ib, loc, grid, alongRow ? rowsX : fixedExtent(kc),
                       alongRow && !rowChunks ? fixedExtent(kc) : colsX,
                       [&, k0 = k0, kc = kc](int64_t r, int64_t c) {
                         // A row chunk: the tile's valid rows within it.
                         if (rowChunks)
                           r = std::clamp<int64_t>(r - k0, 0, kc);
                         ib.emit(loc, Opcode::DmaLd, {kSramXfer, kDram},
                                 {r, c * e, tileStride, fullStride, sem});
                       });
        };
        // With kSenderPrefetchAttr the load of the sender's next slice is
        // in flight while it multicasts the current one (the slices have
        // their own SRAM ranges of the tile).
        // Not padded chunks (pad_input): their loads' scalar work would
        // stand between the current chunk's wait and its multicast, and
        // the next load holds the one DMA engine ahead of it (measured on
        // d1, ResNet-50's conv4 3x3: 18589 -> 22239 cycles).
        // A segment of one core (a spare's B, a row of its own in a band)
        // multicasts to nobody else: the load is the delivery, one slice
        // ahead (issued at once, a row of such cores floods its links).
        if (!alongRow && (variant.sender == kEverySlice || count == 1) &&
            rect.height == 1 && rect.width == 1 && !padded) {
          int64_t n = int64_t(ranges.size());
          load(0);
          for (int64_t c = 0; c < n; ++c) {
            if (c + 1 < n)
              load(c + 1);
            ib.emit(loc, Opcode::SemWait, {}, {dramSem, 1});
            ib.emit(loc, Opcode::SemSignal, {kCoreId},
                    {streamSem(c % count), 1});
          }
          ib.emit(loc, Opcode::Halt, {});
          continue;
        }
        bool prefetch = !halo && !padded &&
                        kernel->hasAttr(kSenderPrefetchAttr) && !alone;
        if (prefetch && j < int64_t(ranges.size()))
          load(j);
        for (int64_t c = j; c < int64_t(ranges.size()); c += step) {
          auto [k0, kc] = ranges[c];
          int64_t nrows = byRows ? kc : tile.getDimSize(0);
          int64_t rowBytes = byRows ? tile.getDimSize(1) * e : kc * e;
          // With halo exchange only the last grid row loads the chunks
          // after the first (the others get them from the next grid row).
          Operation *notLast = nullptr;
          if (halo && c > 0) {
            ib.emit(loc, Opcode::Li, {kTmp}, {grid[0] - 1});
            notLast = ib.emit(loc, Opcode::Bne, {kGrid0, kTmp}, {0});
          }
          // A multicast sender issues its next slice's load once the current
          // slice has landed, ahead of the current multicast: one load in
          // flight, started on an idle engine. (Measured on d1, cross, when
          // a queued transfer still reserved its route at issue: conv5 1x1
          // 2048 -> 512 9498 -> 9226 cycles against a load before the wait;
          // with the engine queue, two loads ahead or the load after the
          // multicast were measured slower: conv4 3x3 17855 -> 18453,
          // conv5 1x1 2048 -> 512 7856 -> 8359.)
          bool late = !alone;
          if (!prefetch)
            load(c);
          else if (!late && c + step < int64_t(ranges.size()))
            load(c + step);
          if (padded)
            emitPaddedWait(ib, loc, dramSem, kPadIssued);
          else
            ib.emit(loc, Opcode::SemWait, {}, {dramSem, 1});
          if (prefetch && late && c + step < int64_t(ranges.size()))
            load(c + step);
          // r7 holds the next slice's address (prefetch) or the last
          // padded row's (pad_input).
          if (prefetch || padded)
            ib.emit(loc, Opcode::Li, {kSramXfer}, {sramOffOf(c)});
          if (alone) {
            // A grid row of one core: the load is the delivery. Loads go
            // one at a time (issued at once, they would queue ahead of
            // everyone's first slices on the shared links), except for the
            // short padded chunks above.
            ib.emit(loc, Opcode::SemSignal, {kCoreId}, {streamSem(c % count), 1});
            continue;
          }
          ib.emit(loc, Opcode::DmaMcast, {kSramXfer, kSramXfer, kOpA, kOpB},
                  {nrows, rowBytes, tileStride, tileStride, streamSem(c % count),
                   rect.height, rect.width});
          if (notLast)
            patchTarget(notLast, ib.getPc());
          if (halo && c == 0)
            emitHaloSend(ib, loc, kernel, tile, off, rowBytes, rect.width,
                         haloSem, haloPutSem);
        }
        ib.emit(loc, Opcode::Halt, {});
        if (other)
          patchTarget(other, ib.getPc());
      }
      for (Operation *op : notMine)
        patchTarget(op, ib.getPc());
    }
    // Every sender halted above; a core without a variant stops.
    if (variants.back().guardCol >= 0 || variants.back().guardRow >= 0)
      ib.emit(loc, Opcode::Halt, {});
    return success();
  }

  /// Halo exchange (kHaloExchangeAttr), by grid row i's first A sender
  /// once it has its first row chunk (tile rows [0, r1)) and has multicast
  /// it: unless i is 0, it puts its tile rows [r1 - block, halo), which are
  /// grid row i - 1's rows [r1, block + halo) (the halo past that row's
  /// first chunk), into the same rows of grid row i - 1's first A sender
  /// (one hop up its mesh column; semaphore `putSem`); unless i is the last
  /// grid row, it waits for the same from grid row i + 1 and multicasts
  /// those rows over its own row (`width` cores from kOpB) on semaphore
  /// `sem`. (A multicast straight from row i + 1 would climb every mesh
  /// column of the grid, across the B slices coming down them.)
  void emitHaloSend(InstBuilder &ib, Location loc, KernelOp kernel,
                    RankedTensorType tile, int64_t off, int64_t rowBytes,
                    int64_t width, int64_t sem, int64_t putSem) {
    auto mm = cast<MatmulOp>(kernel.getBody().front().front());
    int64_t rows = tile.getDimSize(0);
    int64_t block = rows - kernel.inputHalo(
                               cast<BlockArgument>(mm.getLhs()).getArgNumber());
    int64_t r1 = windowChunks(mm).front().r1;
    ib.emit(loc, Opcode::Li, {kTmp}, {0});
    Operation *first = ib.emit(loc, Opcode::Beq, {kGrid0, kTmp}, {0});
    // Grid point (i - 1, 0) is core (i - 1) * numCols (cross placement).
    ib.emit(loc, Opcode::Addi, {kTmp, kCoreId}, {-numCols});
    ib.emit(loc, Opcode::Li, {kSramXfer}, {off + (r1 - block) * rowBytes});
    ib.emit(loc, Opcode::Li, {kDram}, {off + r1 * rowBytes});
    ib.emit(loc, Opcode::DmaPut, {kDram, kSramXfer, kTmp},
            {rows - r1, rowBytes, rowBytes, rowBytes, putSem});
    patchTarget(first, ib.getPc());
    ib.emit(loc, Opcode::Li, {kTmp}, {kernel.getGrid()[0] - 1});
    Operation *last = ib.emit(loc, Opcode::Beq, {kGrid0, kTmp}, {0});
    ib.emit(loc, Opcode::SemWait, {}, {putSem, 1});
    ib.emit(loc, Opcode::Li, {kSramXfer}, {off + r1 * rowBytes});
    ib.emit(loc, Opcode::DmaMcast, {kSramXfer, kSramXfer, kOpA, kOpB},
            {rows - r1, rowBytes, rowBytes, rowBytes, sem, 1, width});
    patchTarget(last, ib.getPc());
  }

  /// Grid row of the core (in column 0) that loads and broadcasts slices
  /// t, t + S, ... of a broadcast B: the S loaders spread over the kernel's
  /// placement rows, so their edge loads take different ports.
  int64_t broadcastLoaderRow(KernelOp kernel, int64_t t) {
    return t * kernel.foldedRows() / senders(kernel).second;
  }
  /// Pieces of each A slice of a kernel with kAGatherAttr: bands of
  /// ceil(tm / gn) rows, one per grid column from the first (the last
  /// columns may have none).
  int64_t gatherPieces(KernelOp kernel) {
    int64_t tm = kernel.inputTileType(0).getDimSize(0);
    int64_t band = ceilDivI(tm, kernel.getGrid()[1]);
    return ceilDivI(tm, band);
  }

  /// Thread 1 of every core of a kernel with kAGatherAttr (A is input
  /// `idx`): loads this core's band of rows of each K slice of the A tile
  /// and multicasts it over the core's span of its mesh row, on
  /// semsA[c % 2]. Slices 0 and 1 go at once; slice c >= 2 waits for one
  /// count on `gatherPermSem`, which thread 0 adds after its wait for slice
  /// c - 1. So a piece of slice c reaches no core before every piece of
  /// slice c - 2 (the same semaphore) reached every core: its sender had
  /// every piece of slice c - 1, each sent after its sender's multicast of
  /// slice c - 2 had finished (the DMA engine is serial). The load of slice
  /// c + 2's band follows the multicast of slice c. A core without a band
  /// (the last grid columns when there are fewer bands than columns) takes
  /// its permissions and halts.
  LogicalResult emitGatherThread(InstBuilder &ib, KernelOp kernel,
                                 int64_t idx, const Streaming &stream) {
    Location loc = kernel.getLoc();
    ArrayRef<int64_t> grid = kernel.getGrid();
    Value input = kernel.getInputs()[idx];
    auto full = cast<RankedTensorType>(input.getType());
    auto tile = kernel.inputTileType(idx);
    auto geo = geometry(loc, full, tile);
    if (failed(geo))
      return failure();
    int64_t tileStride = geo->tileStride, fullStride = geo->fullStride;
    // A new thread starts with zeroed registers.
    ib.emit(loc, Opcode::Csrr, {kCoreId},
            {static_cast<int64_t>(isa::Csr::CoreId)});
    emitGridPoint(ib, loc, kernel, nullptr);
    if (failed(emitTileAddress(
            ib, loc, dramOffset.lookup(input), full, kernel.inputBlockType(idx),
            cast<AffineMapAttr>(kernel.getMaps()[idx]).getValue())))
      return failure();
    int64_t tm = tile.getDimSize(0), e = elementBytes(tile.getElementType());
    int64_t pieces = gatherPieces(kernel), band = ceilDivI(tm, grid[1]);
    int64_t lastRows = tm - (pieces - 1) * band;
    int64_t off = (*kernel.getArgOffsets())[idx];
    int64_t dramSem = (*kernel.getSems())[4];
    int64_t slices = int64_t(stream.slices.size());
    Extent rowsX =
        extents(full, tile,
                cast<AffineMapAttr>(kernel.getMaps()[idx]).getValue(), grid,
                kernel.inputHalo(idx))
            .first;
    // A core without a band: its permissions, then halt.
    ib.emit(loc, Opcode::Li, {kTmp}, {pieces - 1});
    Operation *hasBand = ib.emit(loc, Opcode::Bge, {kTmp, kGrid0 + 1}, {0});
    for (int64_t c = 1; c < slices; ++c)
      ib.emit(loc, Opcode::SemWait, {}, {stream.gatherPermSem, 1});
    ib.emit(loc, Opcode::Halt, {});
    patchTarget(hasBand, ib.getPc());
    // Each grid row multicasts over its span of mesh columns; on a packed
    // placement the spans differ from row to row (kGatherCol and
    // kGatherWidth, set by grid row; the most common span needs no
    // branch).
    using Span = std::pair<int64_t, int64_t>; // first column, width
    auto spanOf = [&](int64_t i) -> Span {
      auto [c0, c1] = rowSpan(kernel, i);
      return {c0, c1 - c0 + 1};
    };
    SmallVector<Span> spans;
    for (int64_t i = 0; i < grid[0]; ++i)
      spans.push_back(spanOf(i));
    Span common = spanOf(0);
    for (const Span &span : spans)
      if (llvm::count(spans, span) > llvm::count(spans, common))
        common = span;
    SmallVector<int64_t> widths = {common.second};
    for (const Span &span : spans)
      if (!llvm::is_contained(widths, span.second))
        widths.push_back(span.second);
    ib.emit(loc, Opcode::Li, {kGatherCol}, {common.first});
    ib.emit(loc, Opcode::Li, {kGatherWidth}, {common.second});
    for (auto [i, span] : llvm::enumerate(spans)) {
      if (span == common)
        continue;
      ib.emit(loc, Opcode::Li, {kTmp}, {int64_t(i)});
      Operation *other = ib.emit(loc, Opcode::Bne, {kGrid0, kTmp}, {0});
      ib.emit(loc, Opcode::Li, {kGatherCol}, {span.first});
      ib.emit(loc, Opcode::Li, {kGatherWidth}, {span.second});
      patchTarget(other, ib.getPc());
    }
    // Rows of grid column j's band inside the tensor, in a tile of the
    // other grid rows and of the last (ragged) one.
    using Rows = std::pair<int64_t, int64_t>;
    auto rowsOf = [&](int64_t j) -> Rows {
      int64_t r0 = j * band, n = std::min(band, tm - r0);
      auto valid = [&](int64_t tileRows) {
        return std::clamp<int64_t>(tileRows - r0, 0, n);
      };
      return {valid(rowsX.normal),
              valid(rowsX.gridDim < 0 ? rowsX.normal : rowsX.last)};
    };
    // The band's addresses in SRAM and edge memory: r0 = column * band.
    ib.emit(loc, Opcode::Muli, {kGatherSram, kGrid0 + 1}, {band * tileStride});
    ib.emit(loc, Opcode::Addi, {kGatherSram, kGatherSram}, {off});
    ib.emit(loc, Opcode::Muli, {kGatherDram, kGrid0 + 1}, {band * fullStride});
    ib.emit(loc, Opcode::Add, {kGatherDram, kGatherDram, kDram});
    ib.emit(loc, Opcode::Csrr, {kGatherRow},
            {static_cast<int64_t>(isa::Csr::Row)});
    // One code path for the columns whose bands are like column 0's, one
    // for each other column; a band with no rows in the tensor counts its
    // semaphore itself (its multicast sends it as it is, like a ragged
    // tile's).
    Rows usual = rowsOf(0);
    SmallVector<int64_t> special;
    for (int64_t j = 1; j < pieces; ++j)
      if (rowsOf(j) != usual)
        special.push_back(j);
    auto loadBand = [&](int64_t c) {
      auto [k0, kc] = stream.slices[c];
      auto path = [&](Rows rows) {
        ib.emit(loc, Opcode::Addi, {kSramXfer, kGatherSram}, {k0 * e});
        ib.emit(loc, Opcode::Addi, {kABase, kGatherDram}, {k0 * e});
        auto one = [&](int64_t r) {
          if (r > 0)
            ib.emit(loc, Opcode::DmaLd, {kSramXfer, kABase},
                    {r, kc * e, tileStride, fullStride, dramSem});
          else
            ib.emit(loc, Opcode::SemSignal, {kCoreId}, {dramSem, 1});
        };
        // The last grid row's band may be shorter (a ragged tile).
        Extent bandRows = rows.first == rows.second
                              ? fixedExtent(rows.first)
                              : Extent{rowsX.gridDim, rows.first, rows.second};
        emitByExtent(ib, loc, grid, bandRows, fixedExtent(1),
                     [&](int64_t r, int64_t) { one(r); });
      };
      SmallVector<Operation *> toSpecial, toEnd;
      for (int64_t j : special) {
        ib.emit(loc, Opcode::Li, {kTmp}, {j});
        toSpecial.push_back(ib.emit(loc, Opcode::Beq, {kGrid0 + 1, kTmp}, {0}));
      }
      path(usual);
      toEnd.push_back(ib.emit(loc, Opcode::Jmp, {}, {0}));
      for (auto [j, branch] : llvm::zip(special, toSpecial)) {
        patchTarget(branch, ib.getPc());
        path(rowsOf(j));
        toEnd.push_back(ib.emit(loc, Opcode::Jmp, {}, {0}));
      }
      for (Operation *op : toEnd)
        patchTarget(op, ib.getPc());
    };
    // The multicast of this core's piece of slice c: `rows` rows over the
    // span (one code path per span width).
    auto send = [&](int64_t c, int64_t rows) {
      auto [k0, kc] = stream.slices[c];
      int64_t sem = stream.semsA[c % stream.semsA.size()];
      SmallVector<Operation *> toWidth, toEnd;
      for (int64_t w : llvm::drop_begin(widths)) {
        ib.emit(loc, Opcode::Li, {kTmp}, {w});
        toWidth.push_back(ib.emit(loc, Opcode::Beq, {kGatherWidth, kTmp}, {0}));
      }
      for (auto [k, w] : llvm::enumerate(widths)) {
        if (k > 0)
          patchTarget(toWidth[k - 1], ib.getPc());
        ib.emit(loc, Opcode::DmaMcast,
                {kSramXfer, kSramXfer, kGatherRow, kGatherCol},
                {rows, kc * e, tileStride, tileStride, sem, 1, w});
        if (k + 1 < widths.size())
          toEnd.push_back(ib.emit(loc, Opcode::Jmp, {}, {0}));
      }
      for (Operation *op : toEnd)
        patchTarget(op, ib.getPc());
    };
    for (int64_t c = 0; c < std::min<int64_t>(2, slices); ++c)
      loadBand(c);
    for (int64_t c = 0; c < slices; ++c) {
      auto [k0, kc] = stream.slices[c];
      if (c >= 1)
        ib.emit(loc, Opcode::SemWait, {}, {stream.gatherPermSem, 1});
      ib.emit(loc, Opcode::SemWait, {}, {dramSem, 1});
      ib.emit(loc, Opcode::Addi, {kSramXfer, kGatherSram}, {k0 * e});
      if (lastRows == band) {
        send(c, band);
      } else {
        ib.emit(loc, Opcode::Li, {kTmp}, {pieces - 1});
        Operation *notLast = ib.emit(loc, Opcode::Bne, {kGrid0 + 1, kTmp}, {0});
        send(c, lastRows);
        Operation *sent = ib.emit(loc, Opcode::Jmp, {}, {0});
        patchTarget(notLast, ib.getPc());
        send(c, band);
        patchTarget(sent, ib.getPc());
      }
      if (c + 2 < slices)
        loadBand(c + 2);
    }
    ib.emit(loc, Opcode::Halt, {});
    return success();
  }

  /// Grid column of the broadcast loaders: the first that is not an A
  /// sender (the DMA engine is serial), if there is one.
  int64_t broadcastLoaderCol(KernelOp kernel) {
    int64_t sa = senders(kernel).first;
    return sa < kernel.getGrid()[1] ? sa : 0;
  }

  /// The mesh rectangle a broadcast B goes to: every program core of the
  /// kernel's placement rows (rows, first column, height, width).
  std::array<int64_t, 4> broadcastRect(KernelOp kernel) {
    ArrayRef<int64_t> rows = *kernel.getPlaceRows(),
                      cols = *kernel.getPlaceCols();
    int64_t used = kernel.foldedRows();
    int64_t width = kernel->hasAttr(kPackedAttr)
                        ? int64_t(cols.size() / rows.size())
                        : int64_t(cols.size());
    int64_t lo = INT64_MAX, hi = -1;
    for (int64_t r = 0; r < used; ++r)
      for (int64_t c = 0; c < width; ++c) {
        int64_t mc = kernel->hasAttr(kPackedAttr) ? cols[r * width + c] : cols[c];
        lo = std::min(lo, mc);
        hi = std::max(hi, mc);
      }
    return {rows[0], lo, rows[used - 1] - rows[0] + 1, hi - lo + 1};
  }

  /// The B thread of a loader of a broadcast B (dojo.b_broadcast): loads
  /// its K slices of the whole B from edge memory into rows of
  /// grid[1] * tn elements and multicasts each to broadcastRect.
  LogicalResult emitBroadcastB(InstBuilder &ib, KernelOp kernel, int64_t idx) {
    Location loc = kernel.getLoc();
    ArrayRef<int64_t> sems = *kernel.getSems();
    auto [sa, sb] = senders(kernel);
    int64_t dramSem = sems[5];
    ib.emit(loc, Opcode::Csrr, {kCoreId},
            {static_cast<int64_t>(isa::Csr::CoreId)});
    emitGridPoint(ib, loc, kernel, nullptr);
    Value input = kernel.getInputs()[idx];
    auto full = cast<RankedTensorType>(input.getType());
    auto tile = kernel.inputTileType(idx);
    int64_t e = elementBytes(tile.getElementType());
    int64_t n = full.getDimSize(1);
    int64_t stride = kernel.getGrid()[1] * tile.getDimSize(1);
    int64_t off = (*kernel.getArgOffsets())[idx];
    int64_t base = dramOffset.lookup(input);
    auto rect = broadcastRect(kernel);
    auto ranges = kSlices(full.getDimSize(0), kernel.getKChunks().value_or(1),
                          kernel->hasAttr(kSplitFirstSliceAttr));
    // When grid rows multicast their A slices (more than one core per grid
    // row, not a window product), the first B multicast waits for the
    // loader's first A slice. Measured on d1: 6272 x 128 x 512 on a
    // [161, 2] grid folded 9 times 8726 -> 7382 cycles; with grid rows of
    // one core (25088 x 64 x 256: 6450 -> 7518) or a window product
    // (16600 -> 18704) it costs more than it saves.
    auto mmOp = cast<MatmulOp>(kernel.getBody().front().front());
    // With one A sender per grid row every A slice counts on sems[2], so
    // the wait always gets a count, even one thread 0 has not taken yet.
    bool waitForA = kernel.getGrid()[1] > 1 && !mmOp.getWindow() && sa == 1 &&
                    ranges.size() > 1;
    // The loaders sit in a low grid column, where the cores of their mesh
    // rows load their A slices from the W edge: a loader's own loads from
    // that edge would queue ahead of them on the row's links. With
    // edge-routes=balanced the loaders of such kernels load from the nearer
    // of N and S instead (measured on d1: 6272 x 128 x 512 on a [161, 2]
    // grid folded 9 times 8064 -> 7393 cycles; 6272 x 512 x 128 7382 ->
    // 7497; kernels without the first-A wait lose more, e.g. a window
    // product 16600 -> 18028, so they keep the nearest edge).
    if (waitForA && edgeRoutes == "balanced") {
      ib.emit(loc, Opcode::Li, {kTmp}, {isa::kEdgeN | isa::kEdgeS});
      ib.emit(loc, Opcode::Csrw, {kTmp},
              {static_cast<int64_t>(isa::Csr::EdgeMask)});
    }
    for (int64_t t = 0; t < sb; ++t) {
      ib.emit(loc, Opcode::Li, {kTmp}, {broadcastLoaderRow(kernel, t)});
      Operation *other = ib.emit(loc, Opcode::Bne, {kGrid0, kTmp}, {0});
      ib.emit(loc, Opcode::Li, {kOpA}, {rect[0]});
      ib.emit(loc, Opcode::Li, {kOpB}, {rect[1]});
      int64_t sem = t == 0 ? sems[3] : sems[6 + (sa - 1) + t - 1];
      for (int64_t c = t; c < int64_t(ranges.size()); c += sb) {
        auto [k0, kc] = ranges[c];
        if (!fitsImm(base + k0 * n * e))
          return kernel.emitOpError("B at edge address ")
                 << base << " is beyond the reach of an immediate";
        ib.emit(loc, Opcode::Li, {kDram}, {base + k0 * n * e});
        ib.emit(loc, Opcode::Li, {kSramXfer}, {off + k0 * stride * e});
        ib.emit(loc, Opcode::DmaLd, {kSramXfer, kDram},
                {kc, n * e, stride * e, n * e, dramSem});
        ib.emit(loc, Opcode::SemWait, {}, {dramSem, 1});
        if (c == t && waitForA) {
          // The first multicast waits until this core has its first A
          // slice (and gives the count back to thread 0): issued earlier,
          // the broadcast would queue ahead of the A slices at every
          // core's eject link.
          ib.emit(loc, Opcode::SemWait, {}, {sems[2], 1});
          ib.emit(loc, Opcode::SemSignal, {kCoreId}, {sems[2], 1});
        }
        ib.emit(loc, Opcode::DmaMcast, {kSramXfer, kSramXfer, kOpA, kOpB},
                {kc, n * e, stride * e, stride * e, sem, rect[2], rect[3]});
      }
      ib.emit(loc, Opcode::Halt, {});
      patchTarget(other, ib.getPc());
    }
    ib.emit(loc, Opcode::Halt, {});
    return success();
  }

  /// Packed grids (not a broadcast B, not a gathered A) rotate their A
  /// senders: even grid rows send from grid columns [0, S), odd ones from
  /// [gn - S, gn), so that every grid column has rows whose core sends no
  /// A, and the column's B segment loaders are chosen among them: a
  /// loader's DMA engine then carries B alone, not also its row's A
  /// (measured on d1: ResNet-50's conv5 3x3, an im2col on 18 x 19, whose
  /// grid row 0 started 500 cycles after the others when core (0, 0) sent
  /// both).
  bool rotatesASenders(KernelOp kernel) {
    ArrayRef<int64_t> grid = kernel.getGrid();
    int64_t sa = senders(kernel).first;
    return kernel->hasAttr(kPackedAttr) && !kernel->hasAttr(kBBroadcastAttr) &&
           !kernel->hasAttr(kAGatherAttr) && grid.size() == 2 &&
           grid[0] > 1 && grid[1] >= 2 * sa;
  }
  /// Grid column of A sender j of grid row i.
  int64_t aSenderCol(KernelOp kernel, int64_t i, int64_t j) {
    if (!rotatesASenders(kernel) || i % 2 == 0)
      return j;
    return kernel.getGrid()[1] - senders(kernel).first + j;
  }
  /// Whether grid point (i, j) sends A.
  bool sendsA(KernelOp kernel, int64_t i, int64_t j) {
    for (int64_t s = 0; s < senders(kernel).first; ++s)
      if (aSenderCol(kernel, i, s) == j)
        return true;
    return false;
  }
  /// This core's A sender index (the core sends A if 0 <= index < S): its
  /// grid column (register r4, returned), or on a kernel that rotates its
  /// senders the grid column less gn - S on odd grid rows (computed into
  /// kSenderIndex, returned).
  int emitASenderIndex(InstBuilder &ib, Location loc, KernelOp kernel) {
    if (!rotatesASenders(kernel))
      return kGrid0 + 1;
    ib.emit(loc, Opcode::Andi, {kTmp, kGrid0}, {1});
    ib.emit(loc, Opcode::Muli, {kTmp, kTmp},
            {kernel.getGrid()[1] - senders(kernel).first});
    ib.emit(loc, Opcode::Sub, {kSenderIndex, kGrid0 + 1, kTmp});
    return kSenderIndex;
  }
  /// The register emitASenderIndex fills (free in thread 0 at the spawns
  /// and in the A sender threads).
  static constexpr int kSenderIndex = 29;

  /// A straight segment of a packed grid column: grid rows first..last,
  /// whose cores for that column all sit in mesh column `col`; grid row
  /// `loader`'s core loads the segment's slices and multicasts them.
  struct Segment {
    int64_t first, last, col, loader;
    /// With two B senders (dojo.senders), the grid row at the segment's
    /// other end sends the odd slices; -1 when the loader sends them all.
    int64_t second = -1;
  };
  /// Mesh row and column of grid point (i, j) of a 2-D kernel.
  int64_t meshRow(KernelOp kernel, int64_t i) {
    return (*kernel.getPlaceRows())[kernel.placeIndex(i, 0).first];
  }
  int64_t meshCol(KernelOp kernel, int64_t i, int64_t j) {
    auto [r, c] = kernel.placeIndex(i, j);
    ArrayRef<int64_t> cols = *kernel.getPlaceCols();
    if (!kernel->hasAttr(kPackedAttr))
      return cols[c];
    return cols[r * int64_t(cols.size() / kernel.getPlaceRows()->size()) + c];
  }
  /// First and last mesh column of grid row i of a 2-D kernel (with
  /// spares, a grid row's columns need not ascend).
  std::pair<int64_t, int64_t> rowSpan(KernelOp kernel, int64_t i) {
    int64_t lo = meshCol(kernel, i, 0), hi = lo;
    for (int64_t j = 1; j < kernel.getGrid()[1]; ++j) {
      lo = std::min(lo, meshCol(kernel, i, j));
      hi = std::max(hi, meshCol(kernel, i, j));
    }
    return {lo, hi};
  }
  /// Whether B column blocks go down straight segments (packed or folded
  /// placements) rather than whole mesh columns.
  static bool usesSegments(KernelOp kernel) {
    return kernel->hasAttr(kPackedAttr) || kernel.foldFactor() > 1;
  }

  /// The straight segments of every grid column of a packed or folded
  /// kernel: runs of consecutive grid rows in one mesh column.
  SmallVector<SmallVector<Segment>> packedSegments(KernelOp kernel) {
    ArrayRef<int64_t> grid = kernel.getGrid();
    SmallVector<SmallVector<Segment>> out(grid[1]);
    for (int64_t j = 0; j < grid[1]; ++j)
      for (int64_t r = 0; r < grid[0];) {
        int64_t c = meshCol(kernel, r, j), r1 = r + 1;
        while (r1 < grid[0] && meshCol(kernel, r1, j) == c &&
               meshRow(kernel, r1) > meshRow(kernel, r1 - 1))
          ++r1;
        // The loader is the segment's core nearest to the mesh edge (its
        // edge route is then shortest and shared by the fewest other
        // loads); the topmost on ties.
        auto edgeDistance = [&](int64_t g) {
          int64_t mr = meshRow(kernel, g);
          return std::min({mr, target->rows - 1 - mr, c, target->cols - 1 - c});
        };
        // Cores that send A (rotatesASenders) load B only if the segment
        // has no other.
        auto rank = [&](int64_t g) {
          return std::make_pair(sendsA(kernel, g, j), edgeDistance(g));
        };
        int64_t loader = r;
        for (int64_t g = r + 1; g < r1; ++g)
          if (rank(g) < rank(loader))
            loader = g;
        // A second sender at the far end of the segment: its edge route
        // and its multicast tree's first links are not the loader's. The
        // end row of the segment away from the loader, or the row next to
        // it that sends no A.
        int64_t second = -1;
        if (senders(kernel).second > 1 && r1 - r > 1) {
          bool down = loader - r < r1 - 1 - loader;
          second = down ? r1 - 1 : r;
          int64_t inward = down ? second - 1 : second + 1;
          if (sendsA(kernel, second, j) && inward != loader &&
              !sendsA(kernel, inward, j))
            second = inward;
        }
        out[j].push_back({r, r1 - 1, c, loader, second});
        r = r1;
      }
    return out;
  }

  /// Sender cores per grid row (A) and column (B) of a multicast kernel
  /// (dojo-schedule records them; 1 and 1 without the record).
  std::pair<int64_t, int64_t> senders(KernelOp kernel) {
    if (auto s = kernel->getAttrOfType<DenseI64ArrayAttr>("dojo.senders");
        s && s.size() == 2)
      return {s[0], s[1]};
    return {1, 1};
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (edgeRoutes != "balanced" && edgeRoutes != "nearest") {
      module.emitError("convert-dojo-to-isa: edge-routes must be 'balanced' "
                       "or 'nearest', got '")
          << edgeRoutes << "'";
      return signalPassFailure();
    }
    target = getTargetOrError(module);
    if (!target)
      return signalPassFailure();
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    if (funcs.size() != 1) {
      module.emitError("convert-dojo-to-isa expects exactly one function, "
                       "found ")
          << funcs.size();
      return signalPassFailure();
    }
    func::FuncOp func = funcs.front();
    OpBuilder b(&getContext());

    // Edge-memory layout: arguments, then results, then intermediates.
    int64_t dram = 0;
    auto allocDram = [&](RankedTensorType t) {
      int64_t off = dram;
      dram = alignTo(dram + tensorBytes(t), 64);
      return off;
    };
    struct Sym {
      std::string name, kind;
      RankedTensorType type;
      int64_t offset;
    };
    SmallVector<Sym> symbols;
    SmallVector<std::pair<size_t, Value>> aliasOutputs;
    SmallVector<std::pair<Value, int64_t>> outputCopies;
    for (BlockArgument arg : func.getArguments()) {
      auto t = dyn_cast<RankedTensorType>(arg.getType());
      num::DType dt;
      if (!t || !t.hasStaticShape() || !toDType(t.getElementType(), dt)) {
        func.emitError("argument ")
            << arg.getArgNumber() << " has unsupported type " << arg.getType();
        return signalPassFailure();
      }
      std::string name = "arg" + std::to_string(arg.getArgNumber());
      if (auto n = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                     "dojo.name"))
        name = n.str();
      dramOffset[arg] = allocDram(t);
      symbols.push_back({name, "input", t, dramOffset[arg]});
    }
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
      // A reshape is the same bytes: the output is its root's buffer.
      Value root = reshapeRoot(v);
      Operation *def = root.getDefiningOp();
      if (def && llvm::isa<SliceOp>(def) && isContiguousSlice(cast<SliceOp>(def))) {
        // An alias of part of another buffer: its symbol points there.
        symbols.push_back({"result" + std::to_string(i), "output",
                           cast<RankedTensorType>(v.getType()), -1});
        aliasOutputs.push_back({symbols.size() - 1, v});
        continue;
      }
      bool argument = llvm::isa<BlockArgument>(root);
      if (!argument && !(def && (llvm::isa<KernelOp>(def) || isCopyOp(def)))) {
        ret.emitOpError("result ")
            << i << " must be an argument or be computed by a dojo.kernel or "
            << "a data-movement op";
        return signalPassFailure();
      }
      if (argument || dramOffset.count(root)) {
        // An argument (or a value returned twice) is copied into a buffer
        // of its own at the end of the program.
        int64_t off = allocDram(cast<RankedTensorType>(v.getType()));
        symbols.push_back({"result" + std::to_string(i), "output",
                           cast<RankedTensorType>(v.getType()), off});
        outputCopies.push_back({v, off});
        continue;
      }
      dramOffset[root] = allocDram(cast<RankedTensorType>(root.getType()));
      symbols.push_back({"result" + std::to_string(i), "output",
                         cast<RankedTensorType>(v.getType()),
                         dramOffset[root]});
    }
    SmallVector<KernelOp> kernels(func.getOps<KernelOp>());
    // A program may have no code at all (results that alias arguments, or
    // no results); graph ops left untiled are an error below.
    // A concat whose pieces are contiguous in its result (the dims before
    // its axis are all 1) and each the only use of a kernel's result is
    // built in place: the kernels store straight into it.
    llvm::DenseMap<Value, std::pair<Value, int64_t>> inPlace;
    for (auto concat : func.getOps<ConcatOp>()) {
      auto ty = concat.getType();
      int64_t axis = concat.getAxis();
      int64_t lead = 1;
      for (int64_t d = 0; d < axis; ++d)
        lead *= ty.getDimSize(d);
      if (lead != 1)
        continue;
      int64_t stride = tensorBytes(ty) / ty.getDimSize(axis);
      SmallVector<std::pair<Value, int64_t>> pieces;
      int64_t at = 0;
      bool ok = true;
      for (Value in : concat.getInputs()) {
        Value v = in;
        while (auto r = v.getDefiningOp<ReshapeOp>()) {
          ok &= v.hasOneUse();
          v = r.getInput();
        }
        ok &= v.hasOneUse() && v.getDefiningOp<KernelOp>() &&
              !dramOffset.count(v) && !inPlace.count(v);
        pieces.push_back({v, at * stride});
        at += cast<RankedTensorType>(in.getType()).getDimSize(axis);
      }
      if (!ok)
        continue;
      for (auto [v, off] : pieces)
        inPlace[v] = {concat.getResult(), off};
      inPlaceConcats.insert(concat);
    }
    // Kernel and copy results get buffers; reshapes and contiguous slices
    // alias their input's bytes; view slices are windows of their input.
    for (Operation &op : func.getBody().front()) {
      if (llvm::isa<KernelOp>(op) || isCopyOp(&op)) {
        Value res = op.getResult(0);
        if (auto it = inPlace.find(res); it != inPlace.end()) {
          auto [whole, off] = it->second;
          if (!dramOffset.count(whole))
            dramOffset[whole] =
                allocDram(cast<RankedTensorType>(whole.getType()));
          dramOffset[res] = dramOffset[whole] + off;
        } else if (!dramOffset.count(res)) {
          dramOffset[res] = allocDram(cast<RankedTensorType>(res.getType()));
        }
      } else if (auto r = dyn_cast<ReshapeOp>(op)) {
        dramOffset[r.getResult()] = dramOffset.lookup(r.getInput());
      } else if (auto sl = dyn_cast<SliceOp>(op)) {
        View v = sliceView(sl);
        if (isContiguousSlice(sl))
          dramOffset[sl.getResult()] = v.base;
        else
          views[sl.getResult()] = v;
      }
    }
    for (auto [idx, v] : aliasOutputs)
      symbols[idx].offset = dramOffset.lookup(v);

    // Logical cores: R x C of the shared placement, row-major (a program
    // of data movement only spreads it over every placeable core).
    std::optional<ArrayRef<int64_t>> rows, cols;
    std::optional<MeshPlacement> whole;
    bool packed = false;
    if (!kernels.empty()) {
      rows = kernels.front().getPlaceRows();
      cols = kernels.front().getPlaceCols();
      packed = kernels.front()->hasAttr(kPackedAttr);
      if (!rows || !cols) {
        kernels.front().emitOpError("is not placed; run dojo-place");
        return signalPassFailure();
      }
    } else {
      packed = usePackedPlacement(func, *target);
      whole = placeProgram(*target, 1, 1, maxPlaceableCores(*target, packed),
                           packed);
      if (!whole) {
        func.emitError("target has no core to run the program on");
        return signalPassFailure();
      }
      rows = ArrayRef<int64_t>(whole->rows);
      cols = ArrayRef<int64_t>(whole->cols);
    }
    for (KernelOp k : kernels)
      if (k.getPlaceRows() != rows || k.getPlaceCols() != cols) {
        k.emitOpError("is placed differently from the first kernel; "
                      "convert-dojo-to-isa needs one shared placement");
        return signalPassFailure();
      }
    SmallVector<CoreCoord> cores;
    numRows = rows->size();
    numCols = packed ? int64_t(cols->size()) / numRows : int64_t(cols->size());
    for (int64_t i = 0; i < numRows; ++i)
      for (int64_t j = 0; j < numCols; ++j)
        cores.push_back({(*rows)[i], (*cols)[packed ? i * numCols + j : j]});
    numCores = cores.size();
    b.setInsertionPointToEnd(module.getBody());
    auto program = isa_ir::ProgramOp::create(
        b, func.getLoc(), module->getAttrOfType<TargetAttr>(TargetAttr::kAttrName)
                              ? module->getAttrOfType<TargetAttr>(
                                    TargetAttr::kAttrName)
                              : TargetAttr::get(&getContext(), *target),
        b.getI64IntegerAttr(dram));
    Block *progBody = new Block();
    program.getBody().push_back(progBody);
    b.setInsertionPointToEnd(progBody);
    for (const Sym &s : symbols) {
      num::DType dt;
      toDType(s.type.getElementType(), dt);
      isa_ir::SymbolOp::create(b, func.getLoc(), b.getStringAttr(s.name),
                               b.getStringAttr(s.kind),
                               b.getStringAttr(num::dtypeName(dt)),
                               b.getDenseI64ArrayAttr(s.type.getShape()),
                               b.getI64IntegerAttr(s.offset));
    }
    for (const CoreCoord &c : cores)
      isa_ir::CoreOp::create(b, func.getLoc(), c.row, c.col, 0);
    auto section = isa_ir::SectionOp::create(b, func.getLoc(), 0);
    Block *code = new Block();
    section.getBody().push_back(code);
    OpBuilder cb = OpBuilder::atBlockEnd(code);
    InstBuilder ib(cb);
    ib.emit(func.getLoc(), Opcode::Csrr, {kCoreId},
            {static_cast<int64_t>(isa::Csr::CoreId)});
    emitEdgeRoutes(ib, func.getLoc());
    copyPending = false;
    for (Operation &op : func.getBody().front()) {
      if (auto k = dyn_cast<KernelOp>(op)) {
        drainCopy(ib, op.getLoc());
        if (failed(lowerKernel(ib, k))) {
          program.erase();
          return signalPassFailure();
        }
      } else if (isCopyOp(&op)) {
        if (inPlaceConcats.contains(&op))
          continue; // its pieces were stored in place
        if (failed(lowerCopyOp(ib, &op))) {
          program.erase();
          return signalPassFailure();
        }
      } else if (llvm::isa<ReshapeOp, SliceOp>(op)) {
        // No code: an alias or a window of the input's edge memory.
      } else if (llvm::isa<BarrierOp>(op)) {
        drainCopy(ib, op.getLoc());
        ib.emit(op.getLoc(), Opcode::Barrier, {});
      } else if (!llvm::isa<func::ReturnOp>(op)) {
        op.emitOpError("cannot be lowered to the ISA; expected dojo.kernel or "
                       "dojo.barrier at function level");
        program.erase();
        return signalPassFailure();
      }
    }
    if (!outputCopies.empty()) {
      // Every core's stores are done before results are copied.
      drainCopy(ib, ret.getLoc());
      ib.emit(ret.getLoc(), Opcode::Barrier, {});
      for (auto [v, off] : outputCopies) {
        View src = viewOf(v);
        auto t = cast<RankedTensorType>(v.getType());
        View dst{off, SmallVector<int64_t>(t.getShape()),
                 denseStrides(t.getShape())};
        if (failed(emitTransfer(ib, ret.getLoc(), &src, dst,
                                elementBytes(t.getElementType()), 0, 0))) {
          program.erase();
          return signalPassFailure();
        }
      }
    }
    drainCopy(ib, ret.getLoc());
    ib.emit(ret.getLoc(), Opcode::Halt, {});
    func.erase();
  }
};
} // namespace
