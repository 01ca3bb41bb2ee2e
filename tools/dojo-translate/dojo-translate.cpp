//===- dojo-translate.cpp - Emit, assemble and disassemble programs -------===//

#include "dojo/Emit/Emitter.h"

#include "mlir/Support/LogicalResult.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  dojo::registerDojoTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "dojo translation driver\n"));
}
