//===- Pipelines.cpp - The dojo compilation pipeline ----------------------===//

#include "dojo/Pipelines/Pipelines.h"
#include "dojo/Conversion/Passes.h"
#include "dojo/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

void dojo::buildDojoGraphPipeline(OpPassManager &pm,
                                  const DojoPipelineOptions &options) {
  DojoSetTargetOptions setTarget;
  setTarget.target = options.target;
  setTarget.placement = options.placement;
  setTarget.holes = options.holes;
  if (options.target.empty()) {
    setTarget.target = "d1";
    setTarget.overwrite = false;
  }
  pm.addPass(createDojoSetTarget(setTarget));
  pm.addNestedPass<func::FuncOp>(createConvertTosaToDojo());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToDojo());
}

void dojo::buildDojoPipeline(OpPassManager &pm,
                             const DojoPipelineOptions &options) {
  buildDojoGraphPipeline(pm, options);
  DojoTileOptions tile;
  tile.maxCores = options.maxCores;
  pm.addNestedPass<func::FuncOp>(createDojoDecompose());
  pm.addNestedPass<func::FuncOp>(createDojoTile(tile));
  pm.addNestedPass<func::FuncOp>(createDojoPlace());
  pm.addNestedPass<func::FuncOp>(createDojoAllocateSram());
  pm.addNestedPass<func::FuncOp>(createDojoSchedule());
  if (options.printMemoryMap)
    pm.addNestedPass<func::FuncOp>(createDojoPrintMemoryMap());
  ConvertDojoToISAOptions toIsa;
  toIsa.edgeRoutes = options.edgeRoutes;
  pm.addPass(createConvertDojoToISA(toIsa));
}

void dojo::registerDojoPipelines() {
  PassPipelineRegistration<DojoPipelineOptions>(
      "dojo-pipeline",
      "Compile linalg/dojo on tensors to a dojoisa program for a target",
      buildDojoPipeline);
  PassPipelineRegistration<DojoPipelineOptions>(
      "dojo-graph-pipeline",
      "Import to the dojo graph level only (what the reference interpreter "
      "runs)",
      buildDojoGraphPipeline);
}

void dojo::registerDojoPasses() {
  registerDojoTransformsPasses();
  registerDojoConversionPasses();
}

void dojo::registerDojoDialects(DialectRegistry &registry) {
  registry.insert<dojo::DojoDialect, dojo::isa_ir::DojoISADialect,
                  func::FuncDialect, arith::ArithDialect,
                  tensor::TensorDialect, linalg::LinalgDialect,
                  math::MathDialect, tosa::TosaDialect>();
}
