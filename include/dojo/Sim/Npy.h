//===- Npy.h - NumPy .npy files for program inputs and outputs --*- C++ -*-===//
//
// Reads and writes the .npy format (versions 1.0, 2.0 and 3.0 headers; C
// order only; little-endian data) and converts between .npy arrays and the
// bytes of a program symbol:
//
//   symbol dtype   accepted .npy dtype          written .npy dtype
//   f32            <f4                          <f4
//   i32            <i4                          <i4
//   i8             |i1                          |i1
//   bf16           <u2 (raw BF16 bits) or       <f4 (exact: every BF16 value
//                  <f4 (rounded to nearest         is an FP32 value)
//                  even with num::f32ToBf16)
//
// NumPy has no bfloat16, hence the two spellings on input. No MLIR.
//===----------------------------------------------------------------------===//

#ifndef DOJO_SIM_NPY_H
#define DOJO_SIM_NPY_H

#include "dojo/ISA/Program.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dojo::sim {

struct NpyArray {
  /// NumPy dtype string as in the header, e.g. "<f4", "<i4", "|i1", "<u2".
  std::string descr;
  std::vector<int64_t> shape;
  /// Element data in C order, little-endian, exactly numElements x itemsize.
  std::vector<uint8_t> data;

  int64_t numElements() const;
};

/// Parses an in-memory .npy file. `what` names it in error messages.
absl::StatusOr<NpyArray> parseNpy(const uint8_t *bytes, size_t size,
                                  const std::string &what = "npy");
absl::StatusOr<NpyArray> readNpy(const std::string &path);
/// Serializes with a version 1.0 header (2.0 if the header is too long).
std::vector<uint8_t> encodeNpy(const NpyArray &a);
absl::Status writeNpy(const std::string &path, const NpyArray &a);

/// Checks `a` against the symbol's shape and dtype (see the table above) and
/// returns the symbol's bytes, ready for Simulator::setInput.
absl::StatusOr<std::vector<uint8_t>> npyToSymbolBytes(const NpyArray &a,
                                                      const isa::Symbol &sym);
/// Wraps a symbol's bytes (e.g. from Simulator::getSymbol) as an array.
absl::StatusOr<NpyArray> symbolBytesToNpy(const std::vector<uint8_t> &bytes,
                                          const isa::Symbol &sym);

/// Convenience: readNpy + npyToSymbolBytes, and symbolBytesToNpy + writeNpy.
absl::StatusOr<std::vector<uint8_t>> readSymbolNpy(const std::string &path,
                                                   const isa::Symbol &sym);
absl::Status writeSymbolNpy(const std::string &path, const isa::Symbol &sym,
                            const std::vector<uint8_t> &bytes);

} // namespace dojo::sim

#endif // DOJO_SIM_NPY_H
