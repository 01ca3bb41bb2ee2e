//===- ProgramFuzzer.cpp - libFuzzer harness: load and run program files ---===//
//
// Every input is read twice: as a binary program file (isa::readBinary) and
// as assembly text (isa::readAssembly). A program that loads must
//
//  * survive both round trips (writeBinary -> readBinary and writeAssembly ->
//    readAssembly give an equal program), and
//  * run on the simulator, in cycle mode (with a trace) and in functional
//    mode, to completion or to a clean fault, with every input symbol set to
//    deterministic bytes (any bit pattern: NaN, Inf, denormals) and a small
//    instruction budget, so runaway programs stop.
//
// Anything else (a crash, a sanitizer report, a failed round trip, a hang
// caught by libFuzzer's -timeout) is a bug. Built with clang
// -fsanitize=fuzzer,address,undefined by fuzz/CMakeLists.txt (see
// scripts/fuzz.sh); fuzz/ReplayMain.cpp links the same entry point into a
// plain executable that replays files (no libFuzzer needed).
//
// Resource limits of the harness (not of the simulator), so that each
// execution stays around a millisecond and fits libFuzzer's memory limit:
// programs whose machine needs more than kMaxMemoryBytes of SRAM plus edge
// memory, or with a single instruction doing more than kMaxWork elements of
// work (from its immediates), are loaded and round-tripped but not run.
//===----------------------------------------------------------------------===//

#include "dojo/ISA/Program.h"
#include "dojo/Sim/Simulator.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

using namespace dojo;

namespace {

constexpr uint64_t kMaxMemoryBytes = uint64_t(64) << 20;
constexpr uint64_t kMaxWork = uint64_t(1) << 22;
constexpr uint64_t kInstructionBudget = 20000;

[[noreturn]] void die(const char *what, const std::string &detail) {
  std::fprintf(stderr, "ProgramFuzzer: %s\n%s\n", what, detail.c_str());
  std::abort();
}

uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Deterministic bytes for an input: a splitmix64 stream seeded with the
/// FNV-1a hash of the name (raw bits, so every special value shows up).
std::vector<uint8_t> inputBytes(const isa::Symbol &sym) {
  uint64_t state = 1469598103934665603ull;
  for (char c : sym.name)
    state = (state ^ uint8_t(c)) * 1099511628211ull;
  std::vector<uint8_t> bytes(size_t(sym.numBytes()));
  for (size_t i = 0; i < bytes.size(); i += 8) {
    uint64_t v = splitmix64(state);
    for (size_t j = 0; j < 8 && i + j < bytes.size(); ++j)
      bytes[i + j] = uint8_t(v >> (8 * j));
  }
  return bytes;
}

/// |a| * |b| * ..., saturating at 2^64 - 1.
uint64_t absProduct(std::initializer_list<int64_t> factors) {
  unsigned __int128 p = 1;
  for (int64_t v : factors) {
    p *= v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v);
    if (p > ~uint64_t(0))
      return ~uint64_t(0);
  }
  return uint64_t(p);
}

/// Elements (or bytes) one instruction touches, from its immediates only:
/// an upper bound of its host work that is known before running. (A tile
/// operand's rows and cols are immediates; a multicast's rectangle is too.)
uint64_t workOf(const isa::Instruction &in) {
  const isa::OpcodeInfo &oi = in.getInfo();
  auto imm = [&](const char *name, int64_t absent) -> int64_t {
    int i = oi.immIndex(name);
    return i < 0 ? absent : in.imms[i];
  };
  switch (oi.unit) {
  case isa::Unit::Matrix:
    return absProduct({imm("m", 0), imm("n", 0), imm("k", 0)});
  case isa::Unit::Vector:
    return absProduct({imm("rows", 0), imm("cols", 0)});
  case isa::Unit::Dma:
    return absProduct({imm("rows", 0), imm("bytes", 0), imm("height", 1),
                       imm("width", 1)});
  default:
    return 1;
  }
}

bool affordable(const isa::Program &p) {
  unsigned __int128 mem = (unsigned __int128)uint64_t(p.target.sram_bytes) *
                              p.cores.size() +
                          p.dramBytes;
  if (p.target.sram_bytes < 0 || mem > kMaxMemoryBytes)
    return false;
  for (const auto &section : p.sections)
    for (const isa::Instruction &in : section)
      if (workOf(in) > kMaxWork)
        return false;
  return true;
}

void checkRoundTrips(const isa::Program &p) {
  std::vector<uint8_t> bin = isa::writeBinary(p);
  absl::StatusOr<isa::Program> b = isa::readBinary(bin.data(), bin.size());
  if (!b.ok())
    die("writeBinary output does not read back", std::string(b.status().message()));
  if (!(*b == p))
    die("binary round trip changed the program", isa::writeAssembly(p));

  std::string text = isa::writeAssembly(p);
  absl::StatusOr<isa::Program> a = isa::readAssembly(text);
  if (!a.ok())
    die("writeAssembly output does not read back",
        std::string(a.status().message()) + "\n" + text);
  if (!(*a == p))
    die("assembly round trip changed the program", text);
}

void runIn(const isa::Program &p, sim::Mode mode) {
  sim::Options opts;
  opts.instructionBudget = kInstructionBudget;
  opts.mode = mode;
  // The trace is recorded in cycle mode; a small limit also exercises its
  // truncation.
  opts.trace = mode == sim::Mode::Cycle;
  opts.traceLimit = 4096;
  sim::Simulator s(p, opts);
  for (const isa::Symbol &sym : p.symbols) {
    if (sym.isOutput)
      continue;
    if (absl::Status st = s.setInput(sym.name, inputBytes(sym)); !st.ok())
      die("setInput failed on a valid program", std::string(st.message()));
  }
  absl::Status st = s.run();
  sim::FaultKind k = s.fault();
  if (st.ok() != (k == sim::FaultKind::None))
    die("run() status and fault() disagree", std::string(st.message()));
  if (!st.ok() && st.message().empty())
    die("a fault without a message", sim::faultKindName(k));
  // A valid program never fails to load: that is reported before running.
  if (k == sim::FaultKind::BadProgram || k == sim::FaultKind::BadInput)
    die("a valid program with all inputs set faulted as bad program/input",
        std::string(st.message()));
  const sim::Stats &stats = s.stats();
  if (stats.perCore.size() != p.cores.size())
    die("stats.perCore does not have one entry per core", "");
  if (stats.instructions > kInstructionBudget)
    die("more instructions executed than the budget allows", "");
  const sim::Trace &trace = s.trace();
  if (trace.events.size() > opts.traceLimit)
    die("the trace holds more events than traceLimit", "");
  if (!trace.events.empty()) {
    std::ostringstream os;
    sim::writeChromeTrace(os, trace, p);
    if (os.str().empty())
      die("writeChromeTrace wrote nothing for a non-empty trace", "");
  }
  for (const isa::Symbol &sym : p.symbols) {
    absl::StatusOr<std::vector<uint8_t>> b = s.getSymbol(sym.name);
    if (!b.ok() || int64_t(b->size()) != sym.numBytes())
      die("getSymbol failed on a valid program", sym.name);
  }
}

void run(const isa::Program &p) {
  if (!affordable(p))
    return;
  runIn(p, sim::Mode::Cycle);
  runIn(p, sim::Mode::Functional);
}

void fuzzOne(const uint8_t *data, size_t size) {
  absl::StatusOr<isa::Program> bin = isa::readBinary(data, size);
  if (bin.ok()) {
    checkRoundTrips(*bin);
    run(*bin);
  } else if (bin.status().message().empty()) {
    die("readBinary failed without a message", "");
  }
  absl::StatusOr<isa::Program> text =
      isa::readAssembly(std::string(reinterpret_cast<const char *>(data), size));
  if (text.ok()) {
    checkRoundTrips(*text);
    run(*text);
  } else if (text.status().message().empty()) {
    die("readAssembly failed without a message", "");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzzOne(data, size);
  return 0;
}
