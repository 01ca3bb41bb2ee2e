//===- Pipelines.h - The dojo compilation pipeline --------------*- C++ -*-===//

#ifndef DOJO_PIPELINES_PIPELINES_H
#define DOJO_PIPELINES_PIPELINES_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace dojo {

struct DojoPipelineOptions
    : public mlir::PassPipelineOptions<DojoPipelineOptions> {
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("Machine description: preset (tiny, small, d1) and "
                     "key=value overrides; empty keeps the module's "
                     "dojo.target (d1 if it has none)"),
      llvm::cl::init("")};
  Option<int64_t> maxCores{
      *this, "max-cores",
      llvm::cl::desc("Use at most this many cores per kernel (0: all)"),
      llvm::cl::init(0)};
  Option<std::string> placement{
      *this, "placement",
      llvm::cl::desc("Placement of the program's cores: auto, packed or "
                     "cross (dojo-set-target)"),
      llvm::cl::init("auto")};
  Option<std::string> holes{
      *this, "holes",
      llvm::cl::desc("How a packed placement fills disabled cores: auto, "
                     "spare or shift (dojo-set-target)"),
      llvm::cl::init("auto")};
  Option<std::string> edgeRoutes{
      *this, "edge-routes",
      llvm::cl::desc("Edge each core reaches edge memory through: balanced "
                     "or nearest (convert-dojo-to-isa)"),
      llvm::cl::init("balanced")};
  Option<bool> printMemoryMap{
      *this, "print-memory-map",
      llvm::cl::desc("Print each core's SRAM occupancy over the program "
                     "(dojo-print-memory-map) to stderr"),
      llvm::cl::init(false)};
};

/// Appends the whole pipeline: set target, linalg -> dojo, tile, place,
/// allocate SRAM, schedule, dojo -> ISA.
void buildDojoPipeline(mlir::OpPassManager &pm,
                       const DojoPipelineOptions &options);
/// Only the front part (set target, linalg -> dojo): graph-level IR for the
/// reference interpreter.
void buildDojoGraphPipeline(mlir::OpPassManager &pm,
                            const DojoPipelineOptions &options);

/// Registers `dojo-pipeline` and `dojo-graph-pipeline`.
void registerDojoPipelines();
/// Registers all dojo passes.
void registerDojoPasses();
/// Dialects the dojo tools read: ours plus func, arith, tensor, linalg.
void registerDojoDialects(mlir::DialectRegistry &registry);

} // namespace dojo

#endif // DOJO_PIPELINES_PIPELINES_H
