//===- TimingTest.cpp - Timing rules, NoC, threads, modes, trace ----------===//
//
// Pins the cycle model of docs/isa.md section 6: units shared by hardware
// threads, SRAM port limits, NoC links with serialization and contention,
// multicast trees, barriers, determinism, and functional mode.
//===----------------------------------------------------------------------===//

#include "SimTestUtil.h"
#include "dojo/Sim/Kernels.h"
#include "dojo/Sim/Simulator.h"
#include "dojo/Sim/Trace.h"

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <sstream>

using namespace dojo;
using namespace dojo::isa;
using namespace dojo::sim;
using namespace dojo::testutil;

namespace {

/// Runs `text` in `mode`; expects success.
struct Result {
  Stats stats;
  Trace trace;
  std::vector<std::vector<uint8_t>> outputs;
  absl::Status status;
  FaultKind fault = FaultKind::None;
};
Result run(const std::string &text, Mode mode = Mode::Cycle, bool trace = false,
        const std::vector<std::pair<std::string, std::vector<uint8_t>>>
            &inputs = {}) {
  Options o;
  o.mode = mode;
  o.trace = trace;
  Program p = assemble(text);
  Simulator sim(p, o);
  for (auto &[name, bytes] : inputs)
    EXPECT_TRUE(sim.setInput(name, bytes).ok());
  Result r;
  r.status = sim.run();
  r.fault = sim.fault();
  r.stats = sim.stats();
  r.trace = sim.trace();
  for (const Symbol &s : p.symbols)
    if (s.isOutput)
      r.outputs.push_back(*sim.getSymbol(s.name));
  return r;
}

uint64_t linkBytes(const Stats &s, const std::string &name) {
  for (const LinkStats &l : s.links)
    if (l.name() == name)
      return l.bytes;
  return 0;
}

uint64_t bytesOfKind(const Stats &s, LinkStats::Kind k) {
  uint64_t n = 0;
  for (const LinkStats &l : s.links)
    if (l.kind == k)
      n += l.bytes;
  return n;
}

//===----------------------------------------------------------------------===//
// Isolated instructions and SRAM ports
//===----------------------------------------------------------------------===//

TEST(Timing, IsolatedInstructionOfEachUnit) {
  // scalar_latency=2, one instruction on each unit, one at a time.
  Result r = run(R"(.target tiny scalar_latency=2 matrix_latency=5 vector_latency=3 dma_latency=7 noc_hop_latency=2
.core 0 0 section=0
.core 1 1 section=1
.section 0
  li r1, value=4096
  mm r1, r0, r0, m=8, n=8, k=4, ldc=8, lda=4, ldb=8, acc=0, dt=bf16
  vfill r0, rows=1, cols=16, ldd=16, dtd=f32, bits=0
  li r2, value=1
  dma.put r0, r0, r2, rows=1, bytes=64, dstride=0, sstride=0, sem=0
  halt
.section 1
  sem.wait sem=0, count=1
  halt
)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  // li 0..2; mm: one 8x8x4 step: 1 cycle of MACs, 128 B of loads (1
  // cycle), 256 B of stores at 135 B/cycle (2 cycles): 2 + 5 -> 9; vfill 1
  // vector + 3 -> 13; li -> 15; dma.put issues at 15 (-> 17): 64 bytes = 1
  // packet, 1 cycle on the links: done 15 + 1 + 7 + 2 hops x 2 = 27;
  // halt -> 19.
  EXPECT_EQ(r.stats.perCore[0].cycles, 19u);
  EXPECT_EQ(r.stats.perCore[1].cycles, 29u); // resumes at 27, halt 2
  const CoreStats &c = r.stats.perCore[0];
  EXPECT_EQ(c.busy[int(Unit::Matrix)], 2u);
  EXPECT_EQ(c.busy[int(Unit::Vector)], 1u);
  EXPECT_EQ(c.busy[int(Unit::Dma)], 1u);
  EXPECT_EQ(c.busy[int(Unit::Scalar)], 8u); // li, li, dma.put, halt
  EXPECT_EQ(r.stats.perCore[1].busy[int(Unit::Sync)], 25u); // 2 .. 27
  EXPECT_DOUBLE_EQ(r.stats.busyFraction(c, Unit::Matrix), 2.0 / 29);
  EXPECT_DOUBLE_EQ(r.stats.macUtilization(c), 256.0 / (29 * 256));
}

TEST(Timing, SaturatedSramPorts) {
  // vadd of 4 x 64 f32 into f32: 16 vectors, but 2 KiB of loads at
  // 32 B/cycle (64 cycles) and 1 KiB of stores at 8 B/cycle (128 cycles):
  // the store port binds.
  Result r = run(R"(.target tiny sram_load_bpc=32 sram_store_bpc=8 vector_latency=4
.core 0 0 section=0
.section 0
  li r1, value=8192
  li r2, value=4096
  vadd r1, r0, r2, rows=4, cols=64, ldd=64, lda=64, ldb=64, dtd=f32, dta=f32, dtb=f32
  halt
)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.stats.perCore[0].busy[int(Unit::Vector)], 128u);
  EXPECT_EQ(r.stats.cycles, 2u + 128 + 4 + 1);
  // With a wide store port the load port binds (64 cycles).
  Result l = run(R"(.target tiny sram_load_bpc=32 sram_store_bpc=1000
.core 0 0 section=0
.section 0
  li r1, value=8192
  li r2, value=4096
  vadd r1, r0, r2, rows=4, cols=64, ldd=64, lda=64, ldb=64, dtd=f32, dta=f32, dtb=f32
  halt
)");
  EXPECT_EQ(l.stats.perCore[0].busy[int(Unit::Vector)], 64u);
}

//===----------------------------------------------------------------------===//
// NoC: serialization, contention, routes
//===----------------------------------------------------------------------===//

/// Cores on a 1x4 mesh; each section-0 core puts 6400 bytes to core
/// coreid + `dist`. `senders` logical cores send, the rest wait.
std::string flows(int senders, int dist) {
  std::string text = ".target tiny rows=1 cols=4 dma_latency=10 "
                     "noc_hop_latency=2\n";
  for (int i = 0; i < 4; ++i)
    text += absl::StrFormat(".core 0 %d section=%d\n", i, i < senders ? 0 : 1);
  text += absl::StrFormat(R"(.section 0
  csrr r1, csr=coreid
  addi r1, r1, imm=%d
  dma.put r0, r0, r1, rows=1, bytes=6400, dstride=0, sstride=0, sem=0
  halt
.section 1
  sem.wait sem=0, count=1
  halt
)",
                          dist);
  return text;
}

TEST(Timing, OneFlowAlone) {
  // Core 0 -> core 2 (2 hops): issue at 2, 100 cycles of data, done
  // 102 + 10 + 2 x 2 = 116; core 2 halts at 117.
  std::string text = flows(1, 2);
  // Cores 1 and 3 are receivers that nobody sends to: let them not wait.
  text.replace(text.find(".core 0 1 section=1"), 19, ".core 0 1 section=2");
  text.replace(text.find(".core 0 3 section=1"), 19, ".core 0 3 section=2");
  text += ".section 2\n  halt\n";
  Result r = run(text);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.stats.perCore[2].cycles, 117u);
  EXPECT_EQ(linkBytes(r.stats, "(0,0)->(0,1)"), 6400u);
  EXPECT_EQ(linkBytes(r.stats, "(0,1)->(0,2)"), 6400u);
  EXPECT_EQ(linkBytes(r.stats, "(0,0) inject"), 6400u);
  EXPECT_EQ(linkBytes(r.stats, "(0,2) eject"), 6400u);
  EXPECT_EQ(r.stats.links.size(), 4u);
  EXPECT_EQ(r.stats.nocByteHops, 12800u);
}

TEST(Timing, TwoFlowsSharingALinkTakeTwiceAsLong) {
  // 0 -> 2 and 1 -> 3 share the link (0,1)->(0,2). Both issue at 2; the
  // first (core 0, scheduled first) moves its 100 cycles of data at once,
  // the second queues behind it on the shared link: data until 202, done
  // 202 + 10 + 4 = 216.
  Result r = run(flows(2, 2));
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.stats.perCore[2].cycles, 117u);
  EXPECT_EQ(r.stats.perCore[3].cycles, 217u);
  EXPECT_EQ(r.stats.perCore[1].busy[int(Unit::Dma)], 200u);
  EXPECT_EQ(r.stats.perCore[0].busy[int(Unit::Dma)], 100u);
  EXPECT_EQ(linkBytes(r.stats, "(0,1)->(0,2)"), 12800u);
  std::vector<LinkStats> hot = r.stats.hottestLinks(1);
  ASSERT_EQ(hot.size(), 1u);
  EXPECT_EQ(hot[0].name(), "(0,1)->(0,2)");
  EXPECT_EQ(hot[0].kind, LinkStats::Mesh);
  EXPECT_DOUBLE_EQ(r.stats.linkUtilization(hot[0]), 12800.0 / (217 * 64));
}

TEST(Timing, QueuedTransferReservesWhenItsEngineStartsIt) {
  // Core 0 issues two puts to core 2 at 2 and 3: the second waits in its
  // engine's queue until the first finishes at 102. Core 1's put to core 3
  // issues at 42, sharing the link (0,1)->(0,2): it starts at once and
  // queues only behind core 0's first put (data until 202, done 202 + 10 +
  // 4 = 216, halt at 217); core 0's second put starts at 102, behind core
  // 1's bytes (data until 302, done 316, core 2 halts at 317). Had the
  // queued put reserved the link when it was issued (at 3, for 102..202),
  // core 1's put would have waited for it (done 316) while the link idled.
  std::string text = ".target tiny rows=1 cols=4 dma_latency=10 "
                     "noc_hop_latency=2\n"
                     ".core 0 0 section=0\n.core 0 1 section=1\n"
                     ".core 0 2 section=2\n.core 0 3 section=3\n"
                     R"(.section 0
  li r1, value=2
  li r3, value=6400
  dma.put r0, r0, r1, rows=1, bytes=6400, dstride=0, sstride=0, sem=0
  dma.put r3, r0, r1, rows=1, bytes=6400, dstride=0, sstride=0, sem=0
  halt
.section 1
  li r1, value=3
  li r2, value=20
loop:
  addi r2, r2, imm=-1
  bne r2, r0, target=@loop
  dma.put r0, r0, r1, rows=1, bytes=6400, dstride=0, sstride=0, sem=0
  halt
.section 2
  sem.wait sem=0, count=2
  halt
.section 3
  sem.wait sem=0, count=1
  halt
)";
  Result r = run(text, Mode::Cycle, /*trace=*/true);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.stats.perCore[3].cycles, 217u);
  EXPECT_EQ(r.stats.perCore[2].cycles, 317u);
  // Core 0's engine: 100 cycles of data per put, the second from 102 on;
  // the trace names the second put's own instruction (pc 3).
  EXPECT_EQ(r.stats.perCore[0].busy[int(Unit::Dma)], 300u);
  std::vector<TraceEvent> dma;
  for (const TraceEvent &e : r.trace.events)
    if (e.core == 0 && e.unit == Unit::Dma)
      dma.push_back(e);
  ASSERT_EQ(dma.size(), 2u);
  EXPECT_EQ(dma[1].start, 102u);
  EXPECT_EQ(dma[1].pc, 3u);
  EXPECT_EQ(dma[1].done, 316u);
}

TEST(Timing, FlowsOnDisjointLinksAreNotSlowed) {
  // 0 -> 1 and 2 -> 3: no common link; both done at 2 + 100 + 10 + 2.
  std::string text = ".target tiny rows=1 cols=4 dma_latency=10 "
                     "noc_hop_latency=2\n"
                     ".core 0 0 section=0\n.core 0 1 section=1\n"
                     ".core 0 2 section=0\n.core 0 3 section=1\n"
                     R"(.section 0
  csrr r1, csr=coreid
  addi r1, r1, imm=1
  dma.put r0, r0, r1, rows=1, bytes=6400, dstride=0, sstride=0, sem=0
  halt
.section 1
  sem.wait sem=0, count=1
  halt
)";
  Result r = run(text);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.stats.perCore[1].cycles, 115u);
  EXPECT_EQ(r.stats.perCore[3].cycles, 115u);
}

TEST(Timing, PacketsAndStridedDestinations) {
  // 4 rows of 16 bytes to a strided destination: every row is one 64 B
  // packet (256 bytes on the links); to a contiguous destination the same
  // 64 bytes are one packet.
  auto one = [](int dstride) {
    return run(absl::StrFormat(R"(.target tiny dma_latency=0 noc_hop_latency=0 noc_link_bpc=16
.core 0 0 section=0
.core 0 1 section=1
.section 0
  li r1, value=1
  dma.put r0, r0, r1, rows=4, bytes=16, dstride=%d, sstride=16, sem=0
  halt
.section 1
  sem.wait sem=0, count=1
  halt
)",
                               dstride));
  };
  Result strided = one(32), packed = one(16);
  EXPECT_EQ(linkBytes(strided.stats, "(0,0)->(0,1)"), 256u);
  EXPECT_EQ(linkBytes(packed.stats, "(0,0)->(0,1)"), 64u);
  EXPECT_EQ(strided.stats.perCore[1].cycles, 1u + 16 + 1);
  EXPECT_EQ(packed.stats.perCore[1].cycles, 1u + 4 + 1);
  EXPECT_EQ(strided.stats.nocBytes, 64u);
}

TEST(Timing, EdgeMemoryTravelsOverRealLinks) {
  // Core (1,2) of a 4x4 mesh: nearest edge is north (distance 1; ties
  // break N, E, S, W). A load comes in from the north edge port of
  // (0,2), down one link, into the core; a store goes the other way.
  Result r = run(R"(.target small
.dram 4096
.core 1 2 section=0
.section 0
  dma.ld r0, r0, rows=1, bytes=1000, dstride=0, sstride=0, sem=0
  dma.st r0, r0, rows=1, bytes=100, dstride=0, sstride=0, sem=0
  sem.wait sem=0, count=2
  halt
)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(linkBytes(r.stats, "edge N->(0,2)"), 1024u);
  EXPECT_EQ(linkBytes(r.stats, "(0,2)->(1,2)"), 1024u);
  EXPECT_EQ(linkBytes(r.stats, "(1,2) eject"), 1024u);
  EXPECT_EQ(linkBytes(r.stats, "(1,2) inject"), 128u);
  EXPECT_EQ(linkBytes(r.stats, "(1,2)->(0,2)"), 128u);
  EXPECT_EQ(linkBytes(r.stats, "(0,2)->edge N"), 128u);
  EXPECT_EQ(r.stats.links.size(), 6u);
  EXPECT_EQ(r.stats.nocByteHops, 1100u * 2);
  // Load: ready 0, 16 cycles of data; store: engine free at 16, 2 cycles.
  // Done 18 + 200 + 30 + 2 = 250; the wait resumes there; halt 251.
  EXPECT_EQ(r.stats.cycles, 251u);
}

TEST(Timing, EdgeMaskChoosesTheEdge) {
  // The same core (1,2) of the 4x4 mesh with CSR edge_mask = E|W (10):
  // east is nearer (distance 1) than west (2), so the load comes in from
  // the east port of (1,3) and the store leaves there; with S only (4) the
  // route is two links down to (3,2)'s south port, one hop more.
  auto with = [](int mask) {
    return run(absl::StrFormat(R"(.target small
.dram 4096
.core 1 2 section=0
.section 0
  li r1, value=%d
  csrw r1, csr=edge_mask
  csrr r2, csr=edge_mask
  st r2, r0, off=2048
  dma.ld r0, r0, rows=1, bytes=1000, dstride=0, sstride=0, sem=0
  dma.st r0, r0, rows=1, bytes=100, dstride=0, sstride=0, sem=0
  sem.wait sem=0, count=2
  halt
)",
                               mask));
  };
  Result ew = with(10);
  ASSERT_TRUE(ew.status.ok()) << ew.status;
  EXPECT_EQ(linkBytes(ew.stats, "edge E->(1,3)"), 1024u);
  EXPECT_EQ(linkBytes(ew.stats, "(1,3)->(1,2)"), 1024u);
  EXPECT_EQ(linkBytes(ew.stats, "(1,2)->(1,3)"), 128u);
  EXPECT_EQ(linkBytes(ew.stats, "(1,3)->edge E"), 128u);
  EXPECT_EQ(linkBytes(ew.stats, "edge N->(0,2)"), 0u);
  EXPECT_EQ(ew.stats.links.size(), 6u);
  Result s = with(4);
  ASSERT_TRUE(s.status.ok()) << s.status;
  EXPECT_EQ(linkBytes(s.stats, "edge S->(3,2)"), 1024u);
  EXPECT_EQ(linkBytes(s.stats, "(3,2)->(2,2)"), 1024u);
  EXPECT_EQ(linkBytes(s.stats, "(2,2)->(1,2)"), 1024u);
  EXPECT_EQ(linkBytes(s.stats, "(2,2)->(3,2)"), 128u);
  EXPECT_EQ(linkBytes(s.stats, "(3,2)->edge S"), 128u);
  EXPECT_EQ(s.stats.nocByteHops, 1100u * 3);
  // One more hop of latency than the nearest (north) route: 4 scalar
  // instructions before the load, 251 + 4 + 1 cycles.
  EXPECT_EQ(s.stats.cycles, 256u);
  // Default (15): the nearest edge, north.
  Result all = with(15);
  ASSERT_TRUE(all.status.ok()) << all.status;
  EXPECT_EQ(linkBytes(all.stats, "edge N->(0,2)"), 1024u);
  EXPECT_EQ(all.stats.cycles, 255u);
  // Functional mode counts the same hops.
  std::string text = R"(.target small
.dram 4096
.core 1 2 section=0
.section 0
  li r1, value=4
  csrw r1, csr=edge_mask
  dma.ld r0, r0, rows=1, bytes=1000, dstride=0, sstride=0, sem=0
  sem.wait sem=0, count=1
  halt
)";
  Result f = run(text, Mode::Functional);
  ASSERT_TRUE(f.status.ok()) << f.status;
  EXPECT_EQ(f.stats.nocByteHops, 1000u * 3);
}

TEST(Timing, EdgeMaskMustBeANonemptySet) {
  for (int bad : {0, 16, -1}) {
    Result r = run(absl::StrFormat(".target small\n.core 1 2 section=0\n"
                                   ".section 0\n  li r1, value=%d\n"
                                   "  csrw r1, csr=edge_mask\n  halt\n",
                                   bad));
    EXPECT_FALSE(r.status.ok());
    EXPECT_NE(std::string(r.status.message())
                  .find(absl::StrFormat("edge_mask must be 1..15 (a nonempty "
                                        "set of N=1, E=2, S=4, W=8), got %d",
                                        bad)),
              std::string::npos)
        << r.status;
  }
}

//===----------------------------------------------------------------------===//
// Multicast
//===----------------------------------------------------------------------===//

std::string mcastProgram(bool multicast) {
  // Core 0 at (0,0) loads 256 bytes and sends them to every core of the
  // 4x4 mesh (itself included) at SRAM 1024; every core stores its copy.
  std::string text = ".target small dma_latency=10 noc_hop_latency=3\n"
                     ".dram 8192\n.input x i32 64 @0\n"
                     ".output y i32 16x64 @1024\n";
  for (int i = 0; i < 16; ++i)
    text += absl::StrFormat(".core %d %d section=%d\n", i / 4, i % 4,
                            i == 0 ? 0 : 1);
  text += R"(.section 0
  dma.ld r0, r0, rows=1, bytes=256, dstride=0, sstride=0, sem=0
  sem.wait sem=0, count=1
  li r3, value=1024
)";
  if (multicast)
    text += "  dma.mcast r3, r0, r0, r0, rows=1, bytes=256, dstride=0, "
            "sstride=0, sem=1, height=4, width=4\n";
  else
    text += R"(  li r4, value=0
  li r5, value=16
send:
  dma.put r3, r0, r4, rows=1, bytes=256, dstride=0, sstride=0, sem=1
  addi r4, r4, imm=1
  blt r4, r5, target=@send
)";
  text += R"(.section 1
  sem.wait sem=1, count=1
  csrr r1, csr=coreid
  muli r2, r1, imm=256
  addi r2, r2, imm=1024
  li r3, value=1024
  dma.st r2, r3, rows=1, bytes=256, dstride=0, sstride=0, sem=2
  sem.wait sem=2, count=1
  halt
)";
  // Core 0 runs section 0 then falls into section 1's code: append it.
  std::string s1 = text.substr(text.find(".section 1\n") + 11);
  text.insert(text.find(".section 1\n"), s1);
  return text;
}

std::vector<uint8_t> iota256() {
  std::vector<uint8_t> x(256);
  for (int i = 0; i < 256; ++i)
    x[size_t(i)] = uint8_t(i * 7 + 3);
  return x;
}

TEST(Multicast, DeliversEverywhereAndCarriesThePayloadOncePerLink) {
  Result m = run(mcastProgram(true), Mode::Cycle, true, {{"x", iota256()}});
  Result u = run(mcastProgram(false), Mode::Cycle, false, {{"x", iota256()}});
  ASSERT_TRUE(m.status.ok()) << m.status;
  ASSERT_TRUE(u.status.ok()) << u.status;
  std::vector<uint8_t> want;
  for (int i = 0; i < 16; ++i) {
    std::vector<uint8_t> x = iota256();
    want.insert(want.end(), x.begin(), x.end());
  }
  EXPECT_EQ(m.outputs[0], want);
  EXPECT_EQ(u.outputs[0], want);
  // Tree: 3 row links + 4 columns x 3 links = 15 mesh links, 256 B each;
  // unicast: sum of the XY distances (48) x 256 B. Both programs also
  // store from the four inner cores, one mesh link each to the edge.
  const uint64_t stores = 4 * 256;
  EXPECT_EQ(bytesOfKind(m.stats, LinkStats::Mesh), 15u * 256 + stores);
  EXPECT_EQ(bytesOfKind(u.stats, LinkStats::Mesh), 48u * 256 + stores);
  EXPECT_EQ(linkBytes(m.stats, "(0,1)->(0,2)"), 256u);
  EXPECT_EQ(linkBytes(u.stats, "(0,1)->(0,2)"), 8u * 256);
  EXPECT_EQ(linkBytes(m.stats, "(0,0)->(1,0)"), 256u);
  EXPECT_EQ(linkBytes(u.stats, "(0,0)->(1,0)"), 3u * 256);
  // Inject: the multicast once, plus core 0's own store.
  EXPECT_EQ(linkBytes(m.stats, "(0,0) inject"), 256u + 256);
  EXPECT_EQ(linkBytes(u.stats, "(0,0) inject"), 15u * 256 + 256);
  // Eject: 15 remote copies (core 0's own is local) plus core 0's load.
  EXPECT_EQ(bytesOfKind(m.stats, LinkStats::Eject), 15u * 256 + 256);
  // The multicast's trace event: data from its ready time for 4 cycles,
  // the farthest copy (6 hops) lands 10 + 18 cycles later.
  const TraceEvent *mc = nullptr;
  for (const TraceEvent &e : m.trace.events)
    if (e.op == Opcode::DmaMcast)
      mc = &e;
  ASSERT_NE(mc, nullptr);
  EXPECT_EQ(mc->dur, 4u);
  EXPECT_EQ(mc->done, mc->start + 4 + 10 + 18);
  EXPECT_EQ(mc->bytes, 256u);
  EXPECT_EQ(mc->height, 4);
  EXPECT_LT(m.stats.cycles, u.stats.cycles);
}

TEST(Multicast, SkipsDisabledCoresAndFaultsOnBadRectangles) {
  std::string head = ".target tiny disabled=1:1\n.core 0 0 section=0\n"
                     ".core 0 1 section=1\n.core 1 0 section=1\n";
  Result ok = run(head + R"(.section 0
  li r1, value=1
  dma.mcast r0, r0, r0, r0, rows=1, bytes=64, dstride=0, sstride=0, sem=0, height=2, width=2
  sem.wait sem=0, count=1
  halt
.section 1
  sem.wait sem=0, count=1
  halt
)");
  ASSERT_TRUE(ok.status.ok()) << ok.status;
  Result out = run(head + R"(.section 0
  li r1, value=1
  dma.mcast r0, r0, r1, r0, rows=1, bytes=64, dstride=0, sstride=0, sem=0, height=2, width=1
  halt
.section 1
  halt
)");
  EXPECT_EQ(out.fault, FaultKind::IllegalInstruction);
  EXPECT_CONTAINS(out.status.message(), "outside the 2x2 mesh");
  Result none = run(head + R"(.section 0
  li r1, value=1
  dma.mcast r0, r0, r1, r1, rows=1, bytes=64, dstride=0, sstride=0, sem=0, height=1, width=1
  halt
.section 1
  halt
)");
  EXPECT_EQ(none.fault, FaultKind::IllegalInstruction);
  EXPECT_CONTAINS(none.status.message(), "holds no core of the program");
  Result oob = run(head + R"(.section 0
  li r1, value=1310700
  li r2, value=1
  dma.mcast r1, r0, r0, r2, rows=1, bytes=64, dstride=0, sstride=0, sem=0, height=1, width=1
  halt
.section 1
  halt
)");
  EXPECT_EQ(oob.fault, FaultKind::MemoryFault);
  EXPECT_CONTAINS(oob.status.message(), "dma.mcast destination: core 1 SRAM");
}

//===----------------------------------------------------------------------===//
// Barriers and threads
//===----------------------------------------------------------------------===//

TEST(Timing, BarrierReleaseTime) {
  // Core 0 arrives at 1 (after the issue), core 1 at 11; release at
  // 11 + barrier_latency = 24; both halt at 25.
  Result r = run(R"(.target tiny barrier_latency=13
.core 0 0 section=0
.core 1 1 section=1
.section 0
  barrier
  halt
.section 1
  li r1, value=10
loop:
  addi r1, r1, imm=-1
  bne r1, r0, target=@loop
  barrier
  halt
)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  // Core 1: li, then 5 x (addi, bne) = 11 cycles... r1 goes 10 -> 0 in 10
  // iterations: 1 + 20 = 21, barrier issue -> 22; release 22 + 13 = 35.
  EXPECT_EQ(r.stats.perCore[0].cycles, 36u);
  EXPECT_EQ(r.stats.perCore[1].cycles, 36u);
  EXPECT_EQ(r.stats.perCore[0].busy[int(Unit::Sync)], 34u);
}

TEST(Timing, EmptyTransfersAtAnyAddressOnlySignal) {
  // rows=0 or bytes=0 moves nothing: the addresses (here negative and past
  // every memory) are not checked, and the semaphore still counts.
  Result r = run(R"(.target tiny
.dram 64
.core 0 0 section=0
.section 0
  li r1, value=-7
  li r2, value=99999999
  dma.ld r1, r2, rows=0, bytes=64, dstride=64, sstride=64, sem=0
  dma.st r2, r1, rows=3, bytes=0, dstride=64, sstride=64, sem=0
  sem.wait sem=0, count=2
  halt
)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.fault, FaultKind::None);
}

TEST(Threads, MatrixAndVectorThreadsShareSramPorts) {
  // Thread 0's mm (64x64x64 bf16: 1024 steps, 128 KiB of operand loads)
  // and thread 1's vadd (64 x 256 f32: 1024 vectors, 128 KiB of loads) run
  // at the same time on different units. With a 128 B/cycle load port each
  // alone needs 1024 cycles of it; together the 256 KiB pass the shared
  // port in 2048 cycles, so the later of the two ends about 2048 cycles
  // after the first started. With a 256 B/cycle port neither is slowed.
  auto text = [](int loadBpc) {
    return absl::StrFormat(R"(.target tiny sram_load_bpc=%d sram_store_bpc=1000 matrix_latency=0 vector_latency=0
.core 0 0 section=0
.section 0
  tspawn thread=1, target=@vec
  li r3, value=65536
  mm r3, r0, r0, m=64, n=64, k=64, ldc=64, lda=64, ldb=64, acc=0, dt=bf16
  halt
vec:
  li r1, value=196608
  li r2, value=131072
  vadd r1, r0, r2, rows=64, cols=256, ldd=256, lda=256, ldb=256, dtd=f32, dta=f32, dtb=f32
  halt
)",
                           loadBpc);
  };
  Result shared = run(text(128));
  ASSERT_TRUE(shared.status.ok()) << shared.status;
  const CoreStats &c = shared.stats.perCore[0];
  EXPECT_EQ(c.busy[int(Unit::Matrix)], 1024u); // first on the port
  EXPECT_GE(c.busy[int(Unit::Vector)], 2040u); // waits for the mm's bytes
  EXPECT_LE(c.busy[int(Unit::Vector)], 2048u);
  EXPECT_GE(shared.stats.cycles, 2048u);
  Result wide = run(text(256));
  ASSERT_TRUE(wide.status.ok()) << wide.status;
  EXPECT_EQ(wide.stats.perCore[0].busy[int(Unit::Matrix)], 1024u);
  EXPECT_EQ(wide.stats.perCore[0].busy[int(Unit::Vector)], 1024u);
  EXPECT_LT(wide.stats.cycles, 1100u);
}

TEST(Threads, DmaThreadOverlapsMatrixThread) {
  // Thread 0 multiplies (1024 cycles on the matrix unit), thread 1 loads
  // 32 KiB (512 cycles on the DMA engine) at the same time.
  std::string text = R"(.target tiny
.dram 32768
.core 0 0 section=0
.section 0
  tspawn thread=1, target=@comm
  li r1, value=0
  li r2, value=0
  li r3, value=65536
  mm r3, r1, r2, m=64, n=64, k=64, ldc=64, lda=64, ldb=64, acc=0, dt=bf16
  sem.wait sem=0, count=1
  csrr r6, csr=thread
  st r6, r0, off=262144
  halt
comm:
  csrr r5, csr=thread
  li r4, value=131072
  dma.ld r4, r0, rows=1, bytes=32768, dstride=0, sstride=0, sem=0
  st r5, r0, off=262152
  halt
)";
  Result r = run(text, Mode::Cycle, true);
  ASSERT_TRUE(r.status.ok()) << r.status;
  // The scalar unit interleaves: t0 tspawn 0-1; t0 li 1-2; t1 csrr 2-3;
  // t0 li 3-4; t1 li 4-5; t0 li 5-6; t1 dma.ld 6-7 (ready 6, data until
  // 518, done 518 + 200 + 30 + 1 = 749); t0 mm 6-1030, +8 -> 1038;
  // t1 st 7-8, halt 8-9; t0 sem.wait 1038-1039 (satisfied), csrr, st, halt
  // -> 1042.
  EXPECT_EQ(r.stats.cycles, 1042u);
  const CoreStats &c = r.stats.perCore[0];
  EXPECT_EQ(c.busy[int(Unit::Matrix)], 1024u);
  EXPECT_EQ(c.busy[int(Unit::Dma)], 512u);
  EXPECT_EQ(c.busy[int(Unit::Scalar)], 13u);
  EXPECT_EQ(c.threads, 2u);
  // Both matrix and DMA tracks are in the trace, from different threads.
  bool mm = false, dma = false;
  for (const TraceEvent &e : r.trace.events) {
    if (e.unit == Unit::Matrix && e.thread == 0 && e.start == 6 &&
        e.dur == 1024)
      mm = true;
    if (e.unit == Unit::Dma && e.thread == 1 && e.start == 6 &&
        e.dur == 512 && e.done == 749 && e.bytes == 32768)
      dma = true;
  }
  EXPECT_TRUE(mm);
  EXPECT_TRUE(dma);
  // One thread doing both in sequence takes the sum.
  Result seq = run(R"(.target tiny
.dram 32768
.core 0 0 section=0
.section 0
  li r3, value=65536
  mm r3, r0, r0, m=64, n=64, k=64, ldc=64, lda=64, ldb=64, acc=0, dt=bf16
  li r4, value=131072
  dma.ld r4, r0, rows=1, bytes=32768, dstride=0, sstride=0, sem=0
  sem.wait sem=0, count=1
  halt
)");
  EXPECT_EQ(seq.stats.cycles, 1u + 1032 + 1 + 743 + 1);
}

TEST(Threads, SameUnitSerializes) {
  // Two threads each issue an mm: the second waits for the matrix unit.
  // Scalar instructions of two threads share the issue unit.
  Result r = run(R"(.target tiny matrix_latency=8
.core 0 0 section=0
.section 0
  tspawn thread=3, target=@other
  li r3, value=65536
  mm r3, r0, r0, m=64, n=64, k=64, ldc=64, lda=64, ldb=64, acc=0, dt=bf16
  halt
other:
  li r3, value=131072
  mm r3, r0, r0, m=64, n=64, k=64, ldc=64, lda=64, ldb=64, acc=0, dt=bf16
  halt
)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  // t0: tspawn 0-1, li 1-2, mm 2-1026 (+8). t3 starts at 1: li 2-3, mm
  // waits for the unit: 1026-2050, +8 = 2058, halt 2059.
  EXPECT_EQ(r.stats.cycles, 2059u);
  EXPECT_EQ(r.stats.perCore[0].busy[int(Unit::Matrix)], 2048u);
  EXPECT_EQ(r.stats.perCore[0].threads, 4u);
}

TEST(Threads, SpawnFaultsAndRespawn) {
  auto fault = [](const std::string &body) {
    return run(".target tiny\n.core 0 0 section=0\n.section 0\n" + body);
  };
  Result range = fault("  tspawn thread=4, target=0\n  halt\n");
  EXPECT_EQ(range.fault, FaultKind::IllegalInstruction);
  EXPECT_CONTAINS(range.status.message(),
                  "thread 0 pc 0 `tspawn thread=4, target=0`: thread 4 out "
                  "of range (the target has 4 threads per core)");
  Result self = fault("  tspawn thread=0, target=0\n  halt\n");
  EXPECT_EQ(self.fault, FaultKind::IllegalInstruction);
  EXPECT_CONTAINS(self.status.message(), "thread 0 is already running");
  Result twice = fault(
      "  tspawn thread=2, target=3\n  tspawn thread=2, target=3\n  halt\n"
      "  sem.wait sem=0, count=1\n  halt\n");
  EXPECT_EQ(twice.fault, FaultKind::IllegalInstruction);
  EXPECT_CONTAINS(twice.status.message(),
                  "pc 1 `tspawn thread=2, target=3`: thread 2 is already "
                  "running (pc 3)");
  // A halted thread can be spawned again; its registers start at zero.
  Result again = run(R"(.target tiny
.dram 16
.output y i32 4 @0
.core 0 0 section=0
.section 0
  tspawn thread=1, target=@t1
  sem.wait sem=0, count=1
  tspawn thread=1, target=@t1
  sem.wait sem=0, count=1
  ld r1, r0, off=0
  dma.st r0, r0, rows=1, bytes=16, dstride=0, sstride=0, sem=1
  sem.wait sem=1, count=1
  halt
t1:
  addi r7, r7, imm=5
  ld r8, r0, off=0
  add r8, r8, r7
  st r8, r0, off=0
  csrr r9, csr=thread
  st r9, r0, off=8
  sem.signal r0, sem=0, count=1
  halt
)");
  ASSERT_TRUE(again.status.ok()) << again.status;
  std::vector<int64_t> y(2);
  std::memcpy(y.data(), again.outputs[0].data(), 16);
  EXPECT_EQ(y[0], 10); // 5 + 5: r7 was zero both times
  EXPECT_EQ(y[1], 1);
  EXPECT_EQ(again.stats.perCore[0].threads, 2u);
}

TEST(Threads, DeadlockNamesTheThread) {
  std::string text = R"(.target tiny
.core 0 0 section=0
.section 0
  tspawn thread=2, target=@wait
  halt
wait:
  nop
  sem.wait sem=3, count=1
  halt
)";
  for (Mode mode : {Mode::Cycle, Mode::Functional}) {
    Result r = run(text, mode);
    EXPECT_EQ(r.fault, FaultKind::Deadlock);
    EXPECT_EQ(std::string(r.status.message()),
              "deadlock: core 0 (0,0) thread 2 pc 3 waits on sem 3 (value 0, "
              "needs 1)");
  }
}

TEST(Threads, BarrierNeedsOneThreadPerCore) {
  // Two threads of core 0 and one of core 1 meet at one barrier: it is
  // released when every core has a thread waiting; all three continue.
  Result r = run(R"(.target tiny barrier_latency=5
.core 0 0 section=0
.core 0 1 section=1
.section 0
  tspawn thread=1, target=@t1
  barrier
  halt
t1:
  barrier
  halt
.section 1
  nop
  nop
  nop
  nop
  barrier
  halt
)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  // Core 1 arrives at 5; release at 10; everyone halts at 11 (core 0's two
  // halts share its scalar unit: 10-11, 11-12).
  EXPECT_EQ(r.stats.perCore[1].cycles, 11u);
  EXPECT_EQ(r.stats.perCore[0].cycles, 12u);
}

//===----------------------------------------------------------------------===//
// Determinism and functional mode
//===----------------------------------------------------------------------===//

const char *kBusyProgram = R"(.target tiny edge_bpc=16 edges=1
.dram 65536
.input x bf16 64x64 @0
.output y f32 64x64 @8192
.core 0 0 section=0
.core 0 1 section=0
.core 1 0 section=0
.core 1 1 section=0
.section 0
  tspawn thread=1, target=@helper
  csrr r1, csr=coreid
  csrr r2, csr=ncores
  muli r3, r1, imm=2048
  li r4, value=0
  dma.ld r4, r3, rows=16, bytes=128, dstride=128, sstride=128, sem=0
  li r5, value=8192
  dma.ld r5, r0, rows=64, bytes=128, dstride=128, sstride=128, sem=0
  sem.wait sem=0, count=2
  li r6, value=32768
  mm r6, r4, r5, m=16, n=64, k=64, ldc=64, lda=64, ldb=64, acc=0, dt=bf16
  vrelu r6, r6, rows=16, cols=64, ldd=64, lda=64, dtd=f32, dta=f32
  addi r7, r1, imm=1
  remu r7, r7, r2
  dma.put r6, r6, r7, rows=1, bytes=64, dstride=0, sstride=0, sem=1
  barrier
  sem.wait sem=1, count=1
  sem.signal r1, sem=4, count=1
  halt
helper:
  sem.wait sem=4, count=1
  csrr r1, csr=coreid
  muli r8, r1, imm=4096
  addi r8, r8, imm=8192
  li r6, value=32768
  dma.mcast r6, r6, r0, r0, rows=1, bytes=64, dstride=0, sstride=0, sem=5, height=1, width=1
  dma.st r8, r6, rows=16, bytes=256, dstride=256, sstride=256, sem=2
  sem.wait sem=2, count=1
  halt
)";

std::vector<uint8_t> randomX() {
  std::vector<uint8_t> x(64 * 64 * 2);
  std::mt19937 rng(11);
  for (size_t i = 0; i < x.size(); i += 2) {
    float f = std::uniform_real_distribution<float>(-2, 2)(rng);
    uint16_t b = num::f32ToBf16(f);
    std::memcpy(&x[i], &b, 2);
  }
  return x;
}

TEST(Determinism, SameCyclesTwiceAndOnAnyHostThreadCount) {
  int saved = kernels::threads();
  kernels::setThreads(1);
  Result a = run(kBusyProgram, Mode::Cycle, false, {{"x", randomX()}});
  kernels::setThreads(4);
  Result b = run(kBusyProgram, Mode::Cycle, false, {{"x", randomX()}});
  Result c = run(kBusyProgram, Mode::Cycle, false, {{"x", randomX()}});
  kernels::setThreads(saved);
  ASSERT_TRUE(a.status.ok()) << a.status;
  for (const Result *o : {&b, &c}) {
    EXPECT_EQ(o->stats.cycles, a.stats.cycles);
    EXPECT_EQ(o->outputs, a.outputs);
    ASSERT_EQ(o->stats.links.size(), a.stats.links.size());
    for (size_t i = 0; i < a.stats.links.size(); ++i)
      EXPECT_EQ(o->stats.links[i].bytes, a.stats.links[i].bytes);
    for (size_t i = 0; i < 4; ++i)
      for (int u = 0; u < 5; ++u)
        EXPECT_EQ(o->stats.perCore[i].busy[u], a.stats.perCore[i].busy[u]);
  }
}

TEST(FunctionalMode, SameOutputsAndFaultsNoTime) {
  Result cyc = run(kBusyProgram, Mode::Cycle, false, {{"x", randomX()}});
  Result fun = run(kBusyProgram, Mode::Functional, false, {{"x", randomX()}});
  ASSERT_TRUE(cyc.status.ok()) << cyc.status;
  ASSERT_TRUE(fun.status.ok()) << fun.status;
  EXPECT_EQ(fun.outputs, cyc.outputs);
  EXPECT_EQ(fun.stats.instructions, cyc.stats.instructions);
  EXPECT_EQ(fun.stats.macs, cyc.stats.macs);
  EXPECT_EQ(fun.stats.nocBytes, cyc.stats.nocBytes);
  EXPECT_EQ(fun.stats.nocByteHops, cyc.stats.nocByteHops);
  EXPECT_EQ(fun.stats.dramBytes, cyc.stats.dramBytes);
  EXPECT_EQ(fun.stats.sramHighWater, cyc.stats.sramHighWater);
  EXPECT_EQ(fun.stats.cycles, 0u);
  EXPECT_TRUE(fun.stats.links.empty());
  EXPECT_GT(cyc.stats.cycles, 0u);
  // Multicast program too.
  Result mc = run(mcastProgram(true), Mode::Functional, false,
               {{"x", iota256()}});
  Result mcc = run(mcastProgram(true), Mode::Cycle, false, {{"x", iota256()}});
  ASSERT_TRUE(mc.status.ok()) << mc.status;
  EXPECT_EQ(mc.outputs, mcc.outputs);
  // Faults: the same message in both modes.
  const char *oob = R"(.target tiny
.core 0 0 section=0
.core 0 1 section=0
.section 0
  csrr r1, csr=coreid
  li r2, value=1
  bne r1, r2, target=@done
  li r3, value=-8
  ld r4, r3, off=0
done:
  barrier
  halt
)";
  Result f1 = run(oob, Mode::Cycle), f2 = run(oob, Mode::Functional);
  EXPECT_EQ(f1.fault, FaultKind::MemoryFault);
  EXPECT_EQ(f2.fault, FaultKind::MemoryFault);
  EXPECT_EQ(f1.status.message(), f2.status.message());
  const char *dead = R"(.target tiny
.core 0 0 section=0
.core 0 1 section=1
.section 0
  barrier
  halt
.section 1
  sem.wait sem=1, count=2
  halt
)";
  Result d1 = run(dead, Mode::Cycle), d2 = run(dead, Mode::Functional);
  EXPECT_EQ(d1.fault, FaultKind::Deadlock);
  EXPECT_EQ(d1.status.message(), d2.status.message());
  Options o;
  o.mode = Mode::Functional;
  o.instructionBudget = 100;
  Simulator spin(assemble(".target tiny\n.core 0 0 section=0\n.section 0\n"
                          "loop: jmp target=@loop\n"),
                 o);
  EXPECT_FALSE(spin.run().ok());
  EXPECT_EQ(spin.fault(), FaultKind::Budget);
}

//===----------------------------------------------------------------------===//
// Trace
//===----------------------------------------------------------------------===//

TEST(Trace, ChromeTraceHasAProcessPerCoreAndUnitTracks) {
  Program p = assemble(kBusyProgram);
  Options o;
  o.trace = true;
  Simulator sim(p, o);
  ASSERT_TRUE(sim.setInput("x", randomX()).ok());
  ASSERT_TRUE(sim.run().ok());
  const Trace &t = sim.trace();
  EXPECT_FALSE(t.truncated);
  size_t perUnit[5] = {};
  for (const TraceEvent &e : t.events)
    ++perUnit[int(e.unit)];
  EXPECT_EQ(perUnit[int(Unit::Matrix)], 4u);
  EXPECT_EQ(perUnit[int(Unit::Vector)], 4u);
  EXPECT_EQ(perUnit[int(Unit::Dma)], 4u * 5);
  EXPECT_GT(perUnit[int(Unit::Scalar)], 0u);
  EXPECT_GT(perUnit[int(Unit::Sync)], 0u);
  std::ostringstream os;
  writeChromeTrace(os, t, p);
  std::string json = os.str();
  EXPECT_CONTAINS(json, "\"traceEvents\"");
  EXPECT_CONTAINS(json, "\"name\": \"core 3 (1,1)\"");
  EXPECT_CONTAINS(json, "\"name\": \"matrix\"");
  EXPECT_CONTAINS(json, "\"ph\": \"X\", \"name\": \"mm\"");
  EXPECT_CONTAINS(json, "\"src\": \"(0,0)\", \"dst\": \"(0,1)\"");
  // A limit keeps the first events and says so.
  o.traceLimit = 3;
  Simulator small(p, o);
  ASSERT_TRUE(small.setInput("x", randomX()).ok());
  ASSERT_TRUE(small.run().ok());
  EXPECT_EQ(small.trace().events.size(), 3u);
  EXPECT_TRUE(small.trace().truncated);
  // Functional mode records nothing.
  o.mode = Mode::Functional;
  Simulator fun(p, o);
  ASSERT_TRUE(fun.setInput("x", randomX()).ok());
  ASSERT_TRUE(fun.run().ok());
  EXPECT_TRUE(fun.trace().events.empty());
}

} // namespace
