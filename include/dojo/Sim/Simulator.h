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
#include "dojo/Sim/Trace.h"

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

/// Cycle: the discrete-event timing model (docs/isa.md section 6).
/// Functional: the same instructions and results, no timing: each runnable
/// thread runs until it blocks or halts, round-robin in a fixed order; DMA
/// transfers and semaphore messages land at issue. A race-free program
/// (docs/isa.md section 7) gives bit-identical outputs and the same faults
/// in both modes; cycle counts, busy times and link statistics are 0 in
/// functional mode.
enum class Mode { Cycle, Functional };

struct Options {
  /// Maximum instructions executed over all cores before stopping.
  uint64_t instructionBudget = 2'000'000'000ull;
  Mode mode = Mode::Cycle;
  /// Record a trace of every unit's activity (cycle mode only); see
  /// Simulator::trace() and Trace.h.
  bool trace = false;
  /// At most this many trace events are kept (Trace::truncated says if
  /// more happened).
  uint64_t traceLimit = 4'000'000ull;
};

struct CoreStats {
  int64_t row = 0, col = 0;
  uint64_t cycles = 0;       // time of halt
  uint64_t instructions = 0;
  /// Per isa::Unit: cycles the core's Scalar (issue), Matrix, Vector and
  /// Dma (engine) unit was busy; Sync: thread-cycles spent blocked in
  /// sem.wait and barrier (summed over threads).
  uint64_t busy[5] = {};
  uint64_t macs = 0;         // useful multiply-accumulates
  uint64_t sramHighWater = 0; // highest SRAM byte touched + 1
  uint64_t threads = 1;      // hardware threads that ran (1 + spawned ids)
};

/// Bytes carried by one directed NoC link (whole 64 B packets).
struct LinkStats {
  enum Kind : uint8_t {
    Mesh,     // router (row, col) -> its neighbour in direction dir
    ToEdge,   // boundary router (row, col) -> edge memory, direction dir
    FromEdge, // edge memory -> boundary router (row, col), direction dir
    Inject,   // core (row, col)'s DMA engine -> its router
    Eject,    // router -> core (row, col)'s SRAM
  };
  Kind kind = Mesh;
  int64_t row = 0, col = 0; // the router the link belongs to
  int dir = -1;             // 0 N, 1 E, 2 S, 3 W; -1 for Inject/Eject
  uint64_t bytes = 0;
  /// "(0,1)->(0,2)", "(0,0)->edge N", "edge W->(3,0)", "(1,1) inject",
  /// "(1,1) eject".
  std::string name() const;
  const char *kindName() const;
};

/// What the instructions of one source location (a layer: the program's
/// debug table) did, over all cores and threads.
struct LocationStats {
  std::string loc;
  /// Span from the earliest issue to the latest completion of the
  /// location's instructions (cycle mode; 0 and 0 in functional mode).
  uint64_t first = 0, last = 0;
  /// Thread-cycles spent in the location's instructions (issue to
  /// completion, waits included), summed over cores and threads, and the
  /// number of cores that ran them: busy / cores is a core's time in it.
  uint64_t busy = 0;
  int64_t cores = 0;
  uint64_t instructions = 0;
  uint64_t macs = 0;
  /// Highest SRAM byte + 1 the location's instructions addressed (its
  /// tiles, scratch or copy staging), over all cores.
  uint64_t sramHighWater = 0;
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
  int64_t linkBpc = 0;       // bytes/cycle of every NoC link
  std::vector<CoreStats> perCore; // by logical core id
  /// Per source location, in order of first execution.
  std::vector<LocationStats> locations;
  /// Links that carried bytes (cycle mode), in link id order.
  std::vector<LinkStats> links;
  /// Sum of bytes over all links (a transfer counts once per link).
  uint64_t linkBytes() const;
  /// The `n` links with the most bytes (ties: link id order).
  std::vector<LinkStats> hottestLinks(size_t n) const;
  /// bytes / (cycles x link bandwidth).
  double linkUtilization(const LinkStats &l) const;
  /// busy[unit] / cycles (the makespan).
  double busyFraction(const CoreStats &c, isa::Unit unit) const;
  /// macs / (cycles x MAC/cycle): the core's matrix unit utilization.
  double macUtilization(const CoreStats &c) const;
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
  /// Activity recorded when Options::trace is set (empty otherwise).
  const Trace &trace() const;
  const isa::Program &program() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace dojo::sim

#endif // DOJO_SIM_SIMULATOR_H
