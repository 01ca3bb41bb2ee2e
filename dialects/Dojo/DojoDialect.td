//===- DojoDialect.td - Graph-level dojo dialect ------------*- tablegen -*-===//

#ifndef DOJO_DIALECT_TD
#define DOJO_DIALECT_TD

include "mlir/IR/OpBase.td"

def Dojo_Dialect : Dialect {
  let name = "dojo";
  let summary = "Graph-level tensor operations for the Dojo mesh machine";
  let description = [{
    The `dojo` dialect holds tensor programs between import (linalg, tosa,
    PyTorch, ONNX) and the core ISA. Compute ops work on ranked tensors with
    value semantics. `dojo.kernel` groups the per-core work of one tiled
    operation (plus its fused epilogue) over a grid of cores; the tiling,
    placement, SRAM allocation and scheduling passes annotate kernels until
    `convert-dojo-to-isa` lowers them to `dojoisa`.

    The machine description travels as the module attribute `dojo.target`
    holding a `#dojo.target<...>`.
  }];
  let cppNamespace = "::dojo";
  let useDefaultAttributePrinterParser = 1;
}

class Dojo_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dojo_Dialect, mnemonic, traits>;

#endif // DOJO_DIALECT_TD
