//===- Passes.h - dojo transformation passes --------------------*- C++ -*-===//

#ifndef DOJO_TRANSFORMS_PASSES_H
#define DOJO_TRANSFORMS_PASSES_H

#include "Dojo/DojoDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace dojo {

#define GEN_PASS_DECL
#include "dojo/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dojo/Transforms/Passes.h.inc"

} // namespace dojo

#endif // DOJO_TRANSFORMS_PASSES_H
