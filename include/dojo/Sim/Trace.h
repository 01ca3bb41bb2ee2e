//===- Trace.h - Activity trace of a simulation ------------------*- C++ -*-===//
//
// What every unit of every core did and when, recorded by the simulator when
// Options::trace is set, and its Chrome/Perfetto JSON form (trace event
// format: a process per core, a thread track per unit, "X" complete events
// with timestamps in microseconds at the target clock). No MLIR.
//===----------------------------------------------------------------------===//

#ifndef DOJO_SIM_TRACE_H
#define DOJO_SIM_TRACE_H

#include "dojo/ISA/Program.h"

#include "absl/status/status.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace dojo::sim {

struct TraceEvent {
  uint64_t start = 0, dur = 0; // cycles
  uint32_t core = 0;           // logical core
  uint32_t thread = 0;         // hardware thread that issued it
  isa::Unit unit = isa::Unit::Scalar; // the track (Sync: a blocked thread)
  isa::Opcode op = isa::Opcode::Nop;
  uint32_t count = 1; // back-to-back scalar instructions of one thread merge
  uint32_t pc = 0;    // of the (first) instruction
  // DMA transfers (unit Dma): payload bytes, end points (-1: edge memory),
  // the rectangle of a multicast and the time the last destination's data
  // landed. dur covers the data movement on the engine and links.
  uint64_t bytes = 0, done = 0;
  int64_t srcRow = -1, srcCol = -1, dstRow = -1, dstCol = -1;
  int64_t height = 0, width = 0;
};

struct Trace {
  std::vector<TraceEvent> events; // in the order they were recorded
  bool truncated = false;         // Options::traceLimit was reached
};

/// Writes `trace` in the Chrome trace event JSON format. pid = logical core
/// (named "core <id> (<row>,<col>)"), tid = unit (0 scalar, 1 matrix,
/// 2 vector, 3 dma, 4 sync waits), ts and dur in microseconds
/// (cycles / clock_mhz).
void writeChromeTrace(std::ostream &os, const Trace &trace,
                      const isa::Program &program);
absl::Status writeChromeTraceFile(const std::string &path, const Trace &trace,
                                  const isa::Program &program);

} // namespace dojo::sim

#endif // DOJO_SIM_TRACE_H
