//===- Emitter.h - dojoisa.program to a program file ------------*- C++ -*-===//
//
// The ISA emitter is a plain function (callable from Python through the
// driver); dojo-translate registers it as --dojo-to-asm and --dojo-to-bin.
//===----------------------------------------------------------------------===//

#ifndef DOJO_EMIT_EMITTER_H
#define DOJO_EMIT_EMITTER_H

#include "DojoISA/DojoISADialect.h"
#include "dojo/ISA/Program.h"

#include "mlir/IR/BuiltinOps.h"

namespace dojo {

/// Builds the program of `op`. Emits located diagnostics and fails on ops
/// that are not instructions, bad operands or an inconsistent program.
mlir::LogicalResult emitProgram(isa_ir::ProgramOp op, isa::Program &out);
/// Same, for the single dojoisa.program of `module`.
mlir::LogicalResult emitProgram(mlir::ModuleOp module, isa::Program &out);

/// Registers --dojo-to-asm, --dojo-to-bin, --dojo-asm-to-bin and
/// --dojo-bin-to-asm with mlir-translate's registry.
void registerDojoTranslations();

} // namespace dojo

#endif // DOJO_EMIT_EMITTER_H
