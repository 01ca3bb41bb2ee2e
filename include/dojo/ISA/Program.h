//===- Program.h - Program files for the Dojo machine -----------*- C++ -*-===//
//
// A program is what the compiler emits and the simulator runs: the machine
// description, SPMD code sections, the mapping of logical cores to mesh
// coordinates, edge-memory (DRAM) layout with input/output symbols and
// constant data, and a debug line table. Two encodings:
//
//  * binary (`.dojo`), read with full validation (never trusts offsets);
//  * assembly text (`.s`), which round-trips with the binary form.
//
// See docs/isa.md for both formats. No MLIR.
//===----------------------------------------------------------------------===//

#ifndef DOJO_ISA_PROGRAM_H
#define DOJO_ISA_PROGRAM_H

#include "dojo/ISA/ISA.h"
#include "dojo/ISA/Numerics.h"
#include "dojo/Target/MachineDesc.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dojo::isa {

constexpr uint32_t kProgramVersion = 1;

/// A named tensor in edge memory: a program input or output.
struct Symbol {
  std::string name;
  bool isOutput = false;
  num::DType dtype = num::DType::F32;
  std::vector<int64_t> shape;
  uint64_t dramOffset = 0; // byte offset into edge memory, row-major dense

  /// Product of the dimensions (1 for rank 0), or -1 if a dimension is
  /// negative or the byte size could overflow int64.
  int64_t numElements() const;
  int64_t numBytes() const { return numElements() * num::dtypeBytes(dtype); }
  bool operator==(const Symbol &o) const;
};

/// Initial contents of part of edge memory (constants, weights).
struct DataSegment {
  uint64_t dramOffset = 0;
  std::vector<uint8_t> bytes;
  bool operator==(const DataSegment &o) const {
    return dramOffset == o.dramOffset && bytes == o.bytes;
  }
};

/// Logical core `i` of the program runs code section `section` on the mesh
/// core at (row, col). `csrr coreid` returns i.
struct CoreAssignment {
  int64_t row = 0;
  int64_t col = 0;
  uint32_t section = 0;
  bool operator==(const CoreAssignment &o) const {
    return row == o.row && col == o.col && section == o.section;
  }
};

/// Maps instruction `pc` of code section `section` to a source location
/// (typically an MLIR location such as `mlp.mlir:12:10`).
struct DebugLine {
  uint32_t section = 0;
  uint32_t pc = 0;
  std::string loc;
  bool operator==(const DebugLine &o) const {
    return section == o.section && pc == o.pc && loc == o.loc;
  }
};

struct Program {
  MachineDesc target;
  std::vector<std::vector<Instruction>> sections; // code sections
  std::vector<CoreAssignment> cores;              // indexed by logical id
  uint64_t dramBytes = 0;                         // edge memory size needed
  std::vector<Symbol> symbols;
  std::vector<DataSegment> data;
  std::vector<DebugLine> debug;

  /// Checks structural consistency against `target`: cores inside the mesh,
  /// not disabled, not repeated; section indices valid; symbols and data
  /// inside dramBytes; branch targets inside their section. Returns
  /// InvalidArgument with a precise message otherwise.
  absl::Status validate() const;
  const Symbol *findSymbol(const std::string &name) const;
  /// Location for (section, pc), or "" if the table has none.
  std::string locationOf(uint32_t section, uint32_t pc) const;
  /// Field-wise equality; the debug table compares as a list sorted by
  /// (section, pc) (stable), since its storage order carries no meaning.
  bool operator==(const Program &o) const;
};

/// Binary program file.
std::vector<uint8_t> writeBinary(const Program &p);
absl::StatusOr<Program> readBinary(const uint8_t *data, size_t size);

/// Assembly text.
std::string writeAssembly(const Program &p);
absl::StatusOr<Program> readAssembly(const std::string &text);

/// File helpers: pick the format from content (binary magic) not extension.
absl::StatusOr<Program> readProgramFile(const std::string &path);
absl::Status writeProgramFile(const Program &p, const std::string &path,
                              bool binary);

} // namespace dojo::isa

#endif // DOJO_ISA_PROGRAM_H
