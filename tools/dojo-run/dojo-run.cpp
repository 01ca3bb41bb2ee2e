//===- dojo-run.cpp - Run a program (or an MLIR model) on the simulator ---===//
//
//   dojo-run prog.dojo|prog.s|model.mlir [--target=d1] [--input name=f.npy]...
//            [--output-dir DIR] [--seed N] [--verify] [--report]
//            [--json stats.json] [--trace trace.json] [--mode cycle|functional]
//            [--max-instructions N] [--quiet]
//
// .mlir input is compiled with dojo-pipeline (Driver::compile); program
// files (binary or assembly, told apart by content) are read as they are.
// Inputs not given are filled with seeded pseudo-random values in [-1, 1].
// --verify runs the reference interpreter on the graph-level IR with the
// same inputs and compares every output.
//
// Exit codes: 0 ok, 1 verification mismatch, 2 usage or compile error,
// otherwise the simulator's FaultKind (10 bad program, 11 illegal
// instruction, 12 memory fault, 13 deadlock, 14 instruction budget,
// 15 bad input).
//===----------------------------------------------------------------------===//

#include "dojo/Driver/Driver.h"
#include "dojo/ISA/Program.h"
#include "dojo/Sim/Npy.h"
#include "dojo/Sim/Simulator.h"
#include "dojo/Sim/Trace.h"

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace dojo;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitMismatch = 1;
constexpr int kExitUsage = 2;

const char *kUsage =
    "usage: dojo-run <prog.dojo | prog.s | model.mlir> [options]\n"
    "\n"
    "Runs a program on the Dojo simulator. MLIR input (.mlir) is compiled\n"
    "with dojo-pipeline first; program files (binary or assembly) run as "
    "they are.\n"
    "\n"
    "options:\n"
    "  --target=DESC           machine for .mlir input: preset (tiny, small,\n"
    "                          d1) and key=value overrides (default: the\n"
    "                          module's dojo.target, else d1)\n"
    "  --input NAME=FILE.npy   value of input symbol NAME (repeatable);\n"
    "                          inputs not given are pseudo-random in [-1, 1]\n"
    "  --output-dir DIR        write every output as DIR/<name>.npy\n"
    "  --seed N                seed of the pseudo-random inputs (default 0)\n"
    "  --verify                compare against the reference interpreter\n"
    "                          (.mlir input only); exit 1 on a mismatch\n"
    "  --report                print the detailed report: per-core summary,\n"
    "                          unit busy fractions, hottest NoC links (the\n"
    "                          short report is printed unless --quiet)\n"
    "  --json FILE             write statistics as JSON (with per-core and\n"
    "                          per-link lists)\n"
    "  --trace FILE            write a Chrome/Perfetto trace (JSON): a\n"
    "                          process per core, a track per unit\n"
    "  --mode MODE             cycle (default) or functional (same results,\n"
    "                          no timing; faster)\n"
    "  --max-instructions N    stop after N instructions (all cores)\n"
    "  --pass-options STR      per-pass option overrides for .mlir input,\n"
    "                          e.g. 'dojo-tile{grid=2,2}'\n"
    "  --quiet                 print only errors\n"
    "  -h, --help              this text\n"
    "\n"
    "exit codes: 0 ok, 1 verification mismatch, 2 usage or compile error,\n"
    "10 bad program, 11 illegal instruction, 12 memory fault, 13 deadlock,\n"
    "14 instruction budget exhausted, 15 bad input\n";

int fail(int code, const std::string &msg) {
  std::fprintf(stderr, "dojo-run: error: %s\n", msg.c_str());
  return code;
}

struct Args {
  std::string file;
  std::string target;
  bool targetGiven = false;
  std::vector<std::pair<std::string, std::string>> inputs; // name, path
  std::string outputDir;
  uint64_t seed = 0;
  bool verify = false;
  bool report = false;
  std::string json;
  std::string trace;
  sim::Mode mode = sim::Mode::Cycle;
  uint64_t maxInstructions = 0;
  std::string passOptions;
  bool quiet = false;
  // Testing only: flip bit `flipBit` of element `flipIndex` of output
  // `flipOutput` after the run, to exercise the verification path.
  std::string flipOutput;
  uint64_t flipIndex = 0, flipBit = 0;
};

bool parseU64(const std::string &s, uint64_t &out) {
  if (s.empty() || s[0] == '-')
    return false;
  errno = 0;
  char *end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (errno != 0 || *end != '\0')
    return false;
  out = v;
  return true;
}

/// Returns -1 on success, else the exit code (after printing).
int parseArgs(int argc, char **argv, Args &a) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    // Splits `--key=value` or takes the next argument as the value.
    auto value = [&](const char *key, std::string &out) -> int {
      std::string k = key;
      if (arg.compare(0, k.size() + 1, k + "=") == 0) {
        out = arg.substr(k.size() + 1);
        return 1;
      }
      if (arg == k) {
        if (i + 1 >= argc) {
          fail(kExitUsage, "option " + k + " needs a value");
          return -1;
        }
        out = argv[++i];
        return 1;
      }
      return 0;
    };
    std::string v;
    int r;
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    }
    if (arg == "--verify") {
      a.verify = true;
      continue;
    }
    if (arg == "--report") {
      a.report = true;
      continue;
    }
    if (arg == "--quiet" || arg == "-q") {
      a.quiet = true;
      continue;
    }
    if ((r = value("--target", v))) {
      if (r < 0)
        return kExitUsage;
      a.target = v;
      a.targetGiven = true;
      continue;
    }
    if ((r = value("--input", v))) {
      if (r < 0)
        return kExitUsage;
      size_t eq = v.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == v.size())
        return fail(kExitUsage,
                    "--input expects NAME=FILE.npy, got '" + v + "'");
      a.inputs.emplace_back(v.substr(0, eq), v.substr(eq + 1));
      continue;
    }
    if ((r = value("--output-dir", v))) {
      if (r < 0)
        return kExitUsage;
      a.outputDir = v;
      continue;
    }
    if ((r = value("--seed", v))) {
      if (r < 0)
        return kExitUsage;
      if (!parseU64(v, a.seed))
        return fail(kExitUsage, "--seed expects a non-negative integer, got '" +
                                    v + "'");
      continue;
    }
    if ((r = value("--json", v))) {
      if (r < 0)
        return kExitUsage;
      a.json = v;
      continue;
    }
    if ((r = value("--trace", v))) {
      if (r < 0)
        return kExitUsage;
      a.trace = v;
      continue;
    }
    if ((r = value("--mode", v))) {
      if (r < 0)
        return kExitUsage;
      if (v == "cycle")
        a.mode = sim::Mode::Cycle;
      else if (v == "functional")
        a.mode = sim::Mode::Functional;
      else
        return fail(kExitUsage,
                    "--mode expects cycle or functional, got '" + v + "'");
      continue;
    }
    if ((r = value("--max-instructions", v))) {
      if (r < 0)
        return kExitUsage;
      if (!parseU64(v, a.maxInstructions) || a.maxInstructions == 0)
        return fail(kExitUsage,
                    "--max-instructions expects a positive integer, got '" +
                        v + "'");
      continue;
    }
    if ((r = value("--pass-options", v))) {
      if (r < 0)
        return kExitUsage;
      a.passOptions = v;
      continue;
    }
    if ((r = value("--testing-flip-bit", v))) {
      // NAME:INDEX:BIT (hidden; for the tests of --verify itself).
      if (r < 0)
        return kExitUsage;
      size_t c2 = v.rfind(':'), c1 = c2 == std::string::npos || c2 == 0
                                         ? std::string::npos
                                         : v.rfind(':', c2 - 1);
      if (c1 == std::string::npos || c1 == 0 ||
          !parseU64(v.substr(c1 + 1, c2 - c1 - 1), a.flipIndex) ||
          !parseU64(v.substr(c2 + 1), a.flipBit))
        return fail(kExitUsage,
                    "--testing-flip-bit expects NAME:INDEX:BIT, got '" + v +
                        "'");
      a.flipOutput = v.substr(0, c1);
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-')
      return fail(kExitUsage, "unknown option '" + arg + "' (see --help)");
    if (!a.file.empty())
      return fail(kExitUsage, "more than one input file ('" + a.file +
                                  "' and '" + arg + "')");
    a.file = arg;
  }
  if (a.file.empty()) {
    std::fputs(kUsage, stderr);
    return kExitUsage;
  }
  return -1;
}

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool readFile(const std::string &path, std::string &out) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

std::string shapeStr(const std::vector<int64_t> &shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s.empty() ? "scalar" : s;
}

/// splitmix64: small, fast, good enough, and identical everywhere.
uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Deterministic values uniform in [-1, 1], rounded to the symbol's dtype.
/// Each symbol has its own stream (seed and name), so values do not depend
/// on the order of symbols.
std::vector<uint8_t> randomBytes(const isa::Symbol &sym, uint64_t seed) {
  uint64_t h = 1469598103934665603ull; // FNV-1a of the name
  for (char c : sym.name)
    h = (h ^ uint8_t(c)) * 1099511628211ull;
  uint64_t state = seed * 0x9e3779b97f4a7c15ull ^ h;
  int64_t n = sym.numElements();
  std::vector<uint8_t> bytes(size_t(sym.numBytes()));
  for (int64_t i = 0; i < n; ++i) {
    // 24 random bits -> [0, 1] -> [-1, 1], exact in FP32.
    float u = float(splitmix64(state) >> 40) / float((1u << 24) - 1);
    float v = 2.0f * u - 1.0f;
    if (sym.dtype == num::DType::I32 || sym.dtype == num::DType::I8)
      v = std::nearbyint(v);
    num::storeFromF32(bytes.data(), sym.dtype, i, v);
  }
  return bytes;
}

std::string fmtDouble(double v, int prec = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", prec, v);
  return buf;
}

std::string jsonEscape(const std::string &s) {
  std::string o;
  for (char c : s) {
    switch (c) {
    case '"':
      o += "\\\"";
      break;
    case '\\':
      o += "\\\\";
      break;
    case '\n':
      o += "\\n";
      break;
    default:
      if (uint8_t(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        o += buf;
      } else {
        o += c;
      }
    }
  }
  return o;
}

const char *const kUnitKeys[4] = {"scalar", "matrix", "vector", "dma"};

struct MinMeanMax {
  double min = 0, mean = 0, max = 0;
};
template <class F>
MinMeanMax summarize(const std::vector<sim::CoreStats> &cores, F value) {
  MinMeanMax m;
  if (cores.empty())
    return m;
  m.min = m.max = value(cores[0]);
  for (const sim::CoreStats &c : cores) {
    double v = value(c);
    m.min = std::min(m.min, v);
    m.max = std::max(m.max, v);
    m.mean += v / double(cores.size());
  }
  return m;
}

/// `--report`: per-core summary (every core when there are at most 8,
/// else min/mean/max and the 5 cores that finish last), unit busy
/// fractions, MAC utilization, SRAM high-water, NoC link bytes and the 5
/// hottest links.
void printDetailedReport(const sim::Stats &s, const MachineDesc &t,
                         sim::Mode mode) {
  using isa::Unit;
  const std::vector<sim::CoreStats> &pc = s.perCore;
  std::printf("  mode:               %s\n",
              mode == sim::Mode::Cycle ? "cycle" : "functional (no timing)");
  auto pct = [](double f) { return 100.0 * f; };
  MinMeanMax cyc = summarize(pc, [](const sim::CoreStats &c) {
    return double(c.cycles);
  });
  std::printf("  core cycles:        min %.0f  mean %.1f  max %.0f (%zu "
              "cores)\n",
              cyc.min, cyc.mean, cyc.max, pc.size());
  std::printf("  unit busy (mean/max over cores):");
  for (int u = 0; u < 4; ++u) {
    MinMeanMax b = summarize(pc, [&](const sim::CoreStats &c) {
      return pct(s.busyFraction(c, Unit(u)));
    });
    std::printf(" %s %.1f/%.1f %%", kUnitKeys[u], b.mean, b.max);
  }
  std::printf("\n");
  MinMeanMax mac = summarize(pc, [&](const sim::CoreStats &c) {
    return pct(s.macUtilization(c));
  });
  std::printf("  core MAC util:      min %.2f  mean %.2f  max %.2f %%\n",
              mac.min, mac.mean, mac.max);
  MinMeanMax sram = summarize(pc, [](const sim::CoreStats &c) {
    return double(c.sramHighWater);
  });
  std::printf("  SRAM high-water:    min %.0f  mean %.0f  max %.0f B\n",
              sram.min, sram.mean, sram.max);
  std::vector<size_t> order(pc.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  const bool all = pc.size() <= 8;
  if (!all) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return pc[a].cycles > pc[b].cycles;
    });
    order.resize(5);
  }
  std::printf("  %s\n", all ? "cores:" : "cores finishing last:");
  for (size_t i : order) {
    const sim::CoreStats &c = pc[i];
    std::printf("    core %zu (%" PRId64 ",%" PRId64 "): cycles %" PRIu64,
                i, c.row, c.col, c.cycles);
    for (int u = 0; u < 4; ++u)
      std::printf("  %s %.1f %%", kUnitKeys[u],
                  pct(s.busyFraction(c, Unit(u))));
    std::printf("  MAC %.2f %%  SRAM %" PRIu64 " B  threads %" PRIu64 "\n",
                pct(s.macUtilization(c)), c.sramHighWater, c.threads);
  }
  std::printf("  NoC link bytes:     %" PRIu64 " on %zu links (%" PRId64
              " B/cycle each)\n",
              s.linkBytes(), s.links.size(), t.noc_link_bpc);
  std::vector<sim::LinkStats> hot = s.hottestLinks(5);
  if (!hot.empty())
    std::printf("  hottest links:\n");
  for (const sim::LinkStats &l : hot)
    std::printf("    %-18s %12" PRIu64 " B  %5.1f %% busy\n",
                l.name().c_str(), l.bytes, pct(s.linkUtilization(l)));
  if (!s.locations.empty())
    std::printf("  per layer (source location: first issue to last "
                "completion, cores, MACs, SRAM addressed per core):\n");
  for (const sim::LocationStats &l : s.locations)
    std::printf("    %-28s cycles %8" PRIu64 " (%" PRIu64 "..%" PRIu64
                ")  cores %4" PRId64 "  MACs %12" PRIu64 "  SRAM %8" PRIu64
                " B\n",
                l.loc.c_str(), l.last - l.first, l.first, l.last, l.cores,
                l.macs, l.sramHighWater);
}

/// The per-core and per-link parts of `--json`.
void writeJsonDetail(std::ostream &js, const sim::Stats &s, sim::Mode mode) {
  js << "  \"mode\": \""
     << (mode == sim::Mode::Cycle ? "cycle" : "functional") << "\",\n";
  js << "  \"link_bpc\": " << s.linkBpc << ",\n";
  js << "  \"link_bytes\": " << s.linkBytes() << ",\n";
  js << "  \"unit_busy\": {";
  for (int u = 0; u < 4; ++u) {
    double mean = 0;
    for (const sim::CoreStats &c : s.perCore)
      mean += s.busyFraction(c, isa::Unit(u)) / double(s.perCore.size());
    js << (u ? ", " : "") << "\"" << kUnitKeys[u]
       << "\": " << fmtDouble(mean, 9);
  }
  js << "},\n  \"per_core\": [";
  for (size_t i = 0; i < s.perCore.size(); ++i) {
    const sim::CoreStats &c = s.perCore[i];
    js << (i ? ",\n" : "\n") << "    {\"core\": " << i
       << ", \"row\": " << c.row << ", \"col\": " << c.col
       << ", \"cycles\": " << c.cycles
       << ", \"instructions\": " << c.instructions
       << ", \"macs\": " << c.macs << ", \"mac_utilization\": "
       << fmtDouble(s.macUtilization(c), 9)
       << ", \"sram_high_water\": " << c.sramHighWater
       << ", \"threads\": " << c.threads << ", \"busy\": {";
    for (int u = 0; u < 4; ++u)
      js << (u ? ", " : "") << "\"" << kUnitKeys[u]
         << "\": " << c.busy[u];
    js << ", \"sync_wait\": " << c.busy[int(isa::Unit::Sync)]
       << "}, \"busy_fraction\": {";
    for (int u = 0; u < 4; ++u)
      js << (u ? ", " : "") << "\"" << kUnitKeys[u]
         << "\": " << fmtDouble(s.busyFraction(c, isa::Unit(u)), 9);
    js << "}}";
  }
  js << "\n  ],\n  \"links\": [";
  for (size_t i = 0; i < s.links.size(); ++i) {
    const sim::LinkStats &l = s.links[i];
    js << (i ? ",\n" : "\n") << "    {\"name\": \"" << l.name()
       << "\", \"kind\": \"" << l.kindName() << "\", \"row\": " << l.row
       << ", \"col\": " << l.col << ", \"dir\": " << l.dir
       << ", \"bytes\": " << l.bytes << ", \"utilization\": "
       << fmtDouble(s.linkUtilization(l), 9) << "}";
  }
  js << "\n  ],\n  \"hottest_links\": [";
  std::vector<sim::LinkStats> hot = s.hottestLinks(10);
  for (size_t i = 0; i < hot.size(); ++i)
    js << (i ? ", " : "") << "\"" << hot[i].name() << "\"";
  js << "],\n  \"layers\": [";
  for (size_t i = 0; i < s.locations.size(); ++i) {
    const sim::LocationStats &l = s.locations[i];
    js << (i ? ",\n" : "\n") << "    {\"loc\": \"" << jsonEscape(l.loc)
       << "\", \"first\": " << l.first << ", \"last\": " << l.last
       << ", \"cores\": " << l.cores << ", \"instructions\": "
       << l.instructions << ", \"macs\": " << l.macs
       << ", \"sram_high_water\": " << l.sramHighWater << "}";
  }
  js << "\n  ]\n";
}

/// Comparison of one output against the reference.
struct Compare {
  std::string name;
  bool ok = true;
  bool bitExact = true;
  double maxAbs = 0, maxRel = 0;
  int64_t mismatches = 0;
  int64_t firstBad = -1;
  float simAt = 0, refAt = 0;
  std::string error; // shape/dtype/size problems
};

/// Tolerance of the verdict. Simulator and reference share their numerics
/// (Numerics.h) and implement the same operation order, so outputs are
/// expected to be bit-exact; the tolerance only decides the verdict for
/// near misses, which are reported (max abs/rel error, bit-exact or not):
///   |sim - ref| <= 1e-6 + rtol * |ref|,  rtol = 1e-2 (BF16), 1e-5 (FP32),
///   0 (integers). NaN matches NaN only; infinities match themselves.
double relTolerance(num::DType t) {
  switch (t) {
  case num::DType::BF16:
    return 1e-2;
  case num::DType::F32:
    return 1e-5;
  default:
    return 0.0;
  }
}

Compare compareOutput(const isa::Symbol &sym, const std::vector<uint8_t> &sim,
                      const driver::HostTensor &ref) {
  Compare c;
  c.name = sym.name;
  if (ref.dtype != sym.dtype || ref.shape != sym.shape) {
    c.ok = false;
    c.error = std::string("reference output is ") + num::dtypeName(ref.dtype) +
              "[" + shapeStr(ref.shape) + "] but the program's is " +
              num::dtypeName(sym.dtype) + "[" + shapeStr(sym.shape) + "]";
    return c;
  }
  int64_t n = sym.numElements();
  if ((int64_t)sim.size() != sym.numBytes() ||
      (int64_t)ref.bytes.size() != sym.numBytes()) {
    c.ok = false;
    c.error = "output sizes differ from the symbol's size";
    return c;
  }
  const double rtol = relTolerance(sym.dtype);
  const double atol = rtol > 0 ? 1e-6 : 0.0;
  const int64_t eb = num::dtypeBytes(sym.dtype);
  for (int64_t i = 0; i < n; ++i) {
    if (std::memcmp(sim.data() + i * eb, ref.bytes.data() + i * eb,
                    size_t(eb)) != 0)
      c.bitExact = false;
    else
      continue;
    float s = num::loadAsF32(sim.data(), sym.dtype, i);
    float r = num::loadAsF32(ref.bytes.data(), sym.dtype, i);
    bool good;
    double d = 0;
    if (std::isnan(s) || std::isnan(r)) {
      good = std::isnan(s) && std::isnan(r);
      d = good ? 0 : INFINITY;
    } else if (std::isinf(s) || std::isinf(r)) {
      good = s == r;
      d = good ? 0 : INFINITY;
    } else {
      d = std::fabs(double(s) - double(r));
      good = d <= atol + rtol * std::fabs(double(r));
    }
    c.maxAbs = std::max(c.maxAbs, d);
    if (r != 0 && !std::isnan(r))
      c.maxRel = std::max(c.maxRel, d / std::fabs(double(r)));
    else if (d > 0)
      c.maxRel = std::max(c.maxRel, double(INFINITY));
    if (!good) {
      ++c.mismatches;
      if (c.firstBad < 0) {
        c.firstBad = i;
        c.simAt = s;
        c.refAt = r;
      }
      c.ok = false;
    }
  }
  return c;
}

std::string indexStr(int64_t flat, const std::vector<int64_t> &shape) {
  std::vector<int64_t> idx(shape.size());
  for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
    int64_t s = shape[size_t(d)] ? shape[size_t(d)] : 1;
    idx[size_t(d)] = flat % s;
    flat /= s;
  }
  std::string o = "[";
  for (size_t d = 0; d < idx.size(); ++d)
    o += (d ? ", " : "") + std::to_string(idx[d]);
  return o + "]";
}

int runMain(int argc, char **argv) {
  Args args;
  if (int rc = parseArgs(argc, argv, args); rc >= 0)
    return rc;

  // --- Load or compile the program -------------------------------------
  isa::Program program;
  std::string graphIR;
  const bool isMlir = endsWith(args.file, ".mlir");
  {
    std::error_code ec;
    if (!std::filesystem::exists(args.file, ec))
      return fail(kExitUsage, "cannot read '" + args.file + "': no such file");
    if (!std::filesystem::is_regular_file(args.file, ec))
      return fail(kExitUsage,
                  "cannot read '" + args.file + "': not a regular file");
  }
  if (isMlir) {
    std::string text;
    if (!readFile(args.file, text))
      return fail(kExitUsage, "cannot read '" + args.file + "': " +
                                  std::strerror(errno));
    driver::CompileOptions opts;
    // Without --target, a module's own dojo.target is kept (d1 otherwise).
    opts.target = args.targetGiven ? args.target : "";
    opts.extraPipeline = args.passOptions;
    driver::CompileResult cr = driver::compile(text, args.file, opts);
    if (!cr.ok) {
      std::fputs(cr.diagnostics.c_str(), stderr);
      return fail(kExitUsage, "compilation of '" + args.file + "' failed");
    }
    if (!cr.diagnostics.empty() && !args.quiet)
      std::fputs(cr.diagnostics.c_str(), stderr); // warnings, remarks
    program = std::move(cr.program);
    graphIR = std::move(cr.graphIR);
  } else {
    if (args.verify)
      return fail(kExitUsage,
                  "--verify needs MLIR input (a .mlir file): a program file "
                  "has no graph-level IR to run the reference interpreter on");
    if (!args.passOptions.empty())
      return fail(kExitUsage, "--pass-options applies to .mlir input only");
    absl::StatusOr<isa::Program> p = isa::readProgramFile(args.file);
    if (!p.ok())
      return fail(int(sim::FaultKind::BadProgram),
                  std::string(p.status().message())); // names the file
    program = std::move(*p);
    if (args.targetGiven) {
      MachineDesc want;
      std::string err;
      if (!MachineDesc::parse(args.target, want, err))
        return fail(kExitUsage, "bad --target '" + args.target + "': " + err);
      if (want != program.target)
        return fail(kExitUsage, "--target '" + want.str() +
                                    "' differs from the program's target '" +
                                    program.target.str() +
                                    "' (a program file carries its target)");
    }
  }

  // --- Inputs -----------------------------------------------------------
  std::map<std::string, std::string> inputFiles;
  for (auto &[name, path] : args.inputs) {
    const isa::Symbol *sym = program.findSymbol(name);
    if (!sym || sym->isOutput) {
      std::string known;
      for (const isa::Symbol &s : program.symbols)
        if (!s.isOutput)
          known += (known.empty() ? "" : ", ") + s.name;
      return fail(int(sim::FaultKind::BadInput),
                  "the program has no input named '" + name +
                      "' (inputs: " + (known.empty() ? "none" : known) + ")");
    }
    if (!inputFiles.emplace(name, path).second)
      return fail(kExitUsage, "input '" + name + "' given twice");
  }

  sim::Options simOpts;
  if (args.maxInstructions)
    simOpts.instructionBudget = args.maxInstructions;
  simOpts.mode = args.mode;
  simOpts.trace = !args.trace.empty();
  if (simOpts.trace && args.mode == sim::Mode::Functional)
    return fail(kExitUsage, "--trace needs --mode cycle (functional mode "
                            "has no time)");
  sim::Simulator simulator(program, simOpts);

  std::vector<driver::HostTensor> hostInputs;
  std::vector<std::string> randomized;
  for (const isa::Symbol &sym : program.symbols) {
    if (sym.isOutput)
      continue;
    std::vector<uint8_t> bytes;
    auto it = inputFiles.find(sym.name);
    if (it != inputFiles.end()) {
      absl::StatusOr<std::vector<uint8_t>> b =
          sim::readSymbolNpy(it->second, sym);
      if (!b.ok())
        return fail(int(sim::FaultKind::BadInput),
                    "input '" + sym.name + "': " +
                        std::string(b.status().message()));
      bytes = std::move(*b);
    } else {
      bytes = randomBytes(sym, args.seed);
      randomized.push_back(sym.name);
    }
    if (absl::Status st = simulator.setInput(sym.name, bytes); !st.ok())
      return fail(int(sim::FaultKind::BadInput), std::string(st.message()));
    driver::HostTensor h;
    h.name = sym.name;
    h.dtype = sym.dtype;
    h.shape = sym.shape;
    h.bytes = std::move(bytes);
    hostInputs.push_back(std::move(h));
  }
  if (!randomized.empty() && !args.quiet) {
    std::string names;
    for (const std::string &n : randomized)
      names += (names.empty() ? "" : ", ") + n;
    std::fprintf(stderr,
                 "dojo-run: note: no --input for %s; using pseudo-random "
                 "values in [-1, 1] (seed %" PRIu64 ")\n",
                 names.c_str(), args.seed);
  }

  // --- Simulate -----------------------------------------------------------
  // Host wall-clock time of the simulation alone (no compile, no file I/O):
  // "sim_seconds" in the JSON, for bench/sim_speed.
  const auto simStart = std::chrono::steady_clock::now();
  absl::Status simStatus = simulator.run();
  const double simSeconds = std::chrono::duration<double>(
                                std::chrono::steady_clock::now() - simStart)
                                .count();
  // The trace is written even after a fault: it shows how the run got there.
  if (!args.trace.empty())
    if (absl::Status st = sim::writeChromeTraceFile(
            args.trace, simulator.trace(), program);
        !st.ok())
      return fail(kExitUsage, std::string(st.message()));
  if (absl::Status st = simStatus; !st.ok()) {
    sim::FaultKind k = simulator.fault();
    int code = k == sim::FaultKind::None ? int(sim::FaultKind::BadProgram)
                                         : int(k);
    // The message names core, pc and instruction; lead with the fault kind
    // unless it already does.
    std::string msg(st.message()), kind = sim::faultKindName(k);
    if (msg.compare(0, kind.size(), kind) != 0)
      msg = kind + ": " + msg;
    return fail(code, msg);
  }
  const sim::Stats &stats = simulator.stats();

  std::map<std::string, std::vector<uint8_t>> outputs;
  for (const isa::Symbol &sym : program.symbols) {
    if (!sym.isOutput)
      continue;
    absl::StatusOr<std::vector<uint8_t>> b = simulator.getSymbol(sym.name);
    if (!b.ok())
      return fail(int(sim::FaultKind::BadProgram),
                  "output '" + sym.name + "': " +
                      std::string(b.status().message()));
    outputs[sym.name] = std::move(*b);
  }
  if (!args.flipOutput.empty()) {
    const isa::Symbol *sym = program.findSymbol(args.flipOutput);
    if (!sym || !sym->isOutput)
      return fail(kExitUsage, "--testing-flip-bit: no output named '" +
                                  args.flipOutput + "'");
    uint64_t eb = uint64_t(num::dtypeBytes(sym->dtype));
    if (args.flipIndex >= uint64_t(sym->numElements()) ||
        args.flipBit >= 8 * eb)
      return fail(kExitUsage, "--testing-flip-bit: index or bit out of range");
    outputs[sym->name][args.flipIndex * eb + args.flipBit / 8] ^=
        uint8_t(1u << (args.flipBit % 8));
  }

  if (!args.outputDir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(args.outputDir, ec);
    if (ec)
      return fail(kExitUsage, "cannot create '" + args.outputDir +
                                  "': " + ec.message());
    for (const isa::Symbol &sym : program.symbols) {
      if (!sym.isOutput)
        continue;
      std::string path =
          (std::filesystem::path(args.outputDir) / (sym.name + ".npy"))
              .string();
      if (absl::Status st =
              sim::writeSymbolNpy(path, sym, outputs[sym.name]);
          !st.ok())
        return fail(kExitUsage, "writing '" + path +
                                    "': " + std::string(st.message()));
    }
  }

  // --- Verify ---------------------------------------------------------------
  std::vector<Compare> compares;
  bool verified = false, allOk = true;
  if (args.verify) {
    driver::ReferenceResult rr = driver::runReference(graphIR, hostInputs);
    if (!rr.ok) {
      std::fputs(rr.diagnostics.c_str(), stderr);
      return fail(kExitUsage, "the reference interpreter failed");
    }
    for (const isa::Symbol &sym : program.symbols) {
      if (!sym.isOutput)
        continue;
      const driver::HostTensor *ref = nullptr;
      for (const driver::HostTensor &h : rr.outputs)
        if (h.name == sym.name)
          ref = &h;
      if (!ref) {
        Compare c;
        c.name = sym.name;
        c.ok = false;
        c.error = "the reference has no output of that name";
        compares.push_back(c);
      } else {
        compares.push_back(compareOutput(sym, outputs[sym.name], *ref));
      }
    }
    for (const driver::HostTensor &h : rr.outputs)
      if (!program.findSymbol(h.name)) {
        Compare c;
        c.name = h.name;
        c.ok = false;
        c.error = "the program has no output of that name";
        compares.push_back(c);
      }
    verified = true;
    for (const Compare &c : compares)
      allOk &= c.ok;
  }

  double maxAbs = 0, maxRel = 0;
  bool bitExact = true;
  for (const Compare &c : compares) {
    maxAbs = std::max(maxAbs, c.maxAbs);
    maxRel = std::max(maxRel, c.maxRel);
    bitExact &= c.bitExact && c.error.empty();
  }
  std::string verdict;
  if (!verified) {
    verdict = "not verified (use --verify with .mlir input)";
  } else if (allOk) {
    verdict = "PASS (max abs err " + fmtDouble(maxAbs) + ", max rel err " +
              fmtDouble(maxRel) + ")" +
              (bitExact ? ", bit-exact" : ", within tolerance");
  } else {
    verdict = "FAIL";
    for (const Compare &c : compares) {
      if (c.ok)
        continue;
      const isa::Symbol *sym = program.findSymbol(c.name);
      verdict += ": output '" + c.name + "' ";
      if (!c.error.empty())
        verdict += c.error;
      else
        verdict += "differs at index " +
                   indexStr(c.firstBad, sym ? sym->shape
                                            : std::vector<int64_t>{}) +
                   " (simulator " + fmtDouble(c.simAt, 9) + ", reference " +
                   fmtDouble(c.refAt, 9) + "; " +
                   std::to_string(c.mismatches) +
                   " element(s) out of tolerance; max abs err " +
                   fmtDouble(c.maxAbs) + ", max rel err " +
                   fmtDouble(c.maxRel) + ")";
      break;
    }
  }

  // --- Report ---------------------------------------------------------------
  const MachineDesc &t = program.target;
  const double us = stats.seconds() * 1e6;
  const double util = stats.utilization() * 100.0;
  const double sramPct =
      t.sram_bytes > 0 ? 100.0 * double(stats.sramHighWater) / t.sram_bytes
                       : 0.0;
  if (!args.quiet) {
    std::printf("dojo-run: %s on %s (%" PRId64 "x%" PRId64 " mesh, %" PRId64
                " enabled cores)\n",
                args.file.c_str(), t.str().c_str(), t.rows, t.cols,
                t.numEnabledCores());
    std::printf("  verdict:            %s\n", verdict.c_str());
    std::printf("  cycles:             %" PRIu64 "\n", stats.cycles);
    std::printf("  time:               %.3f us at %" PRId64 " MHz\n", us,
                stats.clockMhz);
    std::printf("  MAC utilization:    %.2f %% (%" PRIu64 " MACs)\n", util,
                stats.macs);
    std::printf("  cores used:         %" PRId64 " / %" PRId64 "\n",
                stats.coresUsed, stats.coresEnabled);
    std::printf("  NoC bytes:          %" PRIu64 " (%" PRIu64
                " byte-hops)\n",
                stats.nocBytes, stats.nocByteHops);
    std::printf("  DRAM bytes:         %" PRIu64 "\n", stats.dramBytes);
    std::printf("  peak SRAM per core: %" PRIu64 " B (%.1f %% of %" PRId64
                " B)\n",
                stats.sramHighWater, sramPct, t.sram_bytes);
    std::printf("  instructions:       %" PRIu64 "\n", stats.instructions);
    if (args.report)
      printDetailedReport(stats, t, args.mode);
    if (!args.outputDir.empty())
      std::printf("  outputs written to: %s\n", args.outputDir.c_str());
    std::fflush(stdout);
  }
  if (verified && !allOk)
    std::fprintf(stderr, "dojo-run: error: verification %s\n",
                 verdict.c_str());

  if (!args.json.empty()) {
    std::ofstream js(args.json);
    if (!js)
      return fail(kExitUsage, "cannot write '" + args.json + "'");
    js << "{\n"
       << "  \"file\": \"" << jsonEscape(args.file) << "\",\n"
       << "  \"target\": \"" << jsonEscape(t.str()) << "\",\n"
       << "  \"verified\": " << (verified ? "true" : "false") << ",\n"
       << "  \"pass\": "
       << (verified ? (allOk ? "true" : "false") : "null") << ",\n"
       << "  \"verdict\": \"" << jsonEscape(verdict) << "\",\n"
       << "  \"max_abs_err\": "
       << (verified && std::isfinite(maxAbs) ? fmtDouble(maxAbs, 9) : "null")
       << ",\n"
       << "  \"max_rel_err\": "
       << (verified && std::isfinite(maxRel) ? fmtDouble(maxRel, 9) : "null")
       << ",\n"
       << "  \"cycles\": " << stats.cycles << ",\n"
       << "  \"seconds\": " << fmtDouble(stats.seconds(), 9) << ",\n"
       << "  \"clock_mhz\": " << stats.clockMhz << ",\n"
       << "  \"macs\": " << stats.macs << ",\n"
       << "  \"utilization\": " << fmtDouble(stats.utilization(), 9) << ",\n"
       << "  \"cores_used\": " << stats.coresUsed << ",\n"
       << "  \"cores_enabled\": " << stats.coresEnabled << ",\n"
       << "  \"noc_bytes\": " << stats.nocBytes << ",\n"
       << "  \"noc_byte_hops\": " << stats.nocByteHops << ",\n"
       << "  \"dram_bytes\": " << stats.dramBytes << ",\n"
       << "  \"sram_high_water\": " << stats.sramHighWater << ",\n"
       << "  \"sram_bytes\": " << t.sram_bytes << ",\n"
       << "  \"instructions\": " << stats.instructions << ",\n"
       << "  \"sim_seconds\": " << fmtDouble(simSeconds, 9) << ",\n";
    writeJsonDetail(js, stats, args.mode);
    js << "}\n";
    if (!js)
      return fail(kExitUsage, "cannot write '" + args.json + "'");
  }
  return verified && !allOk ? kExitMismatch : kExitOk;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return runMain(argc, argv);
  } catch (const std::bad_alloc &) {
    return fail(kExitUsage, "out of memory");
  } catch (const std::exception &e) {
    return fail(kExitUsage, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(kExitUsage, "internal error");
  }
}
