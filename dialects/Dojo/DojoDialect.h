//===- DojoDialect.h - Graph-level dojo dialect -----------------*- C++ -*-===//

#ifndef DOJO_DIALECT_DOJODIALECT_H
#define DOJO_DIALECT_DOJODIALECT_H

#include "dojo/Target/MachineDesc.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/Hashing.h"

namespace dojo {
inline llvm::hash_code hash_value(const MachineDesc &m) {
  return llvm::hash_value(m.str());
}
} // namespace dojo

#include "Dojo/DojoDialect.h.inc"

#include "Dojo/DojoEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "Dojo/DojoAttrs.h.inc"

#define GET_OP_CLASSES
#include "Dojo/DojoOps.h.inc"

#endif // DOJO_DIALECT_DOJODIALECT_H
