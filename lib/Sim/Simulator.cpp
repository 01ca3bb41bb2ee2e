//===- Simulator.cpp - Functional and cycle simulator ---------------------===//
//
// Discrete-event simulation of the cores a Program names:
//
//  * every core has up to MachineDesc::threads hardware threads, each with
//    its own registers, pc and local clock; they share the core's SRAM,
//    semaphores and units (scalar issue, matrix, vector, DMA engine), each
//    unit with one busy-until time per core;
//  * the scheduler always advances the ready thread with the smallest
//    (time, core, thread) by one instruction, and first delivers every
//    pending event (DMA completion, semaphore signal) whose time is <= that
//    thread's time, in (time, issue order) order;
//  * DMA transfers are checked at issue, reserve the NoC links of their
//    route (Noc.h) and copy their data when they complete; completion
//    increments a semaphore and may wake a waiting thread;
//  * functional mode (Options::mode) runs the same instructions without
//    time: each thread until it blocks, round-robin; transfers land at issue;
//  * all timing figures come from the program's MachineDesc.
//
// See docs/isa.md for the exact semantics and timing rules implemented here.
//===----------------------------------------------------------------------===//

#include "dojo/Sim/Simulator.h"
#include "Noc.h"
#include "dojo/Sim/Kernels.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <queue>

using namespace dojo;
using namespace dojo::sim;
using isa::Instruction;
using isa::Opcode;
using isa::Unit;

const char *sim::faultKindName(FaultKind k) {
  switch (k) {
  case FaultKind::None:
    return "none";
  case FaultKind::BadProgram:
    return "bad program";
  case FaultKind::IllegalInstruction:
    return "illegal instruction";
  case FaultKind::MemoryFault:
    return "memory fault";
  case FaultKind::Deadlock:
    return "deadlock";
  case FaultKind::Budget:
    return "instruction budget exhausted";
  case FaultKind::BadInput:
    return "bad input";
  }
  return "unknown";
}

double Stats::utilization() const {
  if (cycles == 0 || coresEnabled <= 0 || macPerCycle <= 0)
    return 0.0;
  return double(macs) /
         (double(cycles) * double(coresEnabled) * double(macPerCycle));
}

double Stats::seconds() const {
  return clockMhz > 0 ? double(cycles) / (double(clockMhz) * 1e6) : 0.0;
}

uint64_t Stats::linkBytes() const {
  uint64_t n = 0;
  for (const LinkStats &l : links)
    n += l.bytes;
  return n;
}

std::vector<LinkStats> Stats::hottestLinks(size_t n) const {
  std::vector<LinkStats> v = links;
  std::stable_sort(v.begin(), v.end(), [](const LinkStats &a,
                                          const LinkStats &b) {
    return a.bytes > b.bytes;
  });
  if (v.size() > n)
    v.resize(n);
  return v;
}

double Stats::linkUtilization(const LinkStats &l) const {
  if (cycles == 0 || linkBpc <= 0)
    return 0.0;
  return double(l.bytes) / (double(cycles) * double(linkBpc));
}

double Stats::busyFraction(const CoreStats &c, Unit unit) const {
  return cycles ? double(c.busy[int(unit)]) / double(cycles) : 0.0;
}

double Stats::macUtilization(const CoreStats &c) const {
  if (cycles == 0 || macPerCycle <= 0)
    return 0.0;
  return double(c.macs) / (double(cycles) * double(macPerCycle));
}

namespace {
/// Cycle counts saturate here instead of overflowing (a program would need
/// to run for 73 years of simulated time at 2 GHz to reach it).
constexpr uint64_t kTimeCap = uint64_t(1) << 62;
typedef unsigned __int128 u128;

inline uint64_t sat(u128 v) { return v > kTimeCap ? kTimeCap : uint64_t(v); }
inline uint64_t tadd(uint64_t a, uint64_t b) { return sat(u128(a) + b); }
inline u128 ceilDiv(u128 a, u128 b) { return a / b + (a % b != 0); }

std::string u128Str(u128 v) {
  if (v == 0)
    return "0";
  std::string s;
  while (v) {
    s += char('0' + int(v % 10));
    v /= 10;
  }
  return std::string(s.rbegin(), s.rend());
}
std::string i128Str(__int128 v) {
  return v < 0 ? "-" + u128Str(u128(-v)) : u128Str(u128(v));
}

// The matrix unit's step geometry (part of the ISA, not the machine
// description): one step multiplies an 8x4 by a 4x8 BF16 block.
constexpr int64_t kStepM = 8, kStepN = 8, kStepK = 4;
constexpr int64_t kStepMacs = kStepM * kStepN * kStepK;            // 256
constexpr int64_t kStepLoadBytes = (kStepM + kStepN) * kStepK * 2; // 128

struct FreeDeleter {
  void operator()(uint8_t *p) const { std::free(p); }
};
using Buffer = std::unique_ptr<uint8_t[], FreeDeleter>;

/// Zeroed memory; calloc lets the OS hand out untouched pages lazily, so a
/// d1-sized mesh only pays for the SRAM it uses.
Buffer zeroed(uint64_t n) {
  return Buffer(static_cast<uint8_t *>(std::calloc(n ? n : 1, 1)));
}

enum class State : uint8_t { Ready, WaitSem, WaitBarrier, Halted };

struct Thread;

/// What a core's hardware threads share: SRAM, semaphores, and one
/// busy-until time per unit.
/// EngineStart: a core's DMA engine is free for its next queued transfer.
enum class EvKind : uint8_t { DmaLd, DmaSt, Put, Signal, EngineStart };

struct Event {
  uint64_t time = 0, seq = 0;
  EvKind kind = EvKind::Signal;
  uint32_t src = 0; // issuing core
  uint32_t dst = 0; // core whose semaphore is incremented (and, for put,
                    // whose SRAM receives the data)
  int32_t sem = 0;
  int64_t count = 0;
  uint64_t dstAddr = 0, srcAddr = 0;
  int64_t rows = 0, bytes = 0, dstride = 0, sstride = 0;
};
/// A DMA transfer as issued (dma.ld, dma.st, dma.put, dma.mcast), checked
/// and ready to run on the engine: `e` is its delivery, `at`/`ids` a
/// multicast's destinations.
struct Thread;
struct Transfer {
  Event e;
  isa::Opcode op = isa::Opcode::Nop;
  uint64_t payload = 0, wire = 0;
  uint32_t target = 0;
  unsigned edgeMask = 0;
  const Thread *thread = nullptr;
  uint32_t pc = 0;
  int64_t mrow = 0, mcol = 0, height = 0, width = 0;
  std::vector<CoreCoord> at;
  std::vector<uint32_t> ids;
};

struct CoreState {
  uint32_t id = 0;
  int64_t row = 0, col = 0;
  uint32_t section = 0;
  const Instruction *code = nullptr;
  uint32_t ncode = 0;
  std::vector<int64_t> sem;
  Buffer sram;
  num::Biases biases;  // CSRs cfp8_bias143, cfp8_bias152, cfp16_bias
  uint64_t srSeed = 0; // CSR sr_seed
  num::SrRng rng;      // stochastic rounding, seeded from (srSeed, id)
  uint64_t scalarFree = 0, matrixFree = 0, vectorFree = 0, dmaFree = 0;
  /// Transfers issued while the DMA engine was busy, in issue order; an
  /// EngineStart event is pending while it is not empty.
  std::deque<Transfer> dmaQueue;
  bool startPending = false;
  /// The SRAM load and store ports the matrix and vector units share, as
  /// fluid FIFO queues in bytes (busy until queue / port bytes per cycle).
  u128 loadQueue = 0, storeQueue = 0;
  uint32_t live = 0;      // threads not halted
  uint32_t atBarrier = 0; // threads waiting in `barrier`
  size_t lastScalarEv = SIZE_MAX; // trace: the scalar run to extend
  std::vector<std::unique_ptr<Thread>> threads; // sorted by thread id
  CoreStats st;
};

/// One hardware thread. The members naming the core (id, row, col, section,
/// code, ncode, sram, sem, st) refer to its core, so instruction code reads
/// the same whichever thread runs it.
struct Thread {
  Thread(CoreState &cs, uint64_t tid)
      : core(cs), id(cs.id), row(cs.row), col(cs.col), section(cs.section),
        code(cs.code), ncode(cs.ncode), sram(cs.sram), sem(cs.sem),
        st(cs.st), tid(tid) {}
  CoreState &core;
  const uint32_t id; // logical core id
  const int64_t row, col;
  const uint32_t section;
  const Instruction *const code;
  const uint32_t ncode;
  Buffer &sram;
  std::vector<int64_t> &sem;
  CoreStats &st;
  const uint64_t tid; // hardware thread id
  int64_t r[isa::kNumRegs] = {};
  uint32_t pc = 0;
  uint64_t t = 0;
  State state = State::Ready;
  int32_t waitSem = 0;
  int64_t waitCount = 0;
  uint64_t waitStart = 0;
  /// CSR edge_mask: the thread's own (every thread starts with all edges).
  unsigned edgeMask = unsigned(isa::kAllEdges);
};

struct EventLater {
  bool operator()(const Event &a, const Event &b) const {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
};
struct ReadyEntry {
  uint64_t t;
  uint32_t core;
  uint64_t tid;
  Thread *th;
  /// Runs before (t, core, tid)?
  bool before(uint64_t t2, uint32_t core2, uint64_t tid2) const {
    return t != t2 ? t < t2 : core != core2 ? core < core2 : tid < tid2;
  }
};
struct ReadyLater {
  bool operator()(const ReadyEntry &a, const ReadyEntry &b) const {
    return b.before(a.t, a.core, a.tid);
  }
};

absl::Status statusFor(FaultKind k, const std::string &msg) {
  switch (k) {
  case FaultKind::IllegalInstruction:
    return absl::FailedPreconditionError(msg);
  case FaultKind::MemoryFault:
    return absl::OutOfRangeError(msg);
  case FaultKind::Deadlock:
    return absl::AbortedError(msg);
  case FaultKind::Budget:
    return absl::ResourceExhaustedError(msg);
  default:
    return absl::InvalidArgumentError(msg);
  }
}

bool validDType(int32_t v) { return num::isDType(v); }
num::DType asDType(int32_t v) { return static_cast<num::DType>(v); }

/// Vector passes per vector of data, by opcode: ISA constants (docs/isa.md,
/// section 6.2), not machine parameters.
uint64_t vectorPasses(Opcode op) {
  switch (op) {
  case Opcode::Vdiv:
  case Opcode::Vrecip:
  case Opcode::Vsqrt:
  case Opcode::Vrsqrt:
    return 4;
  case Opcode::Vexp:
  case Opcode::Vlog:
    return 8;
  case Opcode::Vtanh:
    return 10;
  case Opcode::Verf:
    return 12;
  default:
    return 1;
  }
}
} // namespace

struct Simulator::Impl {
  isa::Program prog;
  Options opt;
  bool cycle = true;   // opt.mode == Mode::Cycle
  bool tracing = false; // cycle && opt.trace
  absl::Status progStatus;
  FaultKind lastFault = FaultKind::None;
  Stats stats;
  Trace trace;

  // Machine figures, as unsigned cycle/byte quantities.
  uint64_t sramBytes = 0, loadBpc = 1, storeBpc = 1, macPerCycle = 1,
           matrixLat = 0, simdBytes = 1, vectorLat = 0, scalarLat = 1,
           linkBpc = 1, hopLat = 0, dmaLat = 0, barrierLat = 0,
           edgeTotalBpc = 1, edgeLat = 0, packetBytes = 1;
  int64_t nsem = 0, threadsPerCore = 1;

  Buffer dram;
  bool dramBuilt = false;
  std::map<std::string, std::vector<uint8_t>> inputs;
  std::map<std::pair<uint32_t, uint32_t>, std::string> locs;

  std::vector<CoreState> cores; // never resized while threads exist
  std::vector<int32_t> coreAt;  // mesh index -> logical core, or -1
  std::priority_queue<Event, std::vector<Event>, EventLater> events;
  std::priority_queue<ReadyEntry, std::vector<ReadyEntry>, ReadyLater> ready;
  std::deque<Thread *> runq; // functional mode
  uint64_t seq = 0, lastEvent = 0, executed = 0;
  u128 dramFreeBytes = 0; // edge memory busy until dramFreeBytes / bandwidth
  detail::Noc noc;
  std::vector<uint32_t> path;      // scratch: links of a route
  std::vector<CoreCoord> mcastAt;  // scratch: multicast destinations
  std::vector<uint32_t> mcastIds;
  uint32_t barrierArrived = 0; // cores with a thread waiting at the barrier
  uint64_t barrierMax = 0;
  kernels::Scratch scratch;

  // Set by fault().
  FaultKind pendingKind = FaultKind::None;
  std::string pendingMsg;

  Impl(isa::Program p, Options o) : prog(std::move(p)), opt(o) {
    cycle = opt.mode == Mode::Cycle;
    tracing = cycle && opt.trace;
    progStatus = prog.validate();
    if (!progStatus.ok()) {
      progStatus = absl::InvalidArgumentError(
          "bad program: " + std::string(progStatus.message()));
      return;
    }
    const MachineDesc &m = prog.target;
    sramBytes = m.sram_bytes;
    loadBpc = m.sram_load_bpc;
    storeBpc = m.sram_store_bpc;
    macPerCycle = m.mac_per_cycle;
    matrixLat = m.matrix_latency;
    simdBytes = m.simd_bytes;
    vectorLat = m.vector_latency;
    scalarLat = m.scalar_latency;
    linkBpc = m.noc_link_bpc;
    hopLat = m.noc_hop_latency;
    dmaLat = m.dma_latency;
    barrierLat = m.barrier_latency;
    edgeTotalBpc = m.edgeBytesPerCycleTotal();
    edgeLat = m.edge_latency;
    packetBytes = m.noc_packet_bytes;
    nsem = m.semaphores;
    threadsPerCore = m.threads;
    noc.init(m);
    for (const isa::DebugLine &l : prog.debug)
      locs.emplace(std::make_pair(l.section, l.pc), l.loc);
    // Per-pc location ids for the per-layer statistics.
    locIds.resize(prog.sections.size());
    for (size_t sec = 0; sec < prog.sections.size(); ++sec)
      locIds[sec].assign(prog.sections[sec].size(), -1);
    std::map<std::string, int32_t> ids;
    for (const isa::DebugLine &l : prog.debug) {
      if (l.section >= locIds.size() || l.pc >= locIds[l.section].size() ||
          l.loc.empty())
        continue;
      auto [it, fresh] = ids.emplace(l.loc, int32_t(locStats.size()));
      if (fresh) {
        LocationStats ls;
        ls.loc = l.loc;
        ls.first = UINT64_MAX;
        locStats.push_back(ls);
        locCores.emplace_back();
      }
      locIds[l.section][l.pc] = it->second;
    }
  }

  // Per-layer statistics: the location of the instruction being executed
  // (-1: none) and what each location did.
  std::vector<std::vector<int32_t>> locIds;
  std::vector<LocationStats> locStats;
  std::vector<std::vector<bool>> locCores; // cores seen, per location
  int32_t curLoc = -1;

  //===--------------------------------------------------------------------===//
  // Faults
  //===--------------------------------------------------------------------===//

  std::string where(const Thread &c) const {
    std::string s = absl::StrFormat("core %d (%d,%d) thread %d pc %d", c.id,
                                    c.row, c.col, c.tid, c.pc);
    if (c.pc < c.ncode) {
      s += " `" + isa::print(c.code[c.pc]) + "`";
      auto it = locs.find({c.section, c.pc});
      if (it != locs.end())
        s += " at " + it->second;
    }
    return s;
  }

  /// Records a fault at core `c`'s current instruction; returns false.
  bool fault(const Thread &c, FaultKind k, const std::string &cause) {
    pendingKind = k;
    pendingMsg = where(c) + ": " + cause;
    return false;
  }

  bool illegal(const Thread &c, const std::string &cause) {
    return fault(c, FaultKind::IllegalInstruction, cause);
  }

  //===--------------------------------------------------------------------===//
  // Memory checks
  //===--------------------------------------------------------------------===//

  /// [addr, addr + len) inside core `owner`'s SRAM and `align`-aligned.
  /// `c` is the core executing the instruction (for the message).
  bool checkSram(const Thread &c, Thread &owner, int64_t addr, u128 len,
                 uint64_t align, const char *what) {
    return checkSram(c, owner.core, addr, len, align, what);
  }
  bool checkSram(const Thread &c, CoreState &owner, int64_t addr, u128 len,
                 uint64_t align, const char *what) {
    if (addr < 0 || uint64_t(addr) > sramBytes ||
        len > u128(sramBytes - uint64_t(addr))) {
      std::string mem = owner.id == c.id
                            ? std::string("SRAM")
                            : absl::StrFormat("core %d SRAM", owner.id);
      return fault(c, FaultKind::MemoryFault,
                   absl::StrFormat("%s: %s access [%s, %s) out of bounds "
                                   "(sram_bytes %d)",
                                   what, mem, i128Str(addr),
                                   i128Str(__int128(addr) + __int128(len)),
                                   sramBytes));
    }
    if (align > 1 && uint64_t(addr) % align != 0)
      return fault(c, FaultKind::MemoryFault,
                   absl::StrFormat("%s: misaligned SRAM address %d (must be "
                                   "a multiple of %d)",
                                   what, addr, align));
    uint64_t end = uint64_t(addr) + uint64_t(len);
    if (len != 0 && end > owner.st.sramHighWater)
      owner.st.sramHighWater = end;
    if (len != 0 && curLoc >= 0 && end > locStats[size_t(curLoc)].sramHighWater)
      locStats[size_t(curLoc)].sramHighWater = end;
    return true;
  }

  bool checkDram(const Thread &c, int64_t addr, u128 len, const char *what) {
    uint64_t size = prog.dramBytes;
    if (addr < 0 || uint64_t(addr) > size || len > u128(size - uint64_t(addr)))
      return fault(c, FaultKind::MemoryFault,
                   absl::StrFormat("%s: edge memory access [%s, %s) out of "
                                   "bounds (dram_bytes %d)",
                                   what, i128Str(addr),
                                   i128Str(__int128(addr) + __int128(len)),
                                   size));
    return true;
  }

  /// Byte extent of a rows x cols tile with leading dimension ld (elements;
  /// ld == 0 means every row is the same row).
  static u128 tileExtent(int64_t rows, int64_t cols, int64_t ld, int64_t elem) {
    return (u128(rows - 1) * u128(ld) + u128(cols)) * u128(elem);
  }

  //===--------------------------------------------------------------------===//
  // Setup
  //===--------------------------------------------------------------------===//

  absl::Status buildDram() {
    dram = zeroed(prog.dramBytes);
    if (!dram)
      return absl::ResourceExhaustedError(absl::StrFormat(
          "cannot allocate %d bytes of edge memory", prog.dramBytes));
    for (const isa::DataSegment &d : prog.data)
      if (!d.bytes.empty())
        std::memcpy(dram.get() + d.dramOffset, d.bytes.data(), d.bytes.size());
    for (const isa::Symbol &s : prog.symbols) {
      auto it = inputs.find(s.name);
      if (it != inputs.end() && !it->second.empty())
        std::memcpy(dram.get() + s.dramOffset, it->second.data(),
                    it->second.size());
    }
    dramBuilt = true;
    return absl::OkStatus();
  }

  absl::Status reset() {
    if (absl::Status st = buildDram(); !st.ok())
      return st;
    cores.clear();
    cores.resize(prog.cores.size());
    coreAt.assign(size_t(prog.target.rows * prog.target.cols), -1);
    for (size_t i = 0; i < cores.size(); ++i) {
      CoreState &c = cores[i];
      const isa::CoreAssignment &a = prog.cores[i];
      c.id = static_cast<uint32_t>(i);
      c.row = a.row;
      c.col = a.col;
      c.section = a.section;
      c.code = prog.sections[a.section].data();
      c.ncode = static_cast<uint32_t>(prog.sections[a.section].size());
      c.sem.assign(size_t(nsem), 0);
      c.rng = num::SrRng::seeded(c.srSeed, c.id);
      c.sram = zeroed(sramBytes);
      if (!c.sram)
        return absl::ResourceExhaustedError(absl::StrFormat(
            "cannot allocate %d bytes of SRAM for core %d", sramBytes, i));
      c.st.row = c.row;
      c.st.col = c.col;
      coreAt[size_t(c.row * prog.target.cols + c.col)] = int32_t(i);
    }
    events = {};
    ready = {};
    runq.clear();
    seq = lastEvent = executed = 0;
    dramFreeBytes = 0;
    noc.reset();
    barrierArrived = 0;
    barrierMax = 0;
    pendingKind = FaultKind::None;
    pendingMsg.clear();
    stats = Stats();
    stats.coresUsed = static_cast<int64_t>(cores.size());
    stats.coresEnabled = prog.target.numEnabledCores();
    stats.macPerCycle = prog.target.mac_per_cycle;
    stats.clockMhz = prog.target.clock_mhz;
    stats.linkBpc = prog.target.noc_link_bpc;
    trace = Trace();
    for (CoreState &c : cores) {
      // Thread 0 starts at pc 0 of the core's section.
      c.threads.push_back(std::make_unique<Thread>(c, 0));
      c.live = 1;
      makeReady(*c.threads[0]);
    }
    return absl::OkStatus();
  }

  void makeReady(Thread &th) {
    if (cycle)
      ready.push({th.t, th.id, th.tid, &th});
    else
      runq.push_back(&th);
  }

  //===--------------------------------------------------------------------===//
  // Trace
  //===--------------------------------------------------------------------===//

  TraceEvent *traceAdd(const Thread &c, Unit u, uint64_t start, uint64_t dur) {
    return traceAdd(c, u, start, dur, c.pc);
  }
  /// The same for the instruction at `pc` of thread `c` (a queued DMA
  /// transfer starts after its thread moved on).
  TraceEvent *traceAdd(const Thread &c, Unit u, uint64_t start, uint64_t dur,
                       uint32_t pc) {
    if (trace.events.size() >= opt.traceLimit) {
      trace.truncated = true;
      return nullptr;
    }
    TraceEvent &e = trace.events.emplace_back();
    e.start = start;
    e.dur = dur;
    e.core = c.id;
    e.thread = uint32_t(c.tid);
    e.unit = u;
    e.pc = pc;
    e.op = pc < c.ncode ? c.code[pc].op : Opcode::Nop;
    return &e;
  }

  /// A scalar-unit instruction; extends the core's last scalar run when
  /// the same thread issues back to back.
  void traceScalar(const Thread &c, uint64_t start) {
    CoreState &cs = c.core;
    if (cs.lastScalarEv < trace.events.size()) {
      TraceEvent &e = trace.events[cs.lastScalarEv];
      if (e.thread == c.tid && e.start + e.dur == start) {
        e.dur += scalarLat;
        ++e.count;
        return;
      }
    }
    if (traceAdd(c, Unit::Scalar, start, scalarLat))
      cs.lastScalarEv = trace.events.size() - 1;
  }

  //===--------------------------------------------------------------------===//
  // Events
  //===--------------------------------------------------------------------===//

  void push(Event e) {
    e.seq = seq++;
    events.push(e);
  }

  /// Copies `rows` rows of `bytes` bytes, row r from src + r*sstride to
  /// dst + r*dstride, in row order. When the two ranges do not alias and the
  /// destination rows overlap (dstride < bytes; 0 repeats a row), only the
  /// bytes no later row overwrites are copied: the same result, with host
  /// work bounded by the destination extent instead of rows x bytes (which
  /// a single instruction can make terabytes).
  static void copyRows(uint8_t *dst, const uint8_t *src, const Event &e) {
    if (e.bytes == 0 || e.rows == 0)
      return;
    const uintptr_t d = reinterpret_cast<uintptr_t>(dst),
                    s = reinterpret_cast<uintptr_t>(src);
    const uint64_t last = uint64_t(e.rows - 1);
    const bool alias = d < s + last * uint64_t(e.sstride) + uint64_t(e.bytes) &&
                       s < d + last * uint64_t(e.dstride) + uint64_t(e.bytes);
    if (alias || e.dstride >= e.bytes) {
      // Rows that repeat the same source and destination (both strides 0)
      // reach a fixed point after at most bytes + 1 copies (each copy
      // shifts an overlapping region by a constant), so later copies change
      // nothing: stop there instead of looping up to 2^31 times.
      int64_t rows = e.rows;
      if (e.sstride == 0 && e.dstride == 0)
        rows = std::min<int64_t>(rows, int64_t(e.bytes) + 1);
      for (int64_t r = 0; r < rows; ++r)
        std::memmove(dst + r * e.dstride, src + r * e.sstride,
                     size_t(e.bytes));
      return;
    }
    // Row r's bytes from (r+1)*dstride on are overwritten by row r+1.
    if (e.dstride > 0)
      for (int64_t r = 0; r < e.rows - 1; ++r)
        std::memcpy(dst + r * e.dstride, src + r * e.sstride,
                    size_t(e.dstride));
    std::memcpy(dst + last * e.dstride, src + last * e.sstride,
                size_t(e.bytes));
  }

  /// Wakes the threads of `d` (in thread id order) whose sem.wait is now
  /// satisfied.
  void wake(CoreState &d, uint64_t time) {
    for (const std::unique_ptr<Thread> &p : d.threads) {
      Thread &th = *p;
      if (th.state != State::WaitSem || d.sem[th.waitSem] < th.waitCount)
        continue;
      d.sem[th.waitSem] -= th.waitCount;
      if (cycle) {
        th.t = std::max(th.t, time);
        d.st.busy[int(Unit::Sync)] += th.t - th.waitStart;
        if (tracing && th.t > th.waitStart)
          traceAdd(th, Unit::Sync, th.waitStart, th.t - th.waitStart);
      }
      th.state = State::Ready;
      ++th.pc;
      makeReady(th);
    }
  }

  void deliver(const Event &e) {
    lastEvent = std::max(lastEvent, e.time);
    CoreState &owner = cores[e.dst];
    if (e.kind == EvKind::EngineStart) {
      startQueued(owner, e.time);
      return;
    }
    // A transfer that moves nothing was not bounds-checked (its addresses
    // may be anything): form no pointers from them.
    bool moves = e.bytes != 0 && e.rows != 0;
    switch (moves ? e.kind : EvKind::Signal) {
    case EvKind::DmaLd:
      copyRows(owner.sram.get() + e.dstAddr, dram.get() + e.srcAddr, e);
      break;
    case EvKind::DmaSt:
      copyRows(dram.get() + e.dstAddr, owner.sram.get() + e.srcAddr, e);
      break;
    case EvKind::Put:
      copyRows(owner.sram.get() + e.dstAddr,
               cores[e.src].sram.get() + e.srcAddr, e);
      break;
    case EvKind::Signal:
    case EvKind::EngineStart: // handled above
      break;
    }
    int64_t &s = owner.sem[e.sem];
    s = e.count > std::numeric_limits<int64_t>::max() - s
            ? std::numeric_limits<int64_t>::max()
            : s + e.count;
    wake(owner, e.time);
  }

  //===--------------------------------------------------------------------===//
  // Instructions
  //===--------------------------------------------------------------------===//

  /// Occupies the core's scalar issue unit for scalar_latency from
  /// max(thread time, unit free); returns the start. Every scalar, sync and
  /// DMA instruction and tspawn goes through it.
  uint64_t issueScalar(Thread &c) {
    if (!cycle)
      return 0;
    CoreState &cs = c.core;
    uint64_t start = std::max(c.t, cs.scalarFree);
    c.t = cs.scalarFree = tadd(start, scalarLat);
    cs.st.busy[int(Unit::Scalar)] += scalarLat;
    if (tracing)
      traceScalar(c, start);
    return start;
  }

  void scalarDone(Thread &c) {
    issueScalar(c);
    ++c.pc;
  }

  /// An instruction on the matrix or vector unit: it starts when both the
  /// thread and the unit are free, holds the unit for `dur` cycles, and the
  /// thread continues `lat` cycles after the unit is done.
  void unitTime(Thread &c, Unit u, uint64_t &unitFree, uint64_t dur,
                uint64_t lat) {
    uint64_t start = std::max(c.t, unitFree);
    unitFree = tadd(start, dur);
    c.t = tadd(unitFree, lat);
    c.st.busy[int(u)] += dur;
    if (tracing)
      traceAdd(c, u, start, dur);
  }

  /// unitTime for the matrix and vector units, whose SRAM traffic shares
  /// the core's load and store ports: the instruction's `loads` and
  /// `stores` bytes join the ports' FIFO queues at its start, and it ends
  /// no earlier than its bytes have passed (docs/isa.md 6.2). Alone on the
  /// ports this is exactly `dur`, which already includes the port limits.
  void unitTimePorts(Thread &c, Unit u, uint64_t &unitFree, uint64_t dur,
                     uint64_t lat, u128 loads, u128 stores) {
    uint64_t start = std::max(c.t, unitFree);
    CoreState &cs = c.core;
    cs.loadQueue = std::max(u128(start) * loadBpc, cs.loadQueue) + loads;
    cs.storeQueue = std::max(u128(start) * storeBpc, cs.storeQueue) + stores;
    uint64_t end = std::max({tadd(start, dur),
                             sat(ceilDiv(cs.loadQueue, loadBpc)),
                             sat(ceilDiv(cs.storeQueue, storeBpc))});
    unitFree = end;
    c.t = tadd(end, lat);
    c.st.busy[int(u)] += end - start;
    if (tracing)
      traceAdd(c, u, start, end - start);
  }

  /// Checks a tile operand and returns its base pointer (nullptr on fault).
  uint8_t *tile(Thread &c, int64_t addr, int64_t rows, int64_t cols, int64_t ld,
                num::DType dt, const char *what) {
    int64_t eb = num::dtypeBytes(dt);
    if (!checkSram(c, c, addr, tileExtent(rows, cols, ld, eb), eb, what))
      return nullptr;
    return c.sram.get() + addr;
  }

  bool execMm(Thread &c, const Instruction &in) {
    const int64_t m = in.imms[0], n = in.imms[1], k = in.imms[2],
                  ldc = in.imms[3], lda = in.imms[4], ldb = in.imms[5],
                  acc = in.imms[6], dtv = in.imms[7];
    if (m < 1 || n < 1 || k < 1)
      return illegal(c, absl::StrFormat("m, n and k must be at least 1 "
                                        "(m=%d n=%d k=%d)",
                                        m, n, k));
    if (ldc < n || lda < k || ldb < n)
      return illegal(c, absl::StrFormat("leading dimensions must cover a row "
                                        "(ldc=%d >= n=%d, lda=%d >= k=%d, "
                                        "ldb=%d >= n=%d)",
                                        ldc, n, lda, k, ldb, n));
    if (acc != 0 && acc != 1)
      return illegal(c, absl::StrFormat("acc must be 0 or 1, got %d", acc));
    if (!validDType(dtv) || !kernels::isMatmulDType(asDType(dtv)))
      return illegal(c, absl::StrFormat("dt=%d is not a matrix operand type "
                                        "(1 bf16, 4 cfp8_143, 5 cfp8_152)",
                                        dtv));
    const num::DType dt = asDType(dtv);
    const Instruction &i = in;
    uint8_t *C = tile(c, c.r[i.regs[0]], m, n, ldc, num::DType::F32, "mm C");
    if (!C)
      return false;
    uint8_t *A = tile(c, c.r[i.regs[1]], m, k, lda, dt, "mm A");
    if (!A)
      return false;
    uint8_t *B = tile(c, c.r[i.regs[2]], k, n, ldb, dt, "mm B");
    if (!B)
      return false;
    kernels::matmul(C, A, B, m, n, k, ldc, lda, ldb, acc != 0, scratch, dt,
                    c.core.biases);

    if (cycle) {
      u128 steps =
          ceilDiv(m, kStepM) * ceilDiv(n, kStepN) * ceilDiv(k, kStepK);
      u128 compute = ceilDiv(steps * kStepMacs, macPerCycle);
      // A step reads an 8x4 and a 4x8 operand block: 128 B bf16, 64 B cfp8.
      u128 stepLoad = kStepLoadBytes / 2 * num::dtypeBytes(dt);
      u128 loadBytes = steps * stepLoad + (acc ? u128(m) * n * 4 : 0);
      u128 storeBytes = u128(m) * n * 4;
      uint64_t dur = sat(std::max({compute, ceilDiv(loadBytes, loadBpc),
                                   ceilDiv(storeBytes, storeBpc)}));
      unitTimePorts(c, Unit::Matrix, c.core.matrixFree, dur, matrixLat,
                    loadBytes, storeBytes);
    }
    c.st.macs += uint64_t(m) * uint64_t(n) * uint64_t(k);
    ++c.pc;
    return true;
  }

  void vectorTime(Thread &c, int64_t rows, int64_t cols, int64_t elemBytes,
                  u128 loads, u128 stores, uint64_t passes = 1) {
    vectorTimeOf(c, u128(rows) * ceilDiv(u128(cols) * elemBytes, simdBytes) *
                        passes,
                 loads, stores);
  }

  void vectorTimeOf(Thread &c, u128 vectors, u128 loads, u128 stores) {
    if (cycle) {
      uint64_t dur = sat(std::max(
          {vectors, ceilDiv(loads, loadBpc), ceilDiv(stores, storeBpc)}));
      unitTimePorts(c, Unit::Vector, c.core.vectorFree, dur, vectorLat, loads,
                    stores);
    }
    ++c.pc;
  }

  bool vectorShape(Thread &c, int64_t rows, int64_t cols) {
    if (rows < 1 || cols < 1)
      return illegal(c, absl::StrFormat("rows and cols must be at least 1 "
                                        "(rows=%d cols=%d)",
                                        rows, cols));
    return true;
  }

  bool leading(Thread &c, const char *name, int64_t ld, int64_t cols,
               bool broadcastOk) {
    if (ld >= cols || (broadcastOk && ld == 0))
      return true;
    return illegal(
        c, absl::StrFormat("%s=%d must be at least cols=%d%s", name, ld, cols,
                           broadcastOk ? " (or 0 to broadcast)" : ""));
  }

  bool dtypes(Thread &c, const Instruction &in, int first, int count) {
    const isa::OpcodeInfo &oi = in.getInfo();
    for (int j = first; j < first + count; ++j)
      if (!validDType(in.imms[j]))
        return illegal(c, absl::StrFormat(
                              "%s=%d is not a dtype (0 f32, 1 bf16, 2 i32, "
                              "3 i8, 4 cfp8_143, 5 cfp8_152, 6 cfp16, 7 i16)",
                              oi.imms[j], in.imms[j]));
    return true;
  }

  bool execVBinary(Thread &c, const Instruction &in, kernels::VBinary op) {
    const int64_t rows = in.imms[0], cols = in.imms[1], ldd = in.imms[2],
                  lda = in.imms[3], ldb = in.imms[4];
    if (!vectorShape(c, rows, cols) || !leading(c, "ldd", ldd, cols, false) ||
        !leading(c, "lda", lda, cols, false) ||
        !leading(c, "ldb", ldb, cols, true) || !dtypes(c, in, 5, 3))
      return false;
    num::DType dtd = asDType(in.imms[5]), dta = asDType(in.imms[6]),
               dtb = asDType(in.imms[7]);
    uint8_t *D = tile(c, c.r[in.regs[0]], rows, cols, ldd, dtd, "vector d");
    if (!D)
      return false;
    uint8_t *A = tile(c, c.r[in.regs[1]], rows, cols, lda, dta, "vector a");
    if (!A)
      return false;
    uint8_t *B =
        tile(c, c.r[in.regs[2]], ldb ? rows : 1, cols, ldb, dtb, "vector b");
    if (!B)
      return false;
    kernels::vbinary(op, D, dtd, ldd, A, dta, lda, B, dtb, ldb, rows, cols,
                     scratch, c.core.biases);
    int64_t ed = num::dtypeBytes(dtd), ea = num::dtypeBytes(dta),
            eb = num::dtypeBytes(dtb);
    u128 elems = u128(rows) * cols;
    u128 loads = elems * ea + (ldb ? elems : u128(cols)) * eb;
    vectorTime(c, rows, cols, std::max({ed, ea, eb}), loads, elems * ed,
               vectorPasses(in.op));
    return true;
  }

  bool execVUnary(Thread &c, const Instruction &in, kernels::VUnary op) {
    const int64_t rows = in.imms[0], cols = in.imms[1], ldd = in.imms[2],
                  lda = in.imms[3];
    if (!vectorShape(c, rows, cols) || !leading(c, "ldd", ldd, cols, false) ||
        !leading(c, "lda", lda, cols, false) || !dtypes(c, in, 4, 2))
      return false;
    num::DType dtd = asDType(in.imms[4]), dta = asDType(in.imms[5]);
    uint8_t *D = tile(c, c.r[in.regs[0]], rows, cols, ldd, dtd, "vector d");
    if (!D)
      return false;
    uint8_t *A = tile(c, c.r[in.regs[1]], rows, cols, lda, dta, "vector a");
    if (!A)
      return false;
    num::Rounding rnd = num::Rounding::NearestEven;
    if (in.op == Opcode::Vcvt) {
      const int32_t rv = in.imms[6];
      if (rv != 0 && rv != 1)
        return illegal(c, absl::StrFormat("rnd=%d must be 0 (nearest even) "
                                          "or 1 (stochastic)",
                                          rv));
      rnd = num::Rounding(rv);
    }
    kernels::vunary(op, D, dtd, ldd, A, dta, lda, rows, cols, scratch,
                    c.core.biases, rnd, &c.core.rng);
    int64_t ed = num::dtypeBytes(dtd), ea = num::dtypeBytes(dta);
    u128 elems = u128(rows) * cols;
    vectorTime(c, rows, cols, std::max(ed, ea), elems * ea, elems * ed,
               vectorPasses(in.op));
    return true;
  }

  bool execVFill(Thread &c, const Instruction &in) {
    const int64_t rows = in.imms[0], cols = in.imms[1], ldd = in.imms[2];
    if (!vectorShape(c, rows, cols) || !leading(c, "ldd", ldd, cols, false) ||
        !dtypes(c, in, 3, 1))
      return false;
    num::DType dtd = asDType(in.imms[3]);
    uint8_t *D = tile(c, c.r[in.regs[0]], rows, cols, ldd, dtd, "vector d");
    if (!D)
      return false;
    kernels::vfill(D, dtd, ldd, num::bitsF32(uint32_t(in.imms[4])), rows, cols,
                   c.core.biases);
    int64_t ed = num::dtypeBytes(dtd);
    vectorTime(c, rows, cols, ed, 0, u128(rows) * cols * ed);
    return true;
  }

  /// Bytes read for a source tile that may broadcast one row (ld == 0).
  static u128 sourceBytes(int64_t rows, int64_t cols, int64_t ld,
                          int64_t elem) {
    return u128(ld ? rows : 1) * u128(cols) * u128(elem);
  }

  bool execVFma(Thread &c, const Instruction &in) {
    const int64_t rows = in.imms[0], cols = in.imms[1], ldd = in.imms[2],
                  lda = in.imms[3], ldb = in.imms[4], ldc = in.imms[5];
    if (!vectorShape(c, rows, cols) || !leading(c, "ldd", ldd, cols, false) ||
        !leading(c, "lda", lda, cols, false) ||
        !leading(c, "ldb", ldb, cols, true) ||
        !leading(c, "ldc", ldc, cols, true) || !dtypes(c, in, 6, 2))
      return false;
    num::DType dtd = asDType(in.imms[6]), dts = asDType(in.imms[7]);
    uint8_t *D = tile(c, c.r[in.regs[0]], rows, cols, ldd, dtd, "vector d");
    if (!D)
      return false;
    uint8_t *A = tile(c, c.r[in.regs[1]], rows, cols, lda, dts, "vector a");
    if (!A)
      return false;
    uint8_t *B =
        tile(c, c.r[in.regs[2]], ldb ? rows : 1, cols, ldb, dts, "vector b");
    if (!B)
      return false;
    uint8_t *C =
        tile(c, c.r[in.regs[3]], ldc ? rows : 1, cols, ldc, dts, "vector c");
    if (!C)
      return false;
    kernels::vfma(D, dtd, ldd, A, lda, B, ldb, C, ldc, dts, rows, cols,
                  scratch, c.core.biases);
    int64_t ed = num::dtypeBytes(dtd), es = num::dtypeBytes(dts);
    u128 loads = sourceBytes(rows, cols, lda, es) +
                 sourceBytes(rows, cols, ldb, es) +
                 sourceBytes(rows, cols, ldc, es);
    vectorTime(c, rows, cols, std::max(ed, es), loads, u128(rows) * cols * ed);
    return true;
  }

  bool execVCmp(Thread &c, const Instruction &in) {
    const int64_t rows = in.imms[0], cols = in.imms[1], ldd = in.imms[2],
                  lda = in.imms[3], ldb = in.imms[4], cmp = in.imms[7];
    if (!vectorShape(c, rows, cols) || !leading(c, "ldd", ldd, cols, false) ||
        !leading(c, "lda", lda, cols, false) ||
        !leading(c, "ldb", ldb, cols, true) || !dtypes(c, in, 5, 2))
      return false;
    if (cmp < 0 || cmp > 5)
      return illegal(c, absl::StrFormat("cmp=%d must be 0..5 (eq, ne, lt, "
                                        "le, gt, ge)",
                                        cmp));
    num::DType dtd = asDType(in.imms[5]), dts = asDType(in.imms[6]);
    uint8_t *D = tile(c, c.r[in.regs[0]], rows, cols, ldd, dtd, "vector d");
    if (!D)
      return false;
    uint8_t *A = tile(c, c.r[in.regs[1]], rows, cols, lda, dts, "vector a");
    if (!A)
      return false;
    uint8_t *B =
        tile(c, c.r[in.regs[2]], ldb ? rows : 1, cols, ldb, dts, "vector b");
    if (!B)
      return false;
    kernels::vcmp(kernels::VCmp(cmp), D, dtd, ldd, A, lda, B, ldb, dts, rows,
                  cols, scratch, c.core.biases);
    int64_t ed = num::dtypeBytes(dtd), es = num::dtypeBytes(dts);
    u128 loads =
        sourceBytes(rows, cols, lda, es) + sourceBytes(rows, cols, ldb, es);
    vectorTime(c, rows, cols, std::max(ed, es), loads, u128(rows) * cols * ed);
    return true;
  }

  bool execVSel(Thread &c, const Instruction &in) {
    const int64_t rows = in.imms[0], cols = in.imms[1], ldd = in.imms[2],
                  ldm = in.imms[3], lda = in.imms[4], ldb = in.imms[5];
    if (!vectorShape(c, rows, cols) || !leading(c, "ldd", ldd, cols, false) ||
        !leading(c, "ldm", ldm, cols, false) ||
        !leading(c, "lda", lda, cols, false) ||
        !leading(c, "ldb", ldb, cols, true) || !dtypes(c, in, 6, 2))
      return false;
    num::DType dtd = asDType(in.imms[6]), dtm = asDType(in.imms[7]);
    uint8_t *D = tile(c, c.r[in.regs[0]], rows, cols, ldd, dtd, "vector d");
    if (!D)
      return false;
    uint8_t *M = tile(c, c.r[in.regs[1]], rows, cols, ldm, dtm, "vector m");
    if (!M)
      return false;
    uint8_t *A = tile(c, c.r[in.regs[2]], rows, cols, lda, dtd, "vector a");
    if (!A)
      return false;
    uint8_t *B =
        tile(c, c.r[in.regs[3]], ldb ? rows : 1, cols, ldb, dtd, "vector b");
    if (!B)
      return false;
    kernels::vsel(D, dtd, ldd, M, dtm, ldm, A, lda, B, ldb, rows, cols,
                  scratch, c.core.biases);
    int64_t ed = num::dtypeBytes(dtd), em = num::dtypeBytes(dtm);
    u128 loads = sourceBytes(rows, cols, ldm, em) +
                 sourceBytes(rows, cols, lda, ed) +
                 sourceBytes(rows, cols, ldb, ed);
    vectorTime(c, rows, cols, std::max(ed, em), loads, u128(rows) * cols * ed);
    return true;
  }

  /// vtrans: D (cols x rows, ldd >= rows) = transpose of A (rows x cols).
  bool execVTrans(Thread &c, const Instruction &in) {
    const int64_t rows = in.imms[0], cols = in.imms[1], ldd = in.imms[2],
                  lda = in.imms[3];
    if (!vectorShape(c, rows, cols) || !dtypes(c, in, 4, 2))
      return false;
    if (ldd < rows)
      return illegal(c, absl::StrFormat("ldd=%d must be at least rows=%d (d "
                                        "is cols x rows)",
                                        ldd, rows));
    if (!leading(c, "lda", lda, cols, false))
      return false;
    num::DType dtd = asDType(in.imms[4]), dta = asDType(in.imms[5]);
    uint8_t *D = tile(c, c.r[in.regs[0]], cols, rows, ldd, dtd, "vector d");
    if (!D)
      return false;
    uint8_t *A = tile(c, c.r[in.regs[1]], rows, cols, lda, dta, "vector a");
    if (!A)
      return false;
    kernels::vtrans(D, dtd, ldd, A, dta, lda, rows, cols, scratch,
                    c.core.biases);
    int64_t ed = num::dtypeBytes(dtd), ea = num::dtypeBytes(dta);
    u128 elems = u128(rows) * cols;
    u128 vectors =
        std::max(u128(rows) * ceilDiv(u128(cols) * ea, simdBytes),
                 u128(cols) * ceilDiv(u128(rows) * ed, simdBytes));
    vectorTimeOf(c, vectors, elems * ea, elems * ed);
    return true;
  }

  /// vredsum/vredmax: axis 0 -> d is 1 x cols, axis 1 -> d is rows x 1
  /// (dense).
  bool execVReduce(Thread &c, const Instruction &in, kernels::VReduce op) {
    const int64_t rows = in.imms[0], cols = in.imms[1], lda = in.imms[2],
                  axis = in.imms[3];
    if (!vectorShape(c, rows, cols) || !leading(c, "lda", lda, cols, false) ||
        !dtypes(c, in, 4, 2))
      return false;
    if (axis != 0 && axis != 1)
      return illegal(c, absl::StrFormat("axis=%d must be 0 (over rows) or 1 "
                                        "(over columns)",
                                        axis));
    num::DType dtd = asDType(in.imms[4]), dta = asDType(in.imms[5]);
    const int64_t nout = axis == 0 ? cols : rows;
    uint8_t *D = tile(c, c.r[in.regs[0]], 1, nout, nout, dtd, "vector d");
    if (!D)
      return false;
    uint8_t *A = tile(c, c.r[in.regs[1]], rows, cols, lda, dta, "vector a");
    if (!A)
      return false;
    kernels::vreduce(op, D, dtd, A, dta, lda, rows, cols, int(axis), scratch,
                     c.core.biases);
    int64_t ed = num::dtypeBytes(dtd), ea = num::dtypeBytes(dta),
            e = std::max(ed, ea);
    // Lanes run along the kept dimension, steps along the reduced one.
    u128 vectors = axis == 0 ? u128(rows) * ceilDiv(u128(cols) * e, simdBytes)
                             : u128(cols) * ceilDiv(u128(rows) * e, simdBytes);
    vectorTimeOf(c, vectors, u128(rows) * cols * ea, u128(nout) * ed);
    return true;
  }

  /// csrw: CSRs 5..7 take a bias 0..63, 8 (sr_seed) any value and reseeds
  /// the core's stochastic-rounding generator, 9 (edge_mask) a nonempty set
  /// of edges 1..15; 0..4 are read-only.
  bool execCsrw(Thread &c, const Instruction &in) {
    const int32_t csr = in.imms[0];
    const int64_t v = c.r[in.regs[0]];
    CoreState &cs = c.core;
    switch (csr) {
    case int32_t(isa::Csr::Cfp8Bias143):
    case int32_t(isa::Csr::Cfp8Bias152):
    case int32_t(isa::Csr::Cfp16Bias): {
      if (v < 0 || v > num::kMaxBias)
        return illegal(c, absl::StrFormat("%s must be 0..%d, got %d",
                                          isa::csrName(csr), num::kMaxBias,
                                          v));
      uint8_t &b = csr == int32_t(isa::Csr::Cfp8Bias143) ? cs.biases.cfp8_143
                   : csr == int32_t(isa::Csr::Cfp8Bias152)
                       ? cs.biases.cfp8_152
                       : cs.biases.cfp16;
      b = uint8_t(v);
      return true;
    }
    case int32_t(isa::Csr::SrSeed):
      cs.srSeed = uint64_t(v);
      cs.rng = num::SrRng::seeded(cs.srSeed, cs.id);
      return true;
    case int32_t(isa::Csr::EdgeMask):
      if (v < 1 || v > isa::kAllEdges)
        return illegal(c, absl::StrFormat("edge_mask must be 1..%d (a "
                                          "nonempty set of N=1, E=2, S=4, "
                                          "W=8), got %d",
                                          isa::kAllEdges, v));
      c.edgeMask = unsigned(v);
      return true;
    default:
      if (csr >= 0 && csr < isa::kFirstWritableCsr)
        return illegal(c, absl::StrFormat("CSR %s is read-only",
                                          isa::csrName(csr)));
      return illegal(c, absl::StrFormat("unknown CSR %d", csr));
    }
  }

  bool semIndex(Thread &c, int32_t s) {
    if (s >= 0 && s < nsem)
      return true;
    return illegal(c, absl::StrFormat("semaphore %d out of range (the target "
                                      "has %d per core)",
                                      s, nsem));
  }

  bool coreOperand(Thread &c, int64_t v, uint32_t &out) {
    if (v >= 0 && uint64_t(v) < cores.size()) {
      out = static_cast<uint32_t>(v);
      return true;
    }
    return illegal(c, absl::StrFormat("core id %d out of range (the program "
                                      "has %d cores)",
                                      v, cores.size()));
  }

  uint64_t hopsTo(const CoreState &a, const CoreState &b) const {
    return uint64_t(std::llabs(a.row - b.row) + std::llabs(a.col - b.col));
  }
  uint64_t hopsToEdge(const CoreState &c, unsigned edgeMask) const {
    return uint64_t(
        1 + noc.edgeDistance(c.row, c.col, noc.edgeDir(c.row, c.col,
                                                       edgeMask)));
  }

  /// Link bytes of a transfer: packets are formed along the destination, so
  /// a contiguous destination (one row, or dstride == bytes) packs the whole
  /// payload into ceil(payload / noc_packet_bytes) packets, and otherwise
  /// every row is ceil(bytes / noc_packet_bytes) packets.
  uint64_t wireBytes(int64_t rows, int64_t bytes, int64_t dstride) const {
    if (rows == 0 || bytes == 0)
      return 0;
    u128 pkts = rows == 1 || dstride == bytes
                    ? ceilDiv(u128(rows) * uint64_t(bytes), packetBytes)
                    : u128(rows) * ceilDiv(uint64_t(bytes), packetBytes);
    return sat(pkts * packetBytes);
  }

  /// Delivers at once (functional mode) or schedules the arrival (cycle).
  void send(Event e) {
    if (cycle) {
      push(e);
    } else {
      e.time = 0;
      deliver(e);
    }
  }

  bool execDma(Thread &c, const Instruction &in) {
    const int64_t rows = in.imms[0], bytes = in.imms[1], dstride = in.imms[2],
                  sstride = in.imms[3];
    const int32_t s = in.imms[4];
    if (rows < 0 || bytes < 0 || dstride < 0 || sstride < 0)
      return illegal(c, absl::StrFormat("rows, bytes and strides must not be "
                                        "negative (rows=%d bytes=%d "
                                        "dstride=%d sstride=%d)",
                                        rows, bytes, dstride, sstride));
    if (!semIndex(c, s))
      return false;
    const bool empty = rows == 0 || bytes == 0;
    const u128 dstLen = empty ? 0 : u128(rows - 1) * dstride + bytes;
    const u128 srcLen = empty ? 0 : u128(rows - 1) * sstride + bytes;
    const int64_t dstAddr = c.r[in.regs[0]], srcAddr = c.r[in.regs[1]];
    CoreState &cs = c.core;
    Event e;
    e.src = e.dst = c.id;
    e.sem = s;
    e.count = 1;
    e.rows = rows;
    e.bytes = bytes;
    e.dstride = dstride;
    e.sstride = sstride;
    e.dstAddr = uint64_t(dstAddr);
    e.srcAddr = uint64_t(srcAddr);
    const uint64_t payload = uint64_t(rows) * uint64_t(bytes);
    const uint64_t wire = wireBytes(rows, bytes, dstride);
    // Destinations of a multicast (logical ids), checked before issuing.
    int64_t mrow = 0, mcol = 0, height = 0, width = 0;
    if (in.op == Opcode::DmaMcast) {
      mrow = c.r[in.regs[2]];
      mcol = c.r[in.regs[3]];
      height = in.imms[5];
      width = in.imms[6];
      const MachineDesc &m = prog.target;
      if (height < 1 || width < 1)
        return illegal(c, absl::StrFormat("height and width must be at least "
                                          "1 (height=%d width=%d)",
                                          height, width));
      if (mrow < 0 || mcol < 0 || mrow > m.rows - height ||
          mcol > m.cols - width)
        return illegal(c, absl::StrFormat("multicast rectangle rows [%d, %s) "
                                          "x cols [%d, %s) is outside the "
                                          "%dx%d mesh",
                                          mrow, i128Str(__int128(mrow) + height),
                                          mcol, i128Str(__int128(mcol) + width),
                                          m.rows, m.cols));
      mcastAt.clear();
      mcastIds.clear();
      for (int64_t r = mrow; r < mrow + height; ++r)
        for (int64_t col = mcol; col < mcol + width; ++col) {
          int32_t id = coreAt[size_t(r * m.cols + col)];
          if (id < 0)
            continue; // disabled, or not a core of the program
          mcastAt.push_back({r, col});
          mcastIds.push_back(uint32_t(id));
        }
      if (mcastIds.empty())
        return illegal(c, absl::StrFormat("multicast rectangle rows [%d, %d) "
                                          "x cols [%d, %d) holds no core of "
                                          "the program",
                                          mrow, mrow + height, mcol,
                                          mcol + width));
      if (!empty) {
        if (!checkSram(c, cs, srcAddr, srcLen, 1, "dma.mcast source"))
          return false;
        for (uint32_t id : mcastIds)
          if (!checkSram(c, cores[id], dstAddr, dstLen, 1,
                         "dma.mcast destination"))
            return false;
      }
    }
    uint32_t target = 0;
    if (in.op == Opcode::DmaPut) {
      if (!coreOperand(c, c.r[in.regs[2]], target))
        return false;
      if (!empty &&
          (!checkSram(c, cores[target], dstAddr, dstLen, 1,
                      "dma.put destination") ||
           !checkSram(c, cs, srcAddr, srcLen, 1, "dma.put source")))
        return false;
    }
    const bool edge = in.op == Opcode::DmaLd || in.op == Opcode::DmaSt;
    if (edge && !empty) {
      bool ok = in.op == Opcode::DmaLd
                    ? checkSram(c, cs, dstAddr, dstLen, 1,
                                "dma.ld destination") &&
                          checkDram(c, srcAddr, srcLen, "dma.ld source")
                    : checkDram(c, dstAddr, dstLen, "dma.st destination") &&
                          checkSram(c, cs, srcAddr, srcLen, 1,
                                    "dma.st source");
      if (!ok)
        return false;
    }

    // Issue on the scalar unit; the transfer then runs on the DMA engine
    // and the links of its route. An engine that is still busy queues it:
    // it reserves its route (and the edge memory) when the engine starts
    // it, so reservations are made in the order transfers start.
    const uint64_t issue = issueScalar(c);
    stats.nocBytes += payload;
    if (edge)
      stats.dramBytes += payload;
    Transfer x;
    x.e = e;
    x.op = in.op;
    x.payload = payload;
    x.wire = empty ? 0 : wire;
    x.target = target;
    x.edgeMask = c.edgeMask;
    x.thread = &c;
    x.pc = c.pc;
    x.mrow = mrow;
    x.mcol = mcol;
    x.height = height;
    x.width = width;
    if (in.op == Opcode::DmaMcast) {
      x.at = mcastAt;
      x.ids = mcastIds;
    }
    ++c.pc;
    if (cycle && (cs.dmaFree > issue || !cs.dmaQueue.empty())) {
      cs.dmaQueue.push_back(std::move(x));
      if (!cs.startPending) {
        cs.startPending = true;
        Event st;
        st.kind = EvKind::EngineStart;
        st.src = st.dst = cs.id;
        st.time = cs.dmaFree;
        push(st);
      }
      return true;
    }
    startTransfer(cs, x, issue);
    return true;
  }

  /// The engine of `cs` is free at `now`: starts its next queued transfer
  /// (and schedules the one after it).
  void startQueued(CoreState &cs, uint64_t now) {
    Transfer x = std::move(cs.dmaQueue.front());
    cs.dmaQueue.pop_front();
    startTransfer(cs, x, now);
    if (cs.dmaQueue.empty()) {
      cs.startPending = false;
      return;
    }
    Event st;
    st.kind = EvKind::EngineStart;
    st.src = st.dst = cs.id;
    st.time = cs.dmaFree;
    push(st);
  }

  /// Runs transfer `x` of core `cs` on its DMA engine from `ready` (the
  /// engine is free then): reserves its route, schedules its deliveries.
  /// `finish`: the last byte has crossed every link.
  void startTransfer(CoreState &cs, const Transfer &x, uint64_t ready) {
    Event e = x.e;
    const uint64_t payload = x.payload, wire = x.wire;
    uint64_t finish = ready, hops = 0, fixed = dmaLat;
    if (cycle)
      path.clear();
    switch (x.op) {
    case Opcode::DmaLd:
    case Opcode::DmaSt: {
      const bool load = x.op == Opcode::DmaLd;
      e.kind = load ? EvKind::DmaLd : EvKind::DmaSt;
      fixed += edgeLat;
      if (!cycle) {
        hops = hopsToEdge(cs, x.edgeMask);
        break;
      }
      if (!load)
        path.push_back(noc.inject(cs.row, cs.col));
      hops = noc.edgePath(cs.row, cs.col, x.edgeMask, !load, path);
      if (load)
        path.push_back(noc.eject(cs.row, cs.col));
      if (wire)
        finish = noc.reserve(path, ready, wire, &dramFreeBytes, edgeTotalBpc,
                             payload);
      break;
    }
    case Opcode::DmaPut: {
      e.kind = EvKind::Put;
      e.dst = x.target;
      const CoreState &d = cores[x.target];
      hops = hopsTo(cs, d);
      if (!cycle)
        break;
      if (hops) {
        path.push_back(noc.inject(cs.row, cs.col));
        noc.xyPath(cs.row, cs.col, d.row, d.col, path);
        path.push_back(noc.eject(d.row, d.col));
      }
      if (wire)
        finish = noc.reserve(path, ready, wire);
      break;
    }
    default: { // DmaMcast
      e.kind = EvKind::Put;
      uint64_t maxHops = 0;
      for (const CoreCoord &d : x.at)
        maxHops = std::max<uint64_t>(maxHops,
                                     uint64_t(std::llabs(d.row - cs.row) +
                                              std::llabs(d.col - cs.col)));
      if (cycle) {
        noc.mcastTree(cs.row, cs.col, x.at, path);
        if (wire)
          finish = noc.reserve(path, ready, wire);
      }
      // Every destination's copy lands at its own hop distance; the
      // issuing core's own copy (if it is in the rectangle) lands last, so
      // that it cannot change the source of the others.
      int32_t self = -1;
      for (size_t i = 0; i < x.ids.size(); ++i) {
        if (x.ids[i] == cs.id) {
          self = int32_t(i);
          continue;
        }
        uint64_t h = hopsTo(cs, cores[x.ids[i]]);
        Event d = e;
        d.dst = x.ids[i];
        d.time = tadd(finish, tadd(dmaLat, sat(u128(h) * hopLat)));
        stats.nocByteHops += payload * h;
        send(d);
      }
      if (self >= 0) {
        Event d = e;
        d.time = tadd(finish, tadd(dmaLat, sat(u128(maxHops) * hopLat)));
        send(d);
      }
      hops = maxHops;
      break;
    }
    }
    if (x.op != Opcode::DmaMcast) {
      stats.nocByteHops += payload * hops;
      e.time = tadd(finish, tadd(fixed, sat(u128(hops) * hopLat)));
      send(e);
    }
    if (!cycle)
      return;
    cs.dmaFree = finish;
    cs.st.busy[int(Unit::Dma)] += finish - ready;
    TraceEvent *te = tracing ? traceAdd(*x.thread, Unit::Dma, ready,
                                        finish - ready, x.pc)
                             : nullptr;
    if (!te)
      return;
    te->bytes = payload;
    te->done = tadd(finish, tadd(fixed, sat(u128(hops) * hopLat)));
    const bool load = x.op == Opcode::DmaLd;
    te->srcRow = load ? -1 : cs.row;
    te->srcCol = load ? -1 : cs.col;
    if (x.op == Opcode::DmaPut) {
      te->dstRow = cores[x.target].row;
      te->dstCol = cores[x.target].col;
    } else if (x.op == Opcode::DmaMcast) {
      te->dstRow = x.mrow;
      te->dstCol = x.mcol;
      te->height = x.height;
      te->width = x.width;
    } else if (load) {
      te->dstRow = cs.row;
      te->dstCol = cs.col;
    }
  }

  bool execSemWait(Thread &c, const Instruction &in) {
    const int32_t s = in.imms[0];
    const int64_t count = in.imms[1];
    if (!semIndex(c, s))
      return false;
    if (count < 0)
      return illegal(
          c, absl::StrFormat("count must not be negative, got %d", count));
    issueScalar(c);
    if (c.sem[s] >= count) {
      c.sem[s] -= count;
      ++c.pc;
      return true;
    }
    c.state = State::WaitSem;
    c.waitSem = s;
    c.waitCount = count;
    c.waitStart = c.t;
    return true;
  }

  bool execSemSignal(Thread &c, const Instruction &in) {
    const int32_t s = in.imms[0];
    const int64_t count = in.imms[1];
    uint32_t target = 0;
    if (!coreOperand(c, c.r[in.regs[0]], target) || !semIndex(c, s))
      return false;
    if (count < 0)
      return illegal(
          c, absl::StrFormat("count must not be negative, got %d", count));
    const uint64_t issue = issueScalar(c);
    Event e;
    e.kind = EvKind::Signal;
    e.src = c.id;
    e.dst = target;
    e.sem = s;
    e.count = count;
    e.time = tadd(issue, tadd(dmaLat, sat(u128(hopsTo(c.core, cores[target])) *
                                          hopLat)));
    ++c.pc;
    send(e);
    return true;
  }

  /// A barrier is released when every core of the program has a thread
  /// waiting in `barrier`; all waiting threads then continue together.
  void execBarrier(Thread &c) {
    issueScalar(c);
    c.state = State::WaitBarrier;
    c.waitStart = c.t;
    barrierMax = std::max(barrierMax, c.t);
    if (c.core.atBarrier++ == 0)
      ++barrierArrived;
    if (barrierArrived < cores.size())
      return;
    uint64_t release = cycle ? tadd(barrierMax, barrierLat) : 0;
    for (CoreState &o : cores) {
      o.atBarrier = 0;
      for (const std::unique_ptr<Thread> &p : o.threads) {
        Thread &th = *p;
        if (th.state != State::WaitBarrier)
          continue;
        if (cycle) {
          o.st.busy[int(Unit::Sync)] += release - th.waitStart;
          if (tracing)
            traceAdd(th, Unit::Sync, th.waitStart, release - th.waitStart);
        }
        th.t = release;
        th.state = State::Ready;
        ++th.pc;
        if (&th != &c)
          makeReady(th);
      }
    }
    barrierArrived = 0;
    barrierMax = 0;
  }

  /// tspawn thread=T, target=PC: starts hardware thread T of this core at
  /// PC with zeroed registers, at the spawner's time after the issue.
  bool execTspawn(Thread &c, const Instruction &in) {
    const int64_t tid = in.imms[0];
    const int64_t target = in.imms[1];
    if (tid < 0 || tid >= threadsPerCore)
      return illegal(c, absl::StrFormat("thread %d out of range (the target "
                                        "has %d threads per core)",
                                        tid, threadsPerCore));
    if (target < 0 || target >= int64_t(c.ncode))
      return illegal(c, absl::StrFormat("target %d is outside code section "
                                        "%d (%d instructions)",
                                        target, c.section, c.ncode));
    CoreState &cs = c.core;
    auto it = std::lower_bound(
        cs.threads.begin(), cs.threads.end(), uint64_t(tid),
        [](const std::unique_ptr<Thread> &p, uint64_t v) {
          return p->tid < v;
        });
    Thread *th = it != cs.threads.end() && (*it)->tid == uint64_t(tid)
                     ? it->get()
                     : nullptr;
    if (th && th->state != State::Halted)
      return illegal(c, absl::StrFormat("thread %d is already running (pc %d)",
                                        tid, th->pc));
    issueScalar(c);
    if (!th)
      th = cs.threads.insert(it, std::make_unique<Thread>(cs, uint64_t(tid)))
               ->get();
    std::memset(th->r, 0, sizeof th->r);
    th->edgeMask = unsigned(isa::kAllEdges);
    th->pc = uint32_t(target);
    th->t = c.t;
    th->state = State::Ready;
    ++cs.live;
    cs.st.threads = std::max(cs.st.threads, uint64_t(tid) + 1);
    ++c.pc;
    makeReady(*th);
    return true;
  }

  /// Executes one instruction of `c`. False on a fault (pendingMsg set).
  /// Executes one instruction, crediting its time, MACs and SRAM to its
  /// source location.
  bool step(Thread &c) {
    int32_t loc = -1;
    if (c.section < locIds.size() && c.pc < locIds[c.section].size())
      loc = locIds[c.section][c.pc];
    if (loc < 0)
      return stepInstruction(c);
    curLoc = loc;
    uint64_t t0 = c.t, macs0 = c.st.macs;
    bool ok = stepInstruction(c);
    LocationStats &ls = locStats[size_t(loc)];
    ++ls.instructions;
    ls.macs += c.st.macs - macs0;
    if (cycle) {
      ls.first = std::min(ls.first, t0);
      ls.last = std::max(ls.last, c.t);
      ls.busy += c.t >= t0 ? c.t - t0 : 0;
    }
    std::vector<bool> &seen = locCores[size_t(loc)];
    if (seen.empty())
      seen.resize(cores.size());
    if (!seen[size_t(c.id)]) {
      seen[size_t(c.id)] = true;
      ++ls.cores;
    }
    curLoc = -1;
    return ok;
  }

  bool stepInstruction(Thread &c) {
    if (c.pc >= c.ncode)
      return illegal(c, absl::StrFormat("fell off the end of code section %d "
                                        "(%d instructions) without halt",
                                        c.section, c.ncode));
    if (executed >= opt.instructionBudget)
      return fault(c, FaultKind::Budget,
                   absl::StrFormat("instruction budget of %d exhausted",
                                   opt.instructionBudget));
    ++executed;
    ++c.st.instructions;
    const Instruction &in = c.code[c.pc];
    int64_t *r = c.r;
    const uint8_t *R = in.regs;
    auto ur = [&](int i) { return uint64_t(r[R[i]]); };
    auto set = [&](int64_t v) {
      r[R[0]] = v;
      r[0] = 0;
    };
    switch (in.op) {
    case Opcode::Nop:
      break;
    case Opcode::Halt:
      issueScalar(c);
      c.state = State::Halted;
      c.st.cycles = std::max(c.st.cycles, c.t);
      --c.core.live;
      return true;
    case Opcode::Li:
      set(int64_t(in.imms[0]));
      break;
    case Opcode::Mov:
      set(r[R[1]]);
      break;
    case Opcode::Add:
      set(int64_t(ur(1) + ur(2)));
      break;
    case Opcode::Sub:
      set(int64_t(ur(1) - ur(2)));
      break;
    case Opcode::Mul:
      set(int64_t(ur(1) * ur(2)));
      break;
    case Opcode::Divu:
    case Opcode::Remu:
      if (ur(2) == 0)
        return illegal(c, "division by zero");
      set(int64_t(in.op == Opcode::Divu ? ur(1) / ur(2) : ur(1) % ur(2)));
      break;
    case Opcode::Min:
      set(std::min(r[R[1]], r[R[2]]));
      break;
    case Opcode::Max:
      set(std::max(r[R[1]], r[R[2]]));
      break;
    case Opcode::And:
      set(int64_t(ur(1) & ur(2)));
      break;
    case Opcode::Or:
      set(int64_t(ur(1) | ur(2)));
      break;
    case Opcode::Xor:
      set(int64_t(ur(1) ^ ur(2)));
      break;
    case Opcode::Shl:
      set(int64_t(ur(1) << (ur(2) & 63)));
      break;
    case Opcode::Shr:
      set(int64_t(ur(1) >> (ur(2) & 63)));
      break;
    case Opcode::Addi:
      set(int64_t(ur(1) + uint64_t(int64_t(in.imms[0]))));
      break;
    case Opcode::Muli:
      set(int64_t(ur(1) * uint64_t(int64_t(in.imms[0]))));
      break;
    case Opcode::Andi:
      set(int64_t(ur(1) & uint64_t(int64_t(in.imms[0]))));
      break;
    case Opcode::Ori:
      set(int64_t(ur(1) | uint64_t(int64_t(in.imms[0]))));
      break;
    case Opcode::Slli:
    case Opcode::Srli:
      if (in.imms[0] < 0 || in.imms[0] > 63)
        return illegal(c, absl::StrFormat("shift amount imm=%d must be 0..63",
                                          in.imms[0]));
      set(int64_t(in.op == Opcode::Slli ? ur(1) << in.imms[0]
                                        : ur(1) >> in.imms[0]));
      break;
    case Opcode::Csrw:
      if (!execCsrw(c, in))
        return false;
      break;
    case Opcode::Csrr:
      switch (in.imms[0]) {
      case int32_t(isa::Csr::CoreId):
        set(c.id);
        break;
      case int32_t(isa::Csr::NumCores):
        set(int64_t(cores.size()));
        break;
      case int32_t(isa::Csr::Row):
        set(c.row);
        break;
      case int32_t(isa::Csr::Col):
        set(c.col);
        break;
      case int32_t(isa::Csr::Thread):
        set(int64_t(c.tid));
        break;
      case int32_t(isa::Csr::Cfp8Bias143):
        set(c.core.biases.cfp8_143);
        break;
      case int32_t(isa::Csr::Cfp8Bias152):
        set(c.core.biases.cfp8_152);
        break;
      case int32_t(isa::Csr::Cfp16Bias):
        set(c.core.biases.cfp16);
        break;
      case int32_t(isa::Csr::SrSeed):
        set(int64_t(c.core.srSeed));
        break;
      case int32_t(isa::Csr::EdgeMask):
        set(int64_t(c.edgeMask));
        break;
      default:
        return illegal(c, absl::StrFormat("unknown CSR %d", in.imms[0]));
      }
      break;
    case Opcode::Ld:
    case Opcode::St: {
      int64_t addr;
      if (__builtin_add_overflow(r[R[1]], int64_t(in.imms[0]), &addr))
        return fault(
            c, FaultKind::MemoryFault,
            absl::StrFormat("address %d + %d overflows", r[R[1]], in.imms[0]));
      bool load = in.op == Opcode::Ld;
      if (!checkSram(c, c, addr, 8, 8, load ? "ld" : "st"))
        return false;
      uint8_t *p = c.sram.get() + addr;
      if (load) {
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
          v |= uint64_t(p[i]) << (8 * i);
        set(int64_t(v));
      } else {
        uint64_t v = ur(0);
        for (int i = 0; i < 8; ++i)
          p[i] = uint8_t(v >> (8 * i));
      }
      break;
    }
    case Opcode::Beq:
    case Opcode::Bne:
    case Opcode::Blt:
    case Opcode::Bge: {
      int64_t a = r[R[0]], b = r[R[1]];
      bool taken = in.op == Opcode::Beq   ? a == b
                   : in.op == Opcode::Bne ? a != b
                   : in.op == Opcode::Blt ? a < b
                                          : a >= b;
      scalarDone(c);
      if (taken)
        c.pc = uint32_t(in.imms[0]);
      return true;
    }
    case Opcode::Jmp:
      scalarDone(c);
      c.pc = uint32_t(in.imms[0]);
      return true;
    case Opcode::Mm:
      return execMm(c, in);
    case Opcode::Vcvt:
      return execVUnary(c, in, kernels::VUnary::Cvt);
    case Opcode::Vrelu:
      return execVUnary(c, in, kernels::VUnary::Relu);
    case Opcode::Vadd:
      return execVBinary(c, in, kernels::VBinary::Add);
    case Opcode::Vsub:
      return execVBinary(c, in, kernels::VBinary::Sub);
    case Opcode::Vmul:
      return execVBinary(c, in, kernels::VBinary::Mul);
    case Opcode::Vmax:
      return execVBinary(c, in, kernels::VBinary::Max);
    case Opcode::Vmin:
      return execVBinary(c, in, kernels::VBinary::Min);
    case Opcode::Vfill:
      return execVFill(c, in);
    case Opcode::Vdiv:
      return execVBinary(c, in, kernels::VBinary::Div);
    case Opcode::Vexp:
      return execVUnary(c, in, kernels::VUnary::Exp);
    case Opcode::Vlog:
      return execVUnary(c, in, kernels::VUnary::Log);
    case Opcode::Vsqrt:
      return execVUnary(c, in, kernels::VUnary::Sqrt);
    case Opcode::Vrsqrt:
      return execVUnary(c, in, kernels::VUnary::Rsqrt);
    case Opcode::Vtanh:
      return execVUnary(c, in, kernels::VUnary::Tanh);
    case Opcode::Verf:
      return execVUnary(c, in, kernels::VUnary::Erf);
    case Opcode::Vrecip:
      return execVUnary(c, in, kernels::VUnary::Recip);
    case Opcode::Vabs:
      return execVUnary(c, in, kernels::VUnary::Abs);
    case Opcode::Vneg:
      return execVUnary(c, in, kernels::VUnary::Neg);
    case Opcode::Vfma:
      return execVFma(c, in);
    case Opcode::Vcmp:
      return execVCmp(c, in);
    case Opcode::Vsel:
      return execVSel(c, in);
    case Opcode::Vtrans:
      return execVTrans(c, in);
    case Opcode::Vredsum:
      return execVReduce(c, in, kernels::VReduce::Sum);
    case Opcode::Vredmax:
      return execVReduce(c, in, kernels::VReduce::Max);
    case Opcode::DmaLd:
    case Opcode::DmaSt:
    case Opcode::DmaPut:
    case Opcode::DmaMcast:
      return execDma(c, in);
    case Opcode::Tspawn:
      return execTspawn(c, in);
    case Opcode::SemWait:
      return execSemWait(c, in);
    case Opcode::SemSignal:
      return execSemSignal(c, in);
    case Opcode::Barrier:
      execBarrier(c);
      return true;
    case Opcode::NumOpcodes:
      return illegal(c, "invalid opcode");
    }
    scalarDone(c);
    return true;
  }

  std::string deadlockMessage() const {
    std::vector<std::string> parts;
    for (const CoreState &cs : cores)
      for (const std::unique_ptr<Thread> &p : cs.threads) {
        const Thread &c = *p;
        std::string who = absl::StrFormat("core %d (%d,%d) thread %d pc %d",
                                          c.id, c.row, c.col, c.tid, c.pc);
        if (c.state == State::WaitSem)
          parts.push_back(absl::StrFormat(
              "%s waits on sem %d (value %d, needs %d)", who, c.waitSem,
              c.sem[c.waitSem], c.waitCount));
        else if (c.state == State::WaitBarrier)
          parts.push_back(absl::StrFormat(
              "%s waits at barrier (%d of %d cores arrived)", who,
              barrierArrived, cores.size()));
      }
    return "deadlock: " + absl::StrJoin(parts, "; ");
  }

  absl::Status finish(FaultKind k, const std::string &msg) {
    // Stats are filled in even after a fault: they describe the run so far.
    uint64_t cycles = lastEvent;
    for (const CoreState &c : cores) {
      uint64_t end = c.st.cycles; // last halt
      if (c.live)
        for (const std::unique_ptr<Thread> &p : c.threads)
          if (p->state != State::Halted)
            end = std::max(end, p->t);
      cycles = std::max(cycles, end);
      stats.instructions += c.st.instructions;
      stats.macs += c.st.macs;
      stats.sramHighWater = std::max(stats.sramHighWater, c.st.sramHighWater);
      stats.perCore.push_back(c.st);
      stats.perCore.back().cycles = end;
    }
    for (const LocationStats &ls : locStats)
      if (ls.instructions) {
        stats.locations.push_back(ls);
        if (!cycle)
          stats.locations.back().first = 0;
      }
    std::stable_sort(stats.locations.begin(), stats.locations.end(),
                     [](const LocationStats &a, const LocationStats &b) {
                       return a.first < b.first;
                     });
    stats.cycles = cycles;
    if (cycle)
      stats.links = noc.linkStats();
    lastFault = k;
    if (k == FaultKind::None)
      return absl::OkStatus();
    return statusFor(k, msg);
  }

  absl::Status run() {
    if (!progStatus.ok()) {
      lastFault = FaultKind::BadProgram;
      return progStatus;
    }
    std::vector<std::string> missing;
    for (const isa::Symbol &s : prog.symbols)
      if (!s.isOutput && !inputs.count(s.name))
        missing.push_back("'" + s.name + "'");
    if (!missing.empty()) {
      lastFault = FaultKind::BadInput;
      return absl::InvalidArgumentError("input(s) not set: " +
                                        absl::StrJoin(missing, ", "));
    }
    if (absl::Status st = reset(); !st.ok()) {
      lastFault = FaultKind::BadProgram;
      return st;
    }
    if (!cycle) {
      // Functional: each runnable thread runs until it blocks or halts.
      while (!runq.empty()) {
        Thread &c = *runq.front();
        runq.pop_front();
        while (c.state == State::Ready)
          if (!step(c))
            return finish(pendingKind, pendingMsg);
      }
    }
    while (cycle) {
      if (ready.empty()) {
        if (events.empty())
          break;
        Event e = events.top();
        events.pop();
        deliver(e);
        continue;
      }
      if (!events.empty() && events.top().time <= ready.top().t) {
        Event e = events.top();
        events.pop();
        deliver(e);
        continue;
      }
      Thread &c = *ready.top().th;
      ready.pop();
      // Run `c` while it stays the earliest thing that can happen.
      while (true) {
        if (!step(c))
          return finish(pendingKind, pendingMsg);
        if (c.state != State::Ready)
          break;
        if ((!events.empty() && events.top().time <= c.t) ||
            (!ready.empty() && ready.top().before(c.t, c.id, c.tid))) {
          makeReady(c);
          break;
        }
      }
    }
    for (const CoreState &c : cores)
      if (c.live)
        return finish(FaultKind::Deadlock, deadlockMessage());
    return finish(FaultKind::None, "");
  }
};

Simulator::Simulator(isa::Program program, Options options)
    : impl(std::make_unique<Impl>(std::move(program), options)) {}

Simulator::~Simulator() = default;

absl::Status Simulator::setInput(const std::string &name,
                                 const std::vector<uint8_t> &bytes) {
  if (!impl->progStatus.ok()) {
    impl->lastFault = FaultKind::BadProgram;
    return impl->progStatus;
  }
  const isa::Symbol *s = impl->prog.findSymbol(name);
  if (!s || s->isOutput) {
    impl->lastFault = FaultKind::BadInput;
    return absl::NotFoundError(s ? "'" + name + "' is an output, not an input"
                                 : "no input symbol '" + name + "'");
  }
  if (bytes.size() != uint64_t(s->numBytes())) {
    impl->lastFault = FaultKind::BadInput;
    std::string shape;
    for (size_t i = 0; i < s->shape.size(); ++i)
      shape += (i ? "x" : "") + std::to_string(s->shape[i]);
    return absl::InvalidArgumentError(absl::StrFormat(
        "input '%s' (%s %s) needs %d bytes, got %d", name,
        num::dtypeName(s->dtype), shape.empty() ? "scalar" : shape,
        s->numBytes(), bytes.size()));
  }
  impl->inputs[name] = bytes;
  if (impl->dramBuilt && !bytes.empty())
    std::memcpy(impl->dram.get() + s->dramOffset, bytes.data(), bytes.size());
  return absl::OkStatus();
}

absl::Status Simulator::run() { return impl->run(); }

FaultKind Simulator::fault() const { return impl->lastFault; }

absl::StatusOr<std::vector<uint8_t>>
Simulator::getSymbol(const std::string &name) const {
  if (!impl->progStatus.ok())
    return impl->progStatus;
  const isa::Symbol *s = impl->prog.findSymbol(name);
  if (!s)
    return absl::NotFoundError("no symbol '" + name + "'");
  if (!impl->dramBuilt)
    if (absl::Status st = impl->buildDram(); !st.ok())
      return st;
  const uint8_t *p = impl->dram.get() + s->dramOffset;
  return std::vector<uint8_t>(p, p + s->numBytes());
}

const Stats &Simulator::stats() const { return impl->stats; }

const Trace &Simulator::trace() const { return impl->trace; }

const isa::Program &Simulator::program() const { return impl->prog; }
