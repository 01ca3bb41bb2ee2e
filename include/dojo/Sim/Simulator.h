//===- Simulator.h - Functional and cycle simulator -------------*- C++ -*-===//
//
// Runs a Program on every core it names: exact numbers (shared numerics with
// the reference interpreter) and a cycle count derived only from the
// MachineDesc carried in the program. Deterministic. Never crashes on bad
// programs: every fault is a SimError with a precise message and a kind that
// maps to a distinct process exit code. No MLIR.
//===----------------------------------------------------------------------===//

#ifndef DOJO_SIM_SIMULATOR_H
#define DOJO_SIM_SIMULATOR_H

#include "dojo/ISA/Program.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dojo::sim {

/// Fault categories, each with its own exit code of dojo-run.
enum class FaultKind {
  None = 0,
  BadProgram = 10,         // corrupt or inconsistent program file
  IllegalInstruction = 11, // undecodable or invalid operands
  MemoryFault = 12,        // SRAM/DRAM out of bounds or misaligned
  Deadlock = 13,           // every live core waits forever
  Budget = 14,             // instruction budget exhausted (runaway program)
  BadInput = 15,           // missing/mismatched input tensors
};
const char *faultKindName(FaultKind k);

struct Options {
  /// Maximum instructions executed over all cores before stopping.
  uint64_t instructionBudget = 2'000'000'000ull;
};

struct CoreStats {
  int64_t row = 0, col = 0;
  uint64_t cycles = 0;       // time of halt
  uint64_t instructions = 0;
  uint64_t busy[5] = {};     // busy cycles per isa::Unit
  uint64_t macs = 0;         // useful multiply-accumulates
  uint64_t sramHighWater = 0; // highest SRAM byte touched + 1
};

struct Stats {
  uint64_t cycles = 0;       // makespan over all cores and transfers
  uint64_t instructions = 0;
  uint64_t macs = 0;
  uint64_t nocBytes = 0;     // bytes injected into the NoC (DMA payloads)
  uint64_t nocByteHops = 0;  // sum of bytes x hops
  uint64_t dramBytes = 0;    // bytes moved to/from edge memory
  uint64_t sramHighWater = 0; // max over cores
  int64_t coresUsed = 0;
  int64_t coresEnabled = 0;
  int64_t macPerCycle = 0;
  int64_t clockMhz = 0;
  std::vector<CoreStats> perCore; // by logical core id
  /// useful MACs / (cycles x enabled cores x MAC/cycle/core).
  double utilization() const;
  double seconds() const;
};

class Simulator {
public:
  Simulator(isa::Program program, Options options = {});
  ~Simulator();

  /// Sets an input symbol's bytes (must match dtype x shape size).
  absl::Status setInput(const std::string &name, const std::vector<uint8_t> &bytes);
  /// Runs to completion. On a fault returns a non-OK status; `fault()` then
  /// gives the kind and the message names core, pc, instruction and cause.
  absl::Status run();
  FaultKind fault() const;
  /// Bytes of an output (or input) symbol after run().
  absl::StatusOr<std::vector<uint8_t>> getSymbol(const std::string &name) const;
  const Stats &stats() const;
  const isa::Program &program() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace dojo::sim

#endif // DOJO_SIM_SIMULATOR_H
