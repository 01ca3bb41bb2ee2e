//===- DojoISADialect.td - Core ISA dialect -----------------*- tablegen -*-===//

#ifndef DOJOISA_DIALECT_TD
#define DOJOISA_DIALECT_TD

include "mlir/IR/OpBase.td"

def DojoISA_Dialect : Dialect {
  let name = "dojoisa";
  let summary = "The Dojo core instruction set, one op per instruction";
  let description = [{
    A `dojoisa.program` holds everything a program file holds: the target,
    the cores and the code section each runs, the edge-memory symbols, and
    code sections whose ops are machine instructions. Each instruction op is
    named after its mnemonic (`dojoisa.mm`, `dojoisa.dma.ld`, ...), takes
    physical registers (`r0`..`r31`) and named 32-bit immediates, and maps
    one-to-one onto an encoded instruction (docs/isa.md).
  }];
  let cppNamespace = "::dojo::isa_ir";
  let dependentDialects = ["::dojo::DojoDialect"];
}

class DojoISA_Op<string mnemonic, list<Trait> traits = []>
    : Op<DojoISA_Dialect, mnemonic, traits>;

#endif // DOJOISA_DIALECT_TD
