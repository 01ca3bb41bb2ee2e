//===- Utils.h - Helpers shared by the dojo passes --------------*- C++ -*-===//

#ifndef DOJO_TRANSFORMS_UTILS_H
#define DOJO_TRANSFORMS_UTILS_H

#include "Dojo/DojoDialect.h"

#include "dojo/ISA/Numerics.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <optional>

namespace dojo {

/// The machine description in effect for `op`; emits an error and returns
/// null if no enclosing op carries `dojo.target`.
const MachineDesc *getTargetOrError(mlir::Operation *op);

/// Bytes of one element of `t` (f32, bf16, i32, i8; i64 is held as int32),
/// or 0 if unsupported.
int64_t elementBytes(mlir::Type t);
/// Machine dtype of an element type; false if the machine has none.
bool toDType(mlir::Type t, num::DType &out);
/// Bytes of a statically shaped tensor.
int64_t tensorBytes(mlir::RankedTensorType t);
/// Rounds `v` up to a multiple of `align`.
inline int64_t alignTo(int64_t v, int64_t align) {
  return (v + align - 1) / align * align;
}

/// The number of slices dojo-schedule streams a matmul's K in by default:
/// slices of at least 64 rows of K, up to 8; long K (>= 2048) takes up to
/// 16 slices of 128 (the first product starts sooner; measured on the d1
/// 2048^3 GEMM: 8 slices 113.9K cycles, 16 111.3K, 32 114.2K).
inline int64_t defaultKChunks(int64_t k) {
  return std::max(std::clamp<int64_t>(k / 64, 1, 8),
                  std::clamp<int64_t>(k / 128, 1, 16));
}

/// Size of each slice of K when a matmul's operands are streamed in
/// `chunks` slices (a multiple of 4; the last slice may be shorter).
inline int64_t kSliceSize(int64_t k, int64_t chunks) {
  return alignTo((k + chunks - 1) / chunks, 4);
}

/// The slices [k0, k0 + kc) of K when a matmul's operands are streamed in
/// `chunks` slices: kSliceSize(k, chunks) rows each (the last may be
/// shorter); with `splitFirst` (and 4 or more slices) the first is split in
/// two halves (multiples of 4), so the first product waits for half the
/// bytes.
inline llvm::SmallVector<std::pair<int64_t, int64_t>>
kSlices(int64_t k, int64_t chunks, bool splitFirst = false) {
  llvm::SmallVector<std::pair<int64_t, int64_t>> out;
  if (chunks <= 1) {
    out.push_back({0, k});
    return out;
  }
  int64_t slice = kSliceSize(k, chunks);
  for (int64_t k0 = 0; k0 < k; k0 += slice) {
    int64_t kc = std::min(slice, k - k0);
    int64_t half = alignTo(kc / 2, 4);
    if (splitFirst && k0 == 0 && chunks >= 4 && half > 0 && half < kc) {
      out.push_back({0, half});
      out.push_back({half, kc - half});
    } else {
      out.push_back({k0, kc});
    }
  }
  return out;
}

/// Sender cores per grid row (for A) or column (for B) of a multicast
/// matmul with `chunks` K slices: slice c of a row's A block is loaded and
/// multicast by the row's core c mod S, spreading the senders' DMA work;
/// each sender has its own semaphore (sems = [load, store, A0, B0, A-edge,
/// B-edge, A1..A(S-1), B1..B(S-1)]).
inline int64_t multicastSenders(const MachineDesc &m, int64_t gridDim,
                                int64_t chunks, int64_t most) {
  int64_t bySems = 1 + std::max<int64_t>(0, (m.semaphores - 6) / 2);
  return std::max<int64_t>(1, std::min({most, gridDim, chunks, bySems}));
}

/// The program's cores as a cross product of mesh rows and columns.
struct MeshPlacement {
  llvm::SmallVector<int64_t> rows, cols;
  /// Packed: every row has its own `width()` columns (its first enabled
  /// ones, or those of the band above: placePacked), `cols` holds them row
  /// after row; logical core i * width() + j is (rows[i], cols[i * width()
  /// + j]). Columns of different rows need not line up, so a grid column
  /// is multicast to per straight segment.
  bool packed = false;
  int64_t width() const {
    return packed && !rows.empty() ? int64_t(cols.size() / rows.size())
                                   : int64_t(cols.size());
  }
  /// Smaller is better: bounding-box side first, then area.
  int64_t score() const;
};

/// Name of the module attribute that selects a placement style ("packed"
/// or "cross", the default).
constexpr llvm::StringLiteral kPlacementAttr = "dojo.placement";
/// Whether `op`'s function uses the packed placement: its (or a parent's)
/// `dojo.placement` attribute; `auto` and no attribute mean cross until
/// dojo-tile resolves them.
bool usePackedPlacement(mlir::Operation *op, const MachineDesc &m);
/// Resolves `auto` for a function (dojo-tile, before tiling) and records
/// the choice as the function's `dojo.placement` attribute, and on a
/// packed placement an `auto` hole filling as its `dojo.packed_holes`.
bool resolveAutoPlacement(mlir::func::FuncOp func, const MachineDesc &m);
/// The value of string attribute `name` on `op` or its nearest parent that
/// has one other than "auto"; empty if none does.
llvm::StringRef inheritedChoice(mlir::Operation *op, llvm::StringRef name);
/// Name of the attribute (module or function: "spare", "shift" or "auto")
/// saying how a packed placement fills a row's disabled cores.
constexpr llvm::StringLiteral kPackedHolesAttr = "dojo.packed_holes";
/// Whether a packed placement of `op`'s function fills holes with spares
/// (its or a parent's `dojo.packed_holes`; spare unless "shift").
bool usePackedSpares(mlir::Operation *op);
/// Name of the unit attribute dojo-place puts on kernels of a packed
/// placement.
constexpr llvm::StringLiteral kPackedAttr = "dojo.packed_placement";

/// `nr` mesh rows and `nc` mesh columns whose cross product holds no
/// disabled core, with the smallest bounding box (each disabled core is
/// avoided by dropping its row or its column); nullopt if there are none.
std::optional<MeshPlacement> placeCrossProduct(const MachineDesc &m,
                                               int64_t nr, int64_t nc);

/// The placement of a whole program: at least `nr` rows and `nc` columns
/// (for its 2-D grids) and at least `flat` cores (for its 1-D grids), with
/// the smallest bounding box; nullopt if none exists.
std::optional<MeshPlacement> placeProgram(const MachineDesc &m, int64_t nr,
                                          int64_t nc, int64_t flat,
                                          bool packed = false,
                                          bool spares = true);

/// `nr` mesh rows with `nc` enabled cores each (the first ones), packed.
/// With `spares`, grid column j of a row sits in mesh column j unless that
/// core is disabled; the row's disabled columns below `nc` are taken over
/// by its enabled columns from `nc` on, in order, so every grid column
/// runs straight down one mesh column except at the rows of its holes.
/// Without, a row skips its disabled cores and the columns after one move
/// over (in bands of rows, see the implementation).
std::optional<MeshPlacement> placePacked(const MachineDesc &m, int64_t nr,
                                         int64_t nc, bool spares = true);

/// The most cores a cross-product (or packed) placement can hold on `m`.
int64_t maxPlaceableCores(const MachineDesc &m, bool packed = false);

/// Names of the discardable attributes the passes put on kernel body ops.
constexpr llvm::StringLiteral kSramOffsetAttr = "dojo.sram_offset";
/// Kernel attribute (dojo-tile: unit; dojo-allocate-sram: the chunk's
/// rows): the tile does not fit in SRAM and streams through two sets of
/// chunk-sized buffers, `dojo.stream_set_bytes` apart.
constexpr llvm::StringLiteral kStreamRowsAttr = "dojo.stream_rows";
constexpr llvm::StringLiteral kStreamSetBytesAttr = "dojo.stream_set_bytes";
/// Kernel attribute (dojo-allocate-sram): run in this many row chunks.
constexpr llvm::StringLiteral kRowChunksAttr = "dojo.row_chunks";
/// Kernel unit attribute (dojo-schedule): the first K slice is streamed in
/// two halves (kSlices).
constexpr llvm::StringLiteral kSplitFirstSliceAttr = "dojo.split_first_slice";
/// Kernel unit attribute (dojo-schedule): the multicast senders issue the
/// edge load of their next slice as soon as the current one has landed,
/// before they multicast it (the sender's load - wait - multicast round trip
/// is longer than a slice's products).
constexpr llvm::StringLiteral kSenderPrefetchAttr = "dojo.sender_prefetch";
/// Kernel unit attribute (dojo-schedule, on multicast matmul kernels): no
/// A sender. Thread 1 of every core of a grid row loads a piece of each A
/// slice (a band of the tile's rows) and multicasts it over its row; slice
/// c arrives on A semaphore c % 2 as one count per piece, and the third A
/// semaphore (dojo.senders holds 3 for A) carries thread 0's permissions:
/// after its wait for slice c, thread 0 lets its thread 1 send slice c + 1.
constexpr llvm::StringLiteral kAGatherAttr = "dojo.a_gather";
/// Kernel unit attribute (dojo-schedule): a window product's grid rows
/// exchange halos: grid row i + 1's first A sender puts the rows of its
/// tile that grid row i's taps read past its block (the halo) into grid
/// row i's first A sender, which multicasts them over its row, instead of
/// grid row i loading them from edge memory; two semaphores after the
/// multicast senders' (before the epilogue's) count the multicast and the
/// put.
constexpr llvm::StringLiteral kHaloExchangeAttr = "dojo.halo_exchange";
/// Kernel unit attribute (dojo-allocate-sram): the leading matmul's
/// operands, accumulator and result share no SRAM with epilogue buffers.
constexpr llvm::StringLiteral kMatmulLiveAttr = "dojo.matmul_live";
/// Kernel attribute (dojo-schedule): the matmul's epilogue runs on a fourth
/// thread in this many row chunks; the last two `sems` are its semaphores.
constexpr llvm::StringLiteral kEpilogueChunksAttr = "dojo.epilogue_chunks";
constexpr llvm::StringLiteral kScratchOffsetAttr = "dojo.scratch_offset";
/// Kernel unit attribute (dojo-tile, on folded grids): the leading
/// matmul's B is broadcast whole to every core of the kernel's placement
/// rows, each core multiplying its own column block of it. The B tile's
/// buffer then holds K x (grid[1] * tn) elements (broadcastBBytes).
constexpr llvm::StringLiteral kBBroadcastAttr = "dojo.b_broadcast";
/// SRAM bytes of the whole B of a kernel marked dojo.b_broadcast: K rows of
/// grid[1] column blocks; -1 if the kernel is not marked.
int64_t broadcastBBytes(KernelOp kernel);

/// Elementwise ops the vector unit lowers (dojo-tile fuses them into matmul
/// epilogues and tiles them on their own).
bool isLoweredUnary(mlir::Operation *op);
bool isLoweredBinary(mlir::Operation *op);
inline bool isLoweredElementwise(mlir::Operation *op) {
  return isLoweredUnary(op) || isLoweredBinary(op);
}
/// Ops over the last axis of a rank-2 tensor that the vector unit lowers
/// row-wise (softmax, layer_norm, reduce_sum/max/mean over axis 1): tiled
/// by splitting rows over cores.
bool isLoweredRowwise(mlir::Operation *op);

/// Binary ops whose operands may be swapped (bit for bit: IEEE add, mul,
/// and the NaN-propagating max/min with -0 < +0 are commutative).
bool isCommutative(mlir::Operation *op);

/// SRAM bytes a function-level copy stages through (two halves for double
/// buffering); kernels' SRAM is dead between kernels, so it starts at 0.
inline int64_t copyStagingBytes(const MachineDesc &m) {
  return std::min<int64_t>(m.sram_bytes / 64 * 64, 256 * 1024);
}

/// Function-level data movement (convert-dojo-to-isa lowers these to DMA
/// copies between edge-memory buffers, staged through SRAM):
///  * a slice whose result is one contiguous range of its (dense) input is
///    an alias: no code, like a reshape;
///  * a slice read only by other data-movement ops is a view: they read
///    through it (strided DMA), and it has no buffer of its own;
///  * any other slice, and every concat, pad, gather and splat constant, is
///    a copy (or fill) into its own buffer.
bool isContiguousSlice(SliceOp slice);
bool isViewSlice(SliceOp slice);
/// Ops that stay at function level and move or fill edge memory.
bool isDataMovement(mlir::Operation *op);
/// True if `op` emits DMA code at function level (a data-movement op that
/// is not an alias or a view).
bool isCopyOp(mlir::Operation *op);
/// The ops whose edge-memory results `v` reads (through reshapes, alias and
/// view slices): the producers a consumer of `v` must wait for.
void producersOf(mlir::Value v, llvm::SmallVectorImpl<mlir::Operation *> &out);

/// Batched kernels: one grid point per (batch, block of rows), so every
/// batch runs on its own cores at once. The number of row blocks per batch
/// (a divisor of `rows`) for `batches` matmuls [rows x k] x [k x n] (eIn /
/// eOut bytes per element; an FP32 accumulator when eOut != 4), or for
/// `batches` transposes of [rows x n] (k = 0); the most cores that fit
/// `maxCores` and SRAM win. 0 if even one row per core does not fit.
int64_t batchedRowSplit(const MachineDesc &m, int64_t batches, int64_t rows,
                        int64_t k, int64_t n, int64_t eIn, int64_t eOut,
                        int64_t maxCores);

/// SRAM bytes of the FP32 scratch a body op needs besides its result (the
/// accumulator of a matmul whose result is not FP32), 0 if none.
/// With `rows` >= 0, for a tile of that many rows (a row-streamed kernel's
/// chunk) instead of the op's own.
int64_t scratchBytes(mlir::Operation *op, int64_t rows = -1);

} // namespace dojo

#endif // DOJO_TRANSFORMS_UTILS_H
