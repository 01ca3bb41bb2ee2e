//===- Passes.h - dojo conversion passes ------------------------*- C++ -*-===//

#ifndef DOJO_CONVERSION_PASSES_H
#define DOJO_CONVERSION_PASSES_H

#include "Dojo/DojoDialect.h"
#include "DojoISA/DojoISADialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace dojo {

#define GEN_PASS_DECL
#include "dojo/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dojo/Conversion/Passes.h.inc"

} // namespace dojo

#endif // DOJO_CONVERSION_PASSES_H
