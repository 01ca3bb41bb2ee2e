//===- dojo-opt.cpp - mlir-opt for the dojo stack -------------------------===//

#include "dojo/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  dojo::registerDojoDialects(registry);
  dojo::registerDojoPasses();
  dojo::registerDojoPipelines();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "dojo optimizer driver\n", registry));
}
