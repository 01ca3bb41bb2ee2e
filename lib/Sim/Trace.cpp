//===- Trace.cpp - Chrome/Perfetto trace of a simulation ------------------===//
//
// See include/dojo/Sim/Trace.h.
//===----------------------------------------------------------------------===//

#include "dojo/Sim/Trace.h"

#include "absl/strings/str_format.h"

#include <fstream>

using namespace dojo;
using namespace dojo::sim;

namespace {
std::string usec(uint64_t cycles, int64_t mhz) {
  // Exact to the picosecond for any clock: integer part, then 6 decimals.
  uint64_t m = uint64_t(mhz > 0 ? mhz : 1);
  uint64_t whole = cycles / m, rem = cycles % m;
  unsigned __int128 frac = (unsigned __int128)rem * 1000000u / m;
  return absl::StrFormat("%d.%06d", whole, uint64_t(frac));
}

std::string where(int64_t r, int64_t c) {
  return r < 0 ? std::string("edge") : absl::StrFormat("(%d,%d)", r, c);
}

const char *kTrackNames[] = {"scalar", "matrix", "vector", "dma", "sync"};
} // namespace

void sim::writeChromeTrace(std::ostream &os, const Trace &trace,
                           const isa::Program &program) {
  const int64_t mhz = program.target.clock_mhz;
  os << "{\"displayTimeUnit\": \"ns\",\n\"otherData\": {\"target\": \""
     << program.target.str() << "\", \"clock_mhz\": " << mhz
     << ", \"truncated\": " << (trace.truncated ? "true" : "false")
     << "},\n\"traceEvents\": [\n";
  bool first = true;
  auto sep = [&]() -> std::ostream & {
    os << (first ? "" : ",\n");
    first = false;
    return os;
  };
  for (size_t i = 0; i < program.cores.size(); ++i) {
    const isa::CoreAssignment &a = program.cores[i];
    sep() << absl::StrFormat("{\"ph\": \"M\", \"name\": \"process_name\", "
                             "\"pid\": %d, \"args\": {\"name\": \"core %d "
                             "(%d,%d)\"}}",
                             i, i, a.row, a.col);
    sep() << absl::StrFormat("{\"ph\": \"M\", \"name\": "
                             "\"process_sort_index\", \"pid\": %d, \"args\": "
                             "{\"sort_index\": %d}}",
                             i, i);
    for (int u = 0; u < 5; ++u)
      sep() << absl::StrFormat("{\"ph\": \"M\", \"name\": \"thread_name\", "
                               "\"pid\": %d, \"tid\": %d, \"args\": "
                               "{\"name\": \"%s\"}}",
                               i, u, kTrackNames[u]);
  }
  for (const TraceEvent &e : trace.events) {
    const int u = int(e.unit);
    std::string name;
    if (e.unit == isa::Unit::Sync)
      name = std::string("wait (") + isa::info(e.op).mnemonic + ")";
    else if (e.count > 1)
      name = absl::StrFormat("scalar x%d", e.count);
    else
      name = isa::info(e.op).mnemonic;
    std::string args = absl::StrFormat("\"thread\": %d, \"pc\": %d, "
                                       "\"cycles\": %d, \"start_cycle\": %d",
                                       e.thread, e.pc, e.dur, e.start);
    if (e.count > 1)
      args += absl::StrFormat(", \"instructions\": %d", e.count);
    if (e.unit == isa::Unit::Dma) {
      std::string dst = where(e.dstRow, e.dstCol);
      if (e.height > 0)
        dst = absl::StrFormat("rect (%d,%d) %dx%d", e.dstRow, e.dstCol,
                              e.height, e.width);
      args += absl::StrFormat(", \"bytes\": %d, \"src\": \"%s\", \"dst\": "
                              "\"%s\", \"done_cycle\": %d",
                              e.bytes, where(e.srcRow, e.srcCol), dst, e.done);
    }
    sep() << absl::StrFormat("{\"ph\": \"X\", \"name\": \"%s\", \"cat\": "
                             "\"%s\", \"pid\": %d, \"tid\": %d, \"ts\": %s, "
                             "\"dur\": %s, \"args\": {%s}}",
                             name, kTrackNames[u], e.core, u,
                             usec(e.start, mhz), usec(e.dur, mhz), args);
  }
  os << "\n]}\n";
}

absl::Status sim::writeChromeTraceFile(const std::string &path,
                                       const Trace &trace,
                                       const isa::Program &program) {
  std::ofstream os(path);
  if (!os)
    return absl::UnavailableError("cannot write '" + path + "'");
  writeChromeTrace(os, trace, program);
  os.flush();
  if (!os)
    return absl::UnavailableError("cannot write '" + path + "'");
  return absl::OkStatus();
}
