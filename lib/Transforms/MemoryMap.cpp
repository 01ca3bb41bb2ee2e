//===- MemoryMap.cpp - Print per-core SRAM occupancy ----------------------===//

#include "dojo/Transforms/Passes.h"
#include "dojo/Transforms/Utils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace dojo {
#define GEN_PASS_DEF_DOJOPRINTMEMORYMAP
#include "dojo/Transforms/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;

namespace {

std::string typeStr(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  return s;
}

std::string locStr(Location loc) {
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      loc = fused.getLocations().front();
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (llvm::sys::path::filename(file.getFilename().strref()) + ":" +
            Twine(file.getLine()))
        .str();
  return "";
}

struct DojoPrintMemoryMapPass
    : dojo::impl::DojoPrintMemoryMapBase<DojoPrintMemoryMapPass> {
  using DojoPrintMemoryMapBase::DojoPrintMemoryMapBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    const MachineDesc *m = getTargetOrError(func);
    if (!m)
      return signalPassFailure();
    llvm::raw_ostream &os = llvm::errs();
    int64_t cores = 0;
    for (KernelOp k : func.getOps<KernelOp>())
      if (k.getPlaceRows() && k.getPlaceCols()) {
        cores = k->hasAttr(kPackedAttr)
                    ? int64_t(k.getPlaceCols()->size())
                    : int64_t(k.getPlaceRows()->size() *
                              k.getPlaceCols()->size());
        break;
      }
    os << "dojo memory map: @" << func.getSymName() << " on " << m->preset
       << ": " << cores << " program cores, " << m->sram_bytes
       << " B of SRAM per core\n";
    os << "step  op                              location              "
          "cores   bytes/core  share\n";
    auto bar = [&](int64_t bytes) {
      int64_t w = 20, filled = m->sram_bytes
                                   ? std::min<int64_t>(w, (bytes * w +
                                                           m->sram_bytes - 1) /
                                                              m->sram_bytes)
                                   : 0;
      os << " |" << std::string(filled, '#') << std::string(w - filled, ' ')
         << "|";
    };
    auto line = [&](int64_t step, StringRef what, Location loc, int64_t n,
                    int64_t bytes) {
      double share = m->sram_bytes ? 100.0 * bytes / m->sram_bytes : 0.0;
      os << llvm::format("%4lld  %-30s  %-20s  %5lld  %11lld  %5.1f%%",
                         (long long)step, what.str().c_str(),
                         locStr(loc).c_str(), (long long)n, (long long)bytes,
                         share);
      bar(bytes);
      os << "\n";
    };
    auto buffer = [&](int64_t off, int64_t bytes, const std::string &what) {
      os << llvm::format("        %9lld + %-9lld %s\n", (long long)off,
                         (long long)bytes, what.c_str());
    };
    int64_t step = 0, peak = 0, peakStep = -1;
    for (Operation &op : func.getBody().front()) {
      if (auto k = dyn_cast<KernelOp>(op)) {
        if (!k.getArgOffsets() || !k.getSramBytes()) {
          k.emitOpError("has no SRAM allocation; run dojo-allocate-sram "
                        "before dojo-print-memory-map");
          return signalPassFailure();
        }
        int64_t bytes = *k.getSramBytes();
        std::string grid = "kernel grid [";
        llvm::raw_string_ostream gs(grid);
        llvm::interleaveComma(k.getGrid(), gs);
        gs << "]";
        line(step, grid, k.getLoc(), k.numWorkers(), bytes);
        // A row-streamed kernel's buffers hold one chunk of `rows` rows, in
        // two sets (the second `set` bytes after the first).
        auto stream = k->getAttrOfType<IntegerAttr>(kStreamRowsAttr);
        auto set = k->getAttrOfType<IntegerAttr>(kStreamSetBytesAttr);
        int64_t rows = stream && set ? stream.getInt() : -1;
        int64_t tileRows = k.resultTileType().getRank() == 2
                               ? k.resultTileType().getDimSize(0)
                               : -1;
        auto bytesOf = [&](RankedTensorType t) {
          if (rows >= 0 && t.getRank() == 2 && t.getDimSize(0) == tileRows)
            return rows * t.getDimSize(1) * elementBytes(t.getElementType());
          return tensorBytes(t);
        };
        auto chunk = [&](RankedTensorType t) -> std::string {
          if (rows < 0 || t.getRank() != 2 || t.getDimSize(0) != tileRows)
            return "";
          return " (" + std::to_string(rows) + "-row chunk)";
        };
        if (rows >= 0)
          os << "                streamed in " << rows
             << "-row chunks through two buffer sets, the second at +"
             << set.getInt() << "\n";
        for (auto [i, off] : llvm::enumerate(*k.getArgOffsets())) {
          auto t = k.inputTileType(i);
          buffer(off, bytesOf(t), "input " + std::to_string(i) + " tile " +
                                      typeStr(t) + chunk(t));
        }
        for (Operation &body : k.getBody().front()) {
          if (auto off = body.getAttrOfType<IntegerAttr>(kSramOffsetAttr)) {
            auto t = cast<RankedTensorType>(body.getResult(0).getType());
            buffer(off.getInt(), bytesOf(t),
                   body.getName().getStringRef().str() + " result " +
                       typeStr(t) + chunk(t));
          }
          if (auto off = body.getAttrOfType<IntegerAttr>(kScratchOffsetAttr))
            buffer(off.getInt(), scratchBytes(&body, rows),
                   body.getName().getStringRef().str() + " fp32 scratch");
        }
        if (bytes > peak) {
          peak = bytes;
          peakStep = step;
        }
        ++step;
      } else if (isCopyOp(&op)) {
        int64_t bytes = copyStagingBytes(*m);
        line(step, "copy " + op.getName().getStringRef().str(), op.getLoc(),
             cores, bytes);
        buffer(0, bytes, "staging (two halves, double-buffered)");
        if (bytes > peak) {
          peak = bytes;
          peakStep = step;
        }
        ++step;
      }
    }
    os << llvm::format("program peak: %lld B per core (%.1f%% of SRAM)",
                       (long long)peak,
                       m->sram_bytes ? 100.0 * peak / m->sram_bytes : 0.0);
    if (peakStep >= 0)
      os << " at step " << peakStep;
    os << "\n";
    markAllAnalysesPreserved();
  }
};
} // namespace
