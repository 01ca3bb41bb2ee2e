//===- Passes.td - dojo conversion passes -------------------*- tablegen -*-===//

#ifndef DOJO_CONVERSION_PASSES_TD
#define DOJO_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertLinalgToDojo : Pass<"convert-linalg-to-dojo", "mlir::func::FuncOp"> {
  let summary = "Convert linalg ops on tensors to dojo graph ops";
  let description = [{
    Rewrites `linalg.matmul` (with a zero-filled or empty init) to
    `dojo.matmul`, `linalg.add` and elementwise `linalg.generic` additions
    (with NumPy-style broadcast inputs) to `dojo.add`, and `linalg.max`
    against zero or an elementwise `linalg.generic` computing `max(x, 0)` to
    `dojo.relu`. Dead fills, empties and constants are removed afterwards.
    Any linalg op left is an error naming the op.
  }];
  let dependentDialects = ["::dojo::DojoDialect"];
}

def ConvertDojoToISA : Pass<"convert-dojo-to-isa", "mlir::ModuleOp"> {
  let summary = "Lower placed, allocated and scheduled kernels to the core ISA";
  let description = [{
    Builds one `dojoisa.program` per module from its single function: edge
    memory for arguments, kernel results and function results, the logical
    cores (the union of every kernel's cores), and one SPMD code section in
    which each core derives its grid point and tile addresses from
    `csrr coreid`. Each kernel becomes DMA loads, a semaphore wait, matrix
    and vector instructions, a DMA store and a wait; `dojo.barrier` becomes
    `barrier`. The function is erased.
  }];
  let dependentDialects = ["::dojo::isa_ir::DojoISADialect"];
}

#endif // DOJO_CONVERSION_PASSES_TD
