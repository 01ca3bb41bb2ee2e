//===- Interpreter.h - Reference interpreter of the dojo graph --*- C++ -*-===//
//
// Executes graph-level IR (func.func with dojo ops on tensors, including
// dojo.kernel bodies run per grid point) with the exact semantics the
// hardware implements: FP32 accumulation in ascending k, one rounding to the
// result type, shared conversion routines with the simulator.
//===----------------------------------------------------------------------===//

#ifndef DOJO_REFERENCE_INTERPRETER_H
#define DOJO_REFERENCE_INTERPRETER_H

#include "dojo/ISA/Numerics.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <vector>

namespace dojo::ref {

/// A dense row-major tensor. Float elements are held in `data` as FP32
/// values that are exactly representable in `dtype` (BF16 values are rounded
/// on store). Integer and boolean tensors (MLIR `i1`, `i8`, `i16`, `i32`,
/// `i64`) have `dtype` I32, `intBits` 1, 8, 16, 32 or 64, and their values
/// in `ints` (sign-extended from `intBits`; `i1` as 0 or 1).
struct Tensor {
  num::DType dtype = num::DType::F32;
  std::vector<int64_t> shape;
  std::vector<float> data;
  std::vector<int64_t> ints;
  unsigned intBits = 0;

  bool isInteger() const { return intBits != 0; }
  /// Wraps every value of an integer tensor to `intBits` (two's complement;
  /// `i1` keeps the lowest bit).
  void wrapInts();
  int64_t numElements() const;
  /// Raw little-endian bytes in `dtype` (BF16 as 2-byte patterns; integer
  /// tensors as int32, saturating).
  std::vector<uint8_t> toBytes() const;
  /// From raw bytes of `dtype`; I32 gives an integer tensor (intBits 32).
  static Tensor fromBytes(num::DType dtype, std::vector<int64_t> shape,
                          const std::vector<uint8_t> &bytes);
};

/// Runs `func` on `inputs` (one per argument, matching types). Emits an
/// error diagnostic at the offending op and fails on unsupported ops or
/// mismatched inputs.
mlir::FailureOr<std::vector<Tensor>> interpret(mlir::func::FuncOp func,
                                               llvm::ArrayRef<Tensor> inputs);

} // namespace dojo::ref

#endif // DOJO_REFERENCE_INTERPRETER_H
