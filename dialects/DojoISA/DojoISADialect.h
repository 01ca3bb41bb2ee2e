//===- DojoISADialect.h - Core ISA dialect ----------------------*- C++ -*-===//

#ifndef DOJO_DIALECT_DOJOISADIALECT_H
#define DOJO_DIALECT_DOJOISADIALECT_H

#include "Dojo/DojoDialect.h"

#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"

#include "DojoISA/DojoISADialect.h.inc"

#define GET_OP_CLASSES
#include "DojoISA/DojoISAOps.h.inc"

#endif // DOJO_DIALECT_DOJOISADIALECT_H
