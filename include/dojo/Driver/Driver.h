//===- Driver.h - Compile, simulate and verify in one call ------*- C++ -*-===//
//
// The API behind dojo-run and the Python module. Uses only standard and
// project (non-MLIR) types in its interface so callers built with
// exceptions (pybind11) never include MLIR headers.
//===----------------------------------------------------------------------===//

#ifndef DOJO_DRIVER_DRIVER_H
#define DOJO_DRIVER_DRIVER_H

#include "dojo/ISA/Program.h"

#include <map>
#include <string>
#include <vector>

namespace dojo::driver {

/// A tensor crossing the API: dtype, shape and raw bytes in that dtype.
struct HostTensor {
  std::string name;
  num::DType dtype = num::DType::F32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;
};

struct CompileOptions {
  /// MachineDesc text form; empty keeps the module's dojo.target (d1 if it
  /// has none).
  std::string target = "d1";
  /// Per-pass option overrides applied to dojo-pipeline's passes, e.g.
  /// "dojo-tile{grid=1,1} dojo-schedule{k-chunks=2}".
  std::string extraPipeline;
  bool keepStages = false;     // record IR after every stage
  /// Stop after dojo-graph-pipeline: only graphIR is produced (for models
  /// that run on the reference interpreter only).
  bool graphOnly = false;
};

struct CompileResult {
  bool ok = false;
  std::string diagnostics;     // all diagnostics, formatted with locations
  isa::Program program;
  std::string graphIR;         // IR after convert-linalg-to-dojo (for verify)
  std::map<std::string, std::string> stages; // stage name -> IR, if kept
};

/// Parses `mlirText` (linalg/dojo on tensors) and runs dojo-pipeline.
CompileResult compile(const std::string &mlirText,
                      const std::string &sourceName,
                      const CompileOptions &options);

struct ReferenceResult {
  bool ok = false;
  std::string diagnostics;
  std::vector<HostTensor> outputs;
};

/// Runs the reference interpreter on graph-level IR text (e.g. graphIR).
ReferenceResult runReference(const std::string &graphIR,
                             const std::vector<HostTensor> &inputs);

} // namespace dojo::driver

#endif // DOJO_DRIVER_DRIVER_H
