//===- Program.cpp - Program files for the Dojo machine -------------------===//
//
// Binary and assembly encodings of a Program, and Program::validate().
//
// The binary reader treats its input as hostile: every offset, size and count
// is checked with overflow-safe arithmetic against the bytes that are really
// there before anything is allocated or read, so a corrupt file gives an
// InvalidArgument status and never a crash or a huge allocation.
//
//===----------------------------------------------------------------------===//

#include "dojo/ISA/Program.h"

#include "absl/strings/str_format.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <sstream>

using namespace dojo;
using namespace dojo::isa;

//===----------------------------------------------------------------------===//
// Program model
//===----------------------------------------------------------------------===//

int64_t Symbol::numElements() const {
  // -1 for a negative dimension or a product too large to be a byte count of
  // any element type (so numBytes() never overflows either).
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 8;
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return -1;
    if (d != 0 && n > kLimit / d)
      return -1;
    n *= d;
  }
  return n;
}

bool Symbol::operator==(const Symbol &o) const {
  return name == o.name && isOutput == o.isOutput && dtype == o.dtype &&
         shape == o.shape && dramOffset == o.dramOffset;
}

namespace {
/// Maximum edge memory a program may ask for (1 TiB).
constexpr uint64_t kMaxDramBytes = uint64_t(1) << 40;

bool isBranch(Opcode op) {
  return op == Opcode::Beq || op == Opcode::Bne || op == Opcode::Blt ||
         op == Opcode::Bge || op == Opcode::Jmp;
}

/// [off, off + size) inside [0, limit)? Overflow safe.
bool rangeInside(uint64_t off, uint64_t size, uint64_t limit) {
  return off <= limit && size <= limit - off;
}
} // namespace

absl::Status Program::validate() const {
  std::string err;
  if (!target.validate(err))
    return absl::InvalidArgumentError("target: " + err);
  if (dramBytes > kMaxDramBytes)
    return absl::InvalidArgumentError(
        absl::StrFormat("edge memory of %d bytes exceeds the limit of %d bytes",
                        dramBytes, kMaxDramBytes));
  if (cores.empty())
    return absl::InvalidArgumentError("program has no cores");
  if ((int64_t)cores.size() > target.numEnabledCores())
    return absl::InvalidArgumentError(
        absl::StrFormat("program needs %d cores but target '%s' has %d enabled",
                        cores.size(), target.preset, target.numEnabledCores()));
  std::map<std::pair<int64_t, int64_t>, size_t> seen;
  for (size_t i = 0; i < cores.size(); ++i) {
    const CoreAssignment &c = cores[i];
    if (c.row < 0 || c.row >= target.rows || c.col < 0 || c.col >= target.cols)
      return absl::InvalidArgumentError(
          absl::StrFormat("core %d at (%d,%d) is outside the %dx%d mesh", i,
                          c.row, c.col, target.rows, target.cols));
    if (target.isDisabled(c.row, c.col))
      return absl::InvalidArgumentError(
          absl::StrFormat("core %d at (%d,%d) is disabled on target '%s'", i,
                          c.row, c.col, target.preset));
    auto ins = seen.emplace(std::make_pair(c.row, c.col), i);
    if (!ins.second)
      return absl::InvalidArgumentError(
          absl::StrFormat("core %d at (%d,%d) repeats core %d", i, c.row, c.col,
                          ins.first->second));
    if (c.section >= sections.size())
      return absl::InvalidArgumentError(absl::StrFormat(
          "core %d runs code section %d but the program has %d code "
          "section(s)",
          i, c.section, sections.size()));
  }
  for (size_t s = 0; s < sections.size(); ++s) {
    const std::vector<Instruction> &code = sections[s];
    if (code.empty())
      return absl::InvalidArgumentError(
          absl::StrFormat("code section %d is empty", s));
    if (code.size() > uint64_t(std::numeric_limits<int32_t>::max()))
      return absl::InvalidArgumentError(
          absl::StrFormat("code section %d is too large", s));
    for (size_t pc = 0; pc < code.size(); ++pc) {
      const Instruction &inst = code[pc];
      if (static_cast<size_t>(inst.op) >=
          static_cast<size_t>(Opcode::NumOpcodes))
        return absl::InvalidArgumentError(absl::StrFormat(
            "code section %d pc %d: invalid opcode %d", s, pc, (int)inst.op));
      // Everything in memory must have a legal encoding.
      uint8_t buf[kInstBytes];
      encode(inst, buf);
      Instruction back;
      if (!decode(buf, back, err))
        return absl::InvalidArgumentError(
            absl::StrFormat("code section %d pc %d: %s", s, pc, err));
      if (isBranch(inst.op)) {
        int32_t t = inst.imm("target");
        if (t < 0 || (uint64_t)t >= code.size())
          return absl::InvalidArgumentError(absl::StrFormat(
              "code section %d pc %d `%s`: branch target %d is outside the "
              "section (%d instructions)",
              s, pc, print(inst), t, code.size()));
      }
    }
  }
  std::map<std::string, size_t> names;
  for (size_t i = 0; i < symbols.size(); ++i) {
    const Symbol &sym = symbols[i];
    if (sym.name.empty())
      return absl::InvalidArgumentError(
          absl::StrFormat("symbol %d has an empty name", i));
    if (!names.emplace(sym.name, i).second)
      return absl::InvalidArgumentError(
          absl::StrFormat("duplicate symbol '%s'", sym.name));
    if (!num::isDType(static_cast<uint8_t>(sym.dtype)))
      return absl::InvalidArgumentError(absl::StrFormat(
          "symbol '%s' has invalid dtype %d", sym.name, (int)sym.dtype));
    for (int64_t d : sym.shape)
      if (d < 0)
        return absl::InvalidArgumentError(absl::StrFormat(
            "symbol '%s' has negative dimension %d", sym.name, d));
    if (sym.numElements() < 0)
      return absl::InvalidArgumentError(
          absl::StrFormat("symbol '%s' is too large", sym.name));
    uint64_t bytes = (uint64_t)sym.numBytes();
    if (!rangeInside(sym.dramOffset, bytes, dramBytes))
      return absl::InvalidArgumentError(absl::StrFormat(
          "symbol '%s' [%d, +%d bytes) exceeds edge memory (dramBytes %d)",
          sym.name, sym.dramOffset, bytes, dramBytes));
  }
  for (size_t i = 0; i < data.size(); ++i) {
    const DataSegment &d = data[i];
    if (!rangeInside(d.dramOffset, d.bytes.size(), dramBytes))
      return absl::InvalidArgumentError(absl::StrFormat(
          "data segment %d [%d, +%d bytes) exceeds edge memory (dramBytes %d)",
          i, d.dramOffset, d.bytes.size(), dramBytes));
  }
  for (const DebugLine &l : debug) {
    if (l.section >= sections.size() || l.pc >= sections[l.section].size())
      return absl::InvalidArgumentError(absl::StrFormat(
          "debug line '%s' refers to code section %d pc %d, which does not "
          "exist",
          l.loc, l.section, l.pc));
  }
  return absl::OkStatus();
}

const Symbol *Program::findSymbol(const std::string &name) const {
  for (const Symbol &s : symbols)
    if (s.name == name)
      return &s;
  return nullptr;
}

std::string Program::locationOf(uint32_t section, uint32_t pc) const {
  for (const DebugLine &l : debug)
    if (l.section == section && l.pc == pc)
      return l.loc;
  return "";
}

namespace {
/// Debug lines in (section, pc) order; ties keep their relative order.
std::vector<DebugLine> sortedDebug(const std::vector<DebugLine> &d) {
  std::vector<DebugLine> out = d;
  std::stable_sort(
      out.begin(), out.end(), [](const DebugLine &a, const DebugLine &b) {
        return a.section != b.section ? a.section < b.section : a.pc < b.pc;
      });
  return out;
}
} // namespace

bool Program::operator==(const Program &o) const {
  // The line table is a map from (section, pc): its storage order is not
  // part of the program's meaning.
  return target == o.target && sections == o.sections && cores == o.cores &&
         dramBytes == o.dramBytes && symbols == o.symbols && data == o.data &&
         sortedDebug(debug) == sortedDebug(o.debug);
}

//===----------------------------------------------------------------------===//
// Binary format
//===----------------------------------------------------------------------===//

namespace {
constexpr char kMagic[8] = {'D', 'O', 'J', 'O', 'P', 'R', 'G', '1'};
constexpr size_t kHeaderBytes = 32;
constexpr size_t kEntryBytes = 24;

enum SectionKind : uint32_t {
  kTarget = 1,
  kCode = 2,
  kCores = 3,
  kMemory = 4,
  kSymbols = 5,
  kData = 6,
  kDebug = 7,
};

const char *kindName(uint32_t k) {
  switch (k) {
  case kTarget:
    return "TARGET";
  case kCode:
    return "CODE";
  case kCores:
    return "CORES";
  case kMemory:
    return "MEMORY";
  case kSymbols:
    return "SYMBOLS";
  case kData:
    return "DATA";
  case kDebug:
    return "DEBUG";
  }
  return "unknown";
}

class ByteWriter {
public:
  std::vector<uint8_t> buf;
  void u8(uint8_t v) { buf.push_back(v); }
  void u16(uint16_t v) { le(v, 2); }
  void u32(uint32_t v) { le(v, 4); }
  void u64(uint64_t v) { le(v, 8); }
  void i32(int32_t v) { le(static_cast<uint32_t>(v), 4); }
  void i64(int64_t v) { le(static_cast<uint64_t>(v), 8); }
  void bytes(const void *p, size_t n) {
    const uint8_t *b = static_cast<const uint8_t *>(p);
    buf.insert(buf.end(), b, b + n);
  }
  void patch64(size_t at, uint64_t v) {
    for (int i = 0; i < 8; ++i)
      buf[at + i] = uint8_t(v >> (8 * i));
  }
  void align(size_t a) {
    while (buf.size() % a)
      buf.push_back(0);
  }

private:
  void le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i)
      buf.push_back(uint8_t(v >> (8 * i)));
  }
};

/// Bounds-checked little-endian reader over one section payload.
class ByteReader {
public:
  ByteReader(const uint8_t *p, size_t n, std::string what)
      : p(p), n(n), what(std::move(what)) {}

  size_t remaining() const { return n - pos; }
  size_t position() const { return pos; }
  const uint8_t *cursor() const { return p + pos; }
  const std::string &context() const { return what; }

  bool need(size_t k, const char *field) {
    if (k <= remaining())
      return true;
    if (error.empty())
      error = absl::StrFormat("%s: truncated: %s needs %d byte(s) at offset "
                              "%d but only %d remain",
                              what, field, k, pos, remaining());
    return false;
  }
  bool u8(uint8_t &v, const char *f) {
    if (!need(1, f))
      return false;
    v = p[pos++];
    return true;
  }
  bool u16(uint16_t &v, const char *f) {
    uint64_t x;
    if (!le(x, 2, f))
      return false;
    v = uint16_t(x);
    return true;
  }
  bool u32(uint32_t &v, const char *f) {
    uint64_t x;
    if (!le(x, 4, f))
      return false;
    v = uint32_t(x);
    return true;
  }
  bool i32(int32_t &v, const char *f) {
    uint32_t x;
    if (!u32(x, f))
      return false;
    v = static_cast<int32_t>(x);
    return true;
  }
  bool u64(uint64_t &v, const char *f) { return le(v, 8, f); }
  bool i64(int64_t &v, const char *f) {
    uint64_t x;
    if (!u64(x, f))
      return false;
    v = static_cast<int64_t>(x);
    return true;
  }
  bool skip(size_t k, const char *f) {
    if (!need(k, f))
      return false;
    pos += k;
    return true;
  }
  /// Checks that `count` records of at least `minBytes` each can still fit.
  bool countFits(uint64_t count, size_t minBytes, const char *f) {
    if (count <= remaining() / minBytes)
      return true;
    if (error.empty())
      error = absl::StrFormat(
          "%s: %s %d needs at least %d bytes per entry but only %d bytes "
          "remain",
          what, f, count, minBytes, remaining());
    return false;
  }
  bool fail(const std::string &msg) {
    if (error.empty())
      error = what + ": " + msg;
    return false;
  }
  bool atEnd() {
    if (remaining() == 0)
      return true;
    return fail(absl::StrFormat("%d unexpected trailing byte(s) at offset %d",
                                remaining(), pos));
  }

  std::string error;

private:
  bool le(uint64_t &v, int k, const char *f) {
    if (!need(k, f))
      return false;
    v = 0;
    for (int i = 0; i < k; ++i)
      v |= uint64_t(p[pos + i]) << (8 * i);
    pos += k;
    return true;
  }
  const uint8_t *p;
  size_t n;
  size_t pos = 0;
  std::string what;
};

absl::Status fileError(const std::string &msg) {
  return absl::InvalidArgumentError("program file: " + msg);
}
} // namespace

std::vector<uint8_t> isa::writeBinary(const Program &p) {
  struct Payload {
    uint32_t kind;
    std::vector<uint8_t> bytes;
  };
  std::vector<Payload> payloads;
  {
    ByteWriter w;
    std::string t = p.target.str();
    w.bytes(t.data(), t.size());
    payloads.push_back({kTarget, std::move(w.buf)});
  }
  for (const auto &code : p.sections) {
    ByteWriter w;
    w.u32(static_cast<uint32_t>(code.size()));
    size_t at = w.buf.size();
    w.buf.resize(at + code.size() * kInstBytes);
    for (size_t i = 0; i < code.size(); ++i)
      encode(code[i], w.buf.data() + at + i * kInstBytes);
    payloads.push_back({kCode, std::move(w.buf)});
  }
  {
    ByteWriter w;
    w.u32(static_cast<uint32_t>(p.cores.size()));
    for (const CoreAssignment &c : p.cores) {
      w.i32(static_cast<int32_t>(c.row));
      w.i32(static_cast<int32_t>(c.col));
      w.u32(c.section);
    }
    payloads.push_back({kCores, std::move(w.buf)});
  }
  {
    ByteWriter w;
    w.u64(p.dramBytes);
    payloads.push_back({kMemory, std::move(w.buf)});
  }
  {
    ByteWriter w;
    w.u32(static_cast<uint32_t>(p.symbols.size()));
    for (const Symbol &s : p.symbols) {
      w.u8(s.isOutput ? 1 : 0);
      w.u8(static_cast<uint8_t>(s.dtype));
      w.u16(static_cast<uint16_t>(s.shape.size()));
      w.u32(static_cast<uint32_t>(s.name.size()));
      w.bytes(s.name.data(), s.name.size());
      for (int64_t d : s.shape)
        w.i64(d);
      w.u64(s.dramOffset);
    }
    payloads.push_back({kSymbols, std::move(w.buf)});
  }
  for (const DataSegment &d : p.data) {
    ByteWriter w;
    w.u64(d.dramOffset);
    w.u64(d.bytes.size());
    w.bytes(d.bytes.data(), d.bytes.size());
    payloads.push_back({kData, std::move(w.buf)});
  }
  {
    ByteWriter w;
    w.u32(static_cast<uint32_t>(p.debug.size()));
    for (const DebugLine &l : p.debug) {
      w.u32(l.section);
      w.u32(l.pc);
      w.u32(static_cast<uint32_t>(l.loc.size()));
      w.bytes(l.loc.data(), l.loc.size());
    }
    payloads.push_back({kDebug, std::move(w.buf)});
  }

  ByteWriter out;
  out.bytes(kMagic, 8);
  out.u32(kProgramVersion);
  out.u32(static_cast<uint32_t>(payloads.size()));
  out.u64(0);
  size_t totalAt = out.buf.size();
  out.u64(0); // total size, patched below
  size_t tableAt = out.buf.size();
  out.buf.resize(tableAt + payloads.size() * kEntryBytes);
  std::vector<std::pair<uint64_t, uint64_t>> where;
  for (const Payload &pl : payloads) {
    out.align(8);
    where.emplace_back(out.buf.size(), pl.bytes.size());
    out.bytes(pl.bytes.data(), pl.bytes.size());
  }
  for (size_t i = 0; i < payloads.size(); ++i) {
    ByteWriter e;
    e.u32(payloads[i].kind);
    e.u32(0);
    e.u64(where[i].first);
    e.u64(where[i].second);
    std::memcpy(out.buf.data() + tableAt + i * kEntryBytes, e.buf.data(),
                kEntryBytes);
  }
  out.patch64(totalAt, out.buf.size());
  return std::move(out.buf);
}

namespace {
bool readCode(ByteReader &r, size_t codeIndex, std::vector<Instruction> &out) {
  uint32_t count;
  if (!r.u32(count, "instruction count"))
    return false;
  if (!r.countFits(count, kInstBytes, "instruction count"))
    return false;
  if (r.remaining() != size_t(count) * kInstBytes)
    return r.fail(absl::StrFormat(
        "instruction count %d needs %d bytes but the section holds %d", count,
        size_t(count) * kInstBytes, r.remaining()));
  out.resize(count);
  for (uint32_t pc = 0; pc < count; ++pc) {
    std::string err;
    if (!decode(r.cursor(), out[pc], err))
      return r.fail(
          absl::StrFormat("code section %d pc %d: %s", codeIndex, pc, err));
    r.skip(kInstBytes, "instruction");
  }
  return true;
}

bool readCores(ByteReader &r, std::vector<CoreAssignment> &out) {
  uint32_t n;
  if (!r.u32(n, "core count") || !r.countFits(n, 12, "core count"))
    return false;
  out.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    int32_t row, col;
    if (!r.i32(row, "core row") || !r.i32(col, "core column") ||
        !r.u32(out[i].section, "core section"))
      return false;
    out[i].row = row;
    out[i].col = col;
  }
  return r.atEnd();
}

bool readSymbols(ByteReader &r, std::vector<Symbol> &out) {
  uint32_t n;
  // Smallest record: flags (4) + name length (4) + offset (8).
  if (!r.u32(n, "symbol count") || !r.countFits(n, 16, "symbol count"))
    return false;
  out.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    Symbol &s = out[i];
    uint8_t isOut, dt;
    uint16_t rank;
    uint32_t nameLen;
    if (!r.u8(isOut, "symbol kind") || !r.u8(dt, "symbol dtype") ||
        !r.u16(rank, "symbol rank") || !r.u32(nameLen, "symbol name length"))
      return false;
    if (isOut > 1)
      return r.fail(absl::StrFormat("symbol %d: bad output flag %d", i, isOut));
    if (!num::isDType(dt))
      return r.fail(absl::StrFormat("symbol %d: unknown dtype %d", i, dt));
    if (!r.need(nameLen, "symbol name"))
      return false;
    s.name.assign(reinterpret_cast<const char *>(r.cursor()), nameLen);
    r.skip(nameLen, "symbol name");
    if (!r.countFits(rank, 8, "symbol rank"))
      return false;
    s.isOutput = isOut != 0;
    s.dtype = static_cast<num::DType>(dt);
    s.shape.resize(rank);
    for (uint16_t d = 0; d < rank; ++d)
      if (!r.i64(s.shape[d], "symbol dimension"))
        return false;
    if (!r.u64(s.dramOffset, "symbol offset"))
      return false;
  }
  return r.atEnd();
}

bool readData(ByteReader &r, DataSegment &out) {
  uint64_t size;
  if (!r.u64(out.dramOffset, "data offset") || !r.u64(size, "data size"))
    return false;
  if (size != r.remaining())
    return r.fail(absl::StrFormat(
        "data size %d does not match the %d payload byte(s) in the section",
        size, r.remaining()));
  out.bytes.assign(r.cursor(), r.cursor() + size);
  return true;
}

bool readDebug(ByteReader &r, std::vector<DebugLine> &out) {
  uint32_t n;
  if (!r.u32(n, "debug line count") || !r.countFits(n, 12, "debug line count"))
    return false;
  out.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t len;
    if (!r.u32(out[i].section, "debug section") ||
        !r.u32(out[i].pc, "debug pc") || !r.u32(len, "debug location length"))
      return false;
    if (!r.need(len, "debug location"))
      return false;
    out[i].loc.assign(reinterpret_cast<const char *>(r.cursor()), len);
    r.skip(len, "debug location");
  }
  return r.atEnd();
}
} // namespace

absl::StatusOr<Program> isa::readBinary(const uint8_t *data, size_t size) {
  if (size < kHeaderBytes)
    return fileError(absl::StrFormat("truncated header (%d bytes, need %d)",
                                     size, kHeaderBytes));
  if (std::memcmp(data, kMagic, 8) != 0)
    return fileError("bad magic (not a Dojo program; expected 'DOJOPRG1')");
  ByteReader h(data + 8, kHeaderBytes - 8, "header");
  uint32_t version = 0, nsections = 0;
  uint64_t reserved = 0, total = 0;
  h.u32(version, "version");
  h.u32(nsections, "section count");
  h.u64(reserved, "reserved");
  h.u64(total, "file size");
  if (version != kProgramVersion)
    return fileError(absl::StrFormat("unsupported version %d (expected %d)",
                                     version, kProgramVersion));
  if (reserved != 0)
    return fileError(
        absl::StrFormat("reserved header field is 0x%x, not 0", reserved));
  if (total != size)
    return fileError(absl::StrFormat(
        "header says the file has %d bytes but it has %d", total, size));
  if (nsections > (size - kHeaderBytes) / kEntryBytes)
    return fileError(absl::StrFormat(
        "section table of %d entries (%d bytes) exceeds file size %d",
        nsections, uint64_t(nsections) * kEntryBytes, size));
  const uint64_t tableEnd = kHeaderBytes + uint64_t(nsections) * kEntryBytes;

  struct Entry {
    uint32_t index, kind;
    uint64_t offset, size;
  };
  std::vector<Entry> entries(nsections);
  ByteReader t(data + kHeaderBytes, tableEnd - kHeaderBytes, "section table");
  for (uint32_t i = 0; i < nsections; ++i) {
    Entry &e = entries[i];
    uint32_t res = 0;
    e.index = i;
    t.u32(e.kind, "kind");
    t.u32(res, "reserved");
    t.u64(e.offset, "offset");
    t.u64(e.size, "size");
    std::string name = absl::StrFormat("section %d (%s)", i, kindName(e.kind));
    if (e.kind < kTarget || e.kind > kDebug)
      return fileError(
          absl::StrFormat("section %d has unknown kind %d", i, e.kind));
    if (res != 0)
      return fileError(name + ": reserved field is not 0");
    if (e.offset < tableEnd)
      return fileError(absl::StrFormat(
          "%s offset 0x%x overlaps the header and section table (which end "
          "at 0x%x)",
          name, e.offset, tableEnd));
    if (!rangeInside(e.offset, e.size, size))
      return fileError(
          absl::StrFormat("%s offset 0x%x + size %d exceeds file size %d", name,
                          e.offset, e.size, size));
  }
  {
    std::vector<Entry> byOffset = entries;
    std::sort(
        byOffset.begin(), byOffset.end(), [](const Entry &a, const Entry &b) {
          return a.offset != b.offset ? a.offset < b.offset : a.index < b.index;
        });
    for (size_t i = 1; i < byOffset.size(); ++i) {
      const Entry &a = byOffset[i - 1], &b = byOffset[i];
      if (b.offset < a.offset + a.size)
        return fileError(absl::StrFormat(
            "section %d (%s) at 0x%x overlaps section %d (%s) at 0x%x + %d",
            b.index, kindName(b.kind), b.offset, a.index, kindName(a.kind),
            a.offset, a.size));
    }
  }

  // Section multiplicities first, so the structure is known to be right
  // before any payload is interpreted.
  uint32_t counts[kDebug + 1] = {};
  for (const Entry &e : entries) {
    bool unique = e.kind != kCode && e.kind != kData;
    if (unique && counts[e.kind] > 0)
      return fileError(
          absl::StrFormat("section %d (%s) is repeated; only one is allowed",
                          e.index, kindName(e.kind)));
    ++counts[e.kind];
  }
  for (uint32_t k : {kTarget, kCode, kCores, kMemory})
    if (counts[k] == 0)
      return fileError(
          absl::StrFormat("missing required %s section", kindName(k)));

  Program p;
  for (const Entry &e : entries) {
    std::string name =
        absl::StrFormat("section %d (%s)", e.index, kindName(e.kind));
    ByteReader r(data + e.offset, e.size, name);
    bool ok = true;
    switch (e.kind) {
    case kTarget: {
      std::string text(reinterpret_cast<const char *>(data + e.offset), e.size);
      std::string err;
      if (text.find('\0') != std::string::npos)
        return fileError(name + ": machine description contains a NUL byte");
      if (!MachineDesc::parse(text, p.target, err))
        return fileError(name + ": bad machine description '" + text +
                         "': " + err);
      break;
    }
    case kCode:
      p.sections.emplace_back();
      ok = readCode(r, p.sections.size() - 1, p.sections.back());
      break;
    case kCores:
      ok = readCores(r, p.cores);
      break;
    case kMemory:
      ok = r.u64(p.dramBytes, "edge memory size") && r.atEnd();
      break;
    case kSymbols:
      ok = readSymbols(r, p.symbols);
      break;
    case kData:
      p.data.emplace_back();
      ok = readData(r, p.data.back());
      break;
    case kDebug:
      ok = readDebug(r, p.debug);
      break;
    }
    if (!ok)
      return fileError(r.error);
  }
  if (absl::Status st = p.validate(); !st.ok())
    return fileError(std::string(st.message()));
  return p;
}

//===----------------------------------------------------------------------===//
// Assembly format
//===----------------------------------------------------------------------===//

namespace {
bool isPlainNameChar(char c) {
  return std::isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-' ||
         c == '/' || c == ':' || c == '$';
}

/// Prints `s` bare if it is a plain name, else as a quoted string with C
/// escapes (\" \\ \n \t \xNN).
std::string quoteIfNeeded(const std::string &s, bool always) {
  bool plain = !always && !s.empty() && s[0] != '@' && s[0] != '"';
  for (char c : s)
    plain = plain && isPlainNameChar(c);
  if (plain)
    return s;
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u >= 0x7f) {
      out += absl::StrFormat("\\x%02x", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// Splits a line into whitespace-separated tokens; a token starting with `"`
/// is a quoted string (unescaped into `quoted[i] = true`).
bool tokenize(const std::string &line, std::vector<std::string> &toks,
              std::vector<bool> &quoted, std::string &err) {
  size_t i = 0, n = line.size();
  while (true) {
    while (i < n && std::isspace((unsigned char)line[i]))
      ++i;
    if (i >= n)
      return true;
    if (line[i] == '"') {
      std::string s;
      ++i;
      bool closed = false;
      while (i < n) {
        char c = line[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c != '\\') {
          s += c;
          continue;
        }
        if (i >= n)
          break;
        char e = line[i++];
        if (e == 'n')
          s += '\n';
        else if (e == 't')
          s += '\t';
        else if (e == '"' || e == '\\')
          s += e;
        else if (e == 'x' && i + 1 < n && hexValue(line[i]) >= 0 &&
                 hexValue(line[i + 1]) >= 0) {
          s +=
              static_cast<char>(hexValue(line[i]) * 16 + hexValue(line[i + 1]));
          i += 2;
        } else {
          err = std::string("bad escape '\\") + e + "' in string";
          return false;
        }
      }
      if (!closed) {
        err = "unterminated string";
        return false;
      }
      if (i < n && !std::isspace((unsigned char)line[i])) {
        err = "expected whitespace after a quoted string";
        return false;
      }
      toks.push_back(s);
      quoted.push_back(true);
      continue;
    }
    size_t j = i;
    while (j < n && !std::isspace((unsigned char)line[j]))
      ++j;
    toks.push_back(line.substr(i, j - i));
    quoted.push_back(false);
    i = j;
  }
}

/// Removes a `;` comment, ignoring `;` inside quoted strings.
std::string stripComment(const std::string &line) {
  bool inStr = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (inStr) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inStr = false;
    } else if (c == '"') {
      inStr = true;
    } else if (c == ';') {
      return line.substr(0, i);
    }
  }
  return line;
}

std::string trimStr(const std::string &s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace((unsigned char)s[b]))
    ++b;
  while (e > b && std::isspace((unsigned char)s[e - 1]))
    --e;
  return s.substr(b, e - b);
}

bool parseI64(const std::string &s, int64_t &v) {
  if (s.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  long long x = std::strtoll(s.c_str(), &end, 0);
  if (errno != 0 || *end != '\0' || std::isspace((unsigned char)s[0]))
    return false;
  v = x;
  return true;
}

bool parseU64(const std::string &s, uint64_t &v) {
  if (s.empty() || s[0] == '-' || s[0] == '+' ||
      std::isspace((unsigned char)s[0]))
    return false;
  errno = 0;
  char *end = nullptr;
  unsigned long long x = std::strtoull(s.c_str(), &end, 0);
  if (errno != 0 || *end != '\0')
    return false;
  v = x;
  return true;
}

/// Length of a label definition `name:` at the start of `s` (name only), or
/// 0 if `s` does not start with one.
size_t labelLength(const std::string &s) {
  size_t i = 0;
  if (s.empty() || !(std::isalpha((unsigned char)s[0]) || s[0] == '_' ||
                     s[0] == '.' || s[0] == '$'))
    return 0;
  while (i < s.size() && (std::isalnum((unsigned char)s[i]) || s[i] == '_' ||
                          s[i] == '.' || s[i] == '$'))
    ++i;
  if (i < s.size() && s[i] == ':' &&
      (i + 1 == s.size() || std::isspace((unsigned char)s[i + 1])))
    return i;
  return 0;
}

std::string shapeStr(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}
} // namespace

std::string isa::writeAssembly(const Program &p) {
  std::string out;
  out += "; Dojo program (assembly); see docs/isa.md\n";
  out += ".target " + p.target.str() + "\n";
  out += absl::StrFormat(".dram %d\n", p.dramBytes);
  for (const Symbol &s : p.symbols)
    out +=
        absl::StrFormat(".%s %s %s %s @%d\n", s.isOutput ? "output" : "input",
                        quoteIfNeeded(s.name, false), num::dtypeName(s.dtype),
                        shapeStr(s.shape), s.dramOffset);
  static const char kHex[] = "0123456789abcdef";
  for (const DataSegment &d : p.data) {
    std::string hex;
    hex.reserve(d.bytes.size() * 2);
    for (uint8_t b : d.bytes) {
      hex += kHex[b >> 4];
      hex += kHex[b & 15];
    }
    out += absl::StrFormat(".data @%d %s\n", d.dramOffset,
                           hex.empty() ? "\"\"" : hex);
  }
  for (size_t i = 0; i < p.cores.size(); ++i)
    out += absl::StrFormat(".core %d %d section=%d ; core %d\n", p.cores[i].row,
                           p.cores[i].col, p.cores[i].section, i);
  std::vector<DebugLine> dbg = sortedDebug(p.debug);
  size_t di = 0;
  for (size_t s = 0; s < p.sections.size(); ++s) {
    out += absl::StrFormat("\n.section %d\n", s);
    const auto &code = p.sections[s];
    // Skip lines for earlier sections (only possible in invalid programs).
    while (di < dbg.size() && dbg[di].section < s)
      ++di;
    for (size_t pc = 0; pc < code.size(); ++pc) {
      while (di < dbg.size() && dbg[di].section == s && dbg[di].pc < pc)
        ++di;
      while (di < dbg.size() && dbg[di].section == s && dbg[di].pc == pc)
        out += ".loc " + quoteIfNeeded(dbg[di++].loc, true) + "\n";
      out += absl::StrFormat("  %-56s ; %d\n", print(code[pc]), pc);
    }
  }
  return out;
}

absl::StatusOr<Program> isa::readAssembly(const std::string &text) {
  struct PendingInst {
    size_t line;
    std::string text;
  };
  struct SectionState {
    bool defined = false;
    std::vector<PendingInst> insts;
    std::map<std::string, int32_t> labels;
  };
  Program p;
  bool haveTarget = false, haveDram = false;
  std::vector<SectionState> secs;
  int64_t cur = -1;
  std::vector<std::pair<size_t, std::string>> pendingLocs; // (line, loc)

  auto err = [](size_t line, const std::string &msg) {
    return absl::InvalidArgumentError(
        absl::StrFormat("line %d: %s", line, msg));
  };
  auto flushLocs = [&]() -> absl::Status {
    if (!pendingLocs.empty())
      return err(pendingLocs.front().first,
                 "'.loc' is not followed by an instruction in its section");
    return absl::OkStatus();
  };

  std::istringstream in(text);
  std::string raw;
  size_t lineNo = 0;
  while (std::getline(in, raw)) {
    ++lineNo;
    if (!raw.empty() && raw.back() == '\r')
      raw.pop_back();
    std::string line = trimStr(stripComment(raw));
    if (line.empty())
      continue;
    // Labels (possibly followed by an instruction on the same line).
    if (size_t ll = labelLength(line)) {
      std::string name = line.substr(0, ll);
      if (cur < 0)
        return err(lineNo, "label '" + name + "' outside a '.section'");
      SectionState &ss = secs[cur];
      if (ss.labels.count(name))
        return err(lineNo, "label '" + name + "' is defined twice in section " +
                               std::to_string(cur));
      ss.labels[name] = static_cast<int32_t>(ss.insts.size());
      line = trimStr(line.substr(ll + 1));
      if (line.empty())
        continue;
    }
    if (line[0] != '.') {
      if (cur < 0)
        return err(lineNo, "instruction outside a '.section'");
      SectionState &ss = secs[cur];
      if (ss.insts.size() >= size_t(std::numeric_limits<int32_t>::max()))
        return err(lineNo, "too many instructions in the section");
      for (auto &l : pendingLocs)
        p.debug.push_back({static_cast<uint32_t>(cur),
                           static_cast<uint32_t>(ss.insts.size()), l.second});
      pendingLocs.clear();
      ss.insts.push_back({lineNo, line});
      continue;
    }
    std::vector<std::string> toks;
    std::vector<bool> quoted;
    std::string terr;
    // `.target` takes the rest of the line verbatim.
    size_t sp = line.find_first_of(" \t");
    std::string dir = line.substr(0, sp);
    std::string rest = sp == std::string::npos ? "" : trimStr(line.substr(sp));
    if (dir == ".target") {
      if (haveTarget)
        return err(lineNo, "'.target' given twice");
      std::string merr;
      if (!MachineDesc::parse(rest, p.target, merr))
        return err(lineNo, "bad machine description: " + merr);
      haveTarget = true;
      continue;
    }
    if (!tokenize(rest, toks, quoted, terr))
      return err(lineNo, terr);
    auto want = [&](size_t n, const char *usage) -> absl::Status {
      if (toks.size() != n)
        return err(lineNo, absl::StrFormat("'%s' expects: %s", dir, usage));
      return absl::OkStatus();
    };
    if (dir == ".dram") {
      if (auto st = want(1, ".dram <bytes>"); !st.ok())
        return st;
      if (haveDram)
        return err(lineNo, "'.dram' given twice");
      if (quoted[0] || !parseU64(toks[0], p.dramBytes))
        return err(lineNo, "bad edge memory size '" + toks[0] + "'");
      haveDram = true;
    } else if (dir == ".input" || dir == ".output") {
      if (auto st = want(4, "<name> <dtype> <dim>x<dim>...|scalar @<offset>");
          !st.ok())
        return st;
      Symbol s;
      s.name = toks[0];
      s.isOutput = dir == ".output";
      if (quoted[1] || !num::parseDType(toks[1].c_str(), s.dtype))
        return err(lineNo, "unknown dtype '" + toks[1] +
                               "' (expected f32, bf16, i32, i8, cfp8_143, "
                               "cfp8_152, cfp16 or i16)");
      if (quoted[2])
        return err(lineNo, "bad shape");
      if (toks[2] != "scalar") {
        std::stringstream ss(toks[2]);
        std::string d;
        while (std::getline(ss, d, 'x')) {
          int64_t v;
          if (!parseI64(d, v))
            return err(lineNo,
                       "bad dimension '" + d + "' in shape '" + toks[2] + "'");
          s.shape.push_back(v);
        }
        if (toks[2].empty() || toks[2].back() == 'x')
          return err(lineNo, "bad shape '" + toks[2] + "'");
      }
      if (quoted[3] || toks[3].size() < 2 || toks[3][0] != '@' ||
          !parseU64(toks[3].substr(1), s.dramOffset))
        return err(lineNo, "expected @<offset>, got '" + toks[3] + "'");
      p.symbols.push_back(std::move(s));
    } else if (dir == ".data") {
      if (auto st = want(2, "@<offset> <hex bytes>"); !st.ok())
        return st;
      DataSegment d;
      if (quoted[0] || toks[0].size() < 2 || toks[0][0] != '@' ||
          !parseU64(toks[0].substr(1), d.dramOffset))
        return err(lineNo, "expected @<offset>, got '" + toks[0] + "'");
      const std::string &h = toks[1];
      if (!quoted[1] || !h.empty()) {
        if (h.size() % 2)
          return err(lineNo, "odd number of hex digits in '.data'");
        d.bytes.resize(h.size() / 2);
        for (size_t i = 0; i < h.size(); i += 2) {
          int hi = hexValue(h[i]), lo = hexValue(h[i + 1]);
          if (hi < 0 || lo < 0)
            return err(
                lineNo,
                absl::StrFormat("bad hex digit in '.data' at byte %d", i / 2));
          d.bytes[i / 2] = static_cast<uint8_t>(hi * 16 + lo);
        }
      }
      p.data.push_back(std::move(d));
    } else if (dir == ".core") {
      if (auto st = want(3, "<row> <col> section=<n>"); !st.ok())
        return st;
      CoreAssignment c;
      int64_t row, col;
      uint64_t sec;
      if (!parseI64(toks[0], row) || !parseI64(toks[1], col) ||
          row < INT32_MIN || row > INT32_MAX || col < INT32_MIN ||
          col > INT32_MAX)
        return err(lineNo,
                   "bad core coordinates '" + toks[0] + " " + toks[1] + "'");
      if (toks[2].rfind("section=", 0) != 0 ||
          !parseU64(toks[2].substr(8), sec) || sec > UINT32_MAX)
        return err(lineNo, "expected section=<n>, got '" + toks[2] + "'");
      c.row = row;
      c.col = col;
      c.section = static_cast<uint32_t>(sec);
      p.cores.push_back(c);
    } else if (dir == ".section") {
      if (auto st = want(1, ".section <n>"); !st.ok())
        return st;
      uint64_t n;
      if (!parseU64(toks[0], n) || n > 65535)
        return err(lineNo, "bad section number '" + toks[0] + "'");
      if (auto st = flushLocs(); !st.ok())
        return st;
      if (n >= secs.size())
        secs.resize(n + 1);
      if (secs[n].defined)
        return err(lineNo, absl::StrFormat("section %d defined twice", n));
      secs[n].defined = true;
      cur = static_cast<int64_t>(n);
    } else if (dir == ".loc") {
      if (auto st = want(1, ".loc \"<location>\""); !st.ok())
        return st;
      if (cur < 0)
        return err(lineNo, "'.loc' outside a '.section'");
      pendingLocs.emplace_back(lineNo, toks[0]);
    } else {
      return err(lineNo, "unknown directive '" + dir + "'");
    }
  }
  if (auto st = flushLocs(); !st.ok())
    return st;
  if (!haveTarget)
    return absl::InvalidArgumentError("missing '.target' directive");
  for (size_t s = 0; s < secs.size(); ++s) {
    if (!secs[s].defined)
      return absl::InvalidArgumentError(absl::StrFormat(
          "section %d is missing (sections must be numbered 0..%d)", s,
          secs.size() - 1));
    std::vector<Instruction> code(secs[s].insts.size());
    for (size_t i = 0; i < code.size(); ++i) {
      std::string perr;
      if (!parse(secs[s].insts[i].text, code[i], perr, &secs[s].labels))
        return err(secs[s].insts[i].line, perr);
    }
    p.sections.push_back(std::move(code));
  }
  if (absl::Status st = p.validate(); !st.ok())
    return st;
  return p;
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

absl::StatusOr<Program> isa::readProgramFile(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f)
    return absl::NotFoundError("cannot open program file '" + path + "'");
  std::string content((std::istreambuf_iterator<char>(f)),
                      std::istreambuf_iterator<char>());
  if (f.bad())
    return absl::InternalError("error reading '" + path + "'");
  absl::StatusOr<Program> p =
      content.size() >= 8 && std::memcmp(content.data(), kMagic, 8) == 0
          ? readBinary(reinterpret_cast<const uint8_t *>(content.data()),
                       content.size())
          : readAssembly(content);
  if (!p.ok())
    return absl::Status(p.status().code(),
                        path + ": " + std::string(p.status().message()));
  return p;
}

absl::Status isa::writeProgramFile(const Program &p, const std::string &path,
                                   bool binary) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f)
    return absl::PermissionDeniedError("cannot write '" + path + "'");
  if (binary) {
    std::vector<uint8_t> b = writeBinary(p);
    f.write(reinterpret_cast<const char *>(b.data()), b.size());
  } else {
    std::string s = writeAssembly(p);
    f.write(s.data(), s.size());
  }
  f.close();
  if (!f)
    return absl::InternalError("error writing '" + path + "'");
  return absl::OkStatus();
}
