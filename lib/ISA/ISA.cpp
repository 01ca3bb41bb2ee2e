//===- ISA.cpp - The Dojo core instruction set ----------------------------===//

#include "dojo/ISA/ISA.h"
#include "dojo/ISA/Numerics.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace dojo;
using namespace dojo::isa;

namespace {
#define R(...) {__VA_ARGS__}
#define I(...) {__VA_ARGS__}
#define VEC_BINARY(E, M)                                                       \
  {Opcode::E, M, Unit::Vector, 3, R("rd", "ra", "rb"), 8,                      \
   I("rows", "cols", "ldd", "lda", "ldb", "dtd", "dta", "dtb")}
#define VEC_UNARY(E, M)                                                        \
  {Opcode::E, M, Unit::Vector, 2, R("rd", "ra"), 6,                            \
   I("rows", "cols", "ldd", "lda", "dtd", "dta")}
#define SCALAR_BINARY(E, M)                                                    \
  {Opcode::E, M, Unit::Scalar, 3, R("rd", "ra", "rb"), 0, I()}
#define BRANCH(E, M)                                                           \
  {Opcode::E, M, Unit::Scalar, 2, R("ra", "rb"), 1, I("target")}

// Must list every opcode in enum order (checked at startup by a unit test and
// by lookupOpcode's index check).
const OpcodeInfo kTable[] = {
    {Opcode::Nop, "nop", Unit::Scalar, 0, R(), 0, I()},
    {Opcode::Halt, "halt", Unit::Scalar, 0, R(), 0, I()},
    {Opcode::Li, "li", Unit::Scalar, 1, R("rd"), 1, I("value")},
    {Opcode::Mov, "mov", Unit::Scalar, 2, R("rd", "ra"), 0, I()},
    SCALAR_BINARY(Add, "add"),
    SCALAR_BINARY(Sub, "sub"),
    SCALAR_BINARY(Mul, "mul"),
    SCALAR_BINARY(Divu, "divu"),
    SCALAR_BINARY(Remu, "remu"),
    SCALAR_BINARY(Min, "min"),
    SCALAR_BINARY(Max, "max"),
    SCALAR_BINARY(And, "and"),
    SCALAR_BINARY(Or, "or"),
    SCALAR_BINARY(Xor, "xor"),
    SCALAR_BINARY(Shl, "shl"),
    SCALAR_BINARY(Shr, "shr"),
    {Opcode::Addi, "addi", Unit::Scalar, 2, R("rd", "ra"), 1, I("imm")},
    {Opcode::Muli, "muli", Unit::Scalar, 2, R("rd", "ra"), 1, I("imm")},
    {Opcode::Csrr, "csrr", Unit::Scalar, 1, R("rd"), 1, I("csr")},
    {Opcode::Ld, "ld", Unit::Scalar, 2, R("rd", "ra"), 1, I("off")},
    {Opcode::St, "st", Unit::Scalar, 2, R("rs", "ra"), 1, I("off")},
    BRANCH(Beq, "beq"),
    BRANCH(Bne, "bne"),
    BRANCH(Blt, "blt"),
    BRANCH(Bge, "bge"),
    {Opcode::Jmp, "jmp", Unit::Scalar, 0, R(), 1, I("target")},
    {Opcode::Mm, "mm", Unit::Matrix, 3, R("rc", "ra", "rb"), 8,
     I("m", "n", "k", "ldc", "lda", "ldb", "acc", "dt")},
    {Opcode::Vcvt, "vcvt", Unit::Vector, 2, R("rd", "ra"), 7,
     I("rows", "cols", "ldd", "lda", "dtd", "dta", "rnd")},
    VEC_BINARY(Vadd, "vadd"),
    VEC_BINARY(Vsub, "vsub"),
    VEC_BINARY(Vmul, "vmul"),
    VEC_BINARY(Vmax, "vmax"),
    VEC_BINARY(Vmin, "vmin"),
    {Opcode::Vrelu, "vrelu", Unit::Vector, 2, R("rd", "ra"), 6,
     I("rows", "cols", "ldd", "lda", "dtd", "dta")},
    {Opcode::Vfill, "vfill", Unit::Vector, 1, R("rd"), 5,
     I("rows", "cols", "ldd", "dtd", "bits")},
    {Opcode::DmaLd, "dma.ld", Unit::Dma, 2, R("rd", "ra"), 5,
     I("rows", "bytes", "dstride", "sstride", "sem")},
    {Opcode::DmaSt, "dma.st", Unit::Dma, 2, R("rd", "ra"), 5,
     I("rows", "bytes", "dstride", "sstride", "sem")},
    {Opcode::DmaPut, "dma.put", Unit::Dma, 3, R("rd", "ra", "rcore"), 5,
     I("rows", "bytes", "dstride", "sstride", "sem")},
    {Opcode::SemWait, "sem.wait", Unit::Sync, 0, R(), 2, I("sem", "count")},
    {Opcode::SemSignal, "sem.signal", Unit::Sync, 1, R("rcore"), 2,
     I("sem", "count")},
    {Opcode::Barrier, "barrier", Unit::Sync, 0, R(), 0, I()},
    {Opcode::Andi, "andi", Unit::Scalar, 2, R("rd", "ra"), 1, I("imm")},
    {Opcode::Ori, "ori", Unit::Scalar, 2, R("rd", "ra"), 1, I("imm")},
    {Opcode::Slli, "slli", Unit::Scalar, 2, R("rd", "ra"), 1, I("imm")},
    {Opcode::Srli, "srli", Unit::Scalar, 2, R("rd", "ra"), 1, I("imm")},
    {Opcode::Csrw, "csrw", Unit::Scalar, 1, R("rs"), 1, I("csr")},
    {Opcode::Tspawn, "tspawn", Unit::Scalar, 0, R(), 2, I("thread", "target")},
    {Opcode::Vfma, "vfma", Unit::Vector, 4, R("rd", "ra", "rb", "rc"), 8,
     I("rows", "cols", "ldd", "lda", "ldb", "ldc", "dtd", "dts")},
    VEC_BINARY(Vdiv, "vdiv"),
    {Opcode::Vcmp, "vcmp", Unit::Vector, 3, R("rd", "ra", "rb"), 8,
     I("rows", "cols", "ldd", "lda", "ldb", "dtd", "dts", "cmp")},
    {Opcode::Vsel, "vsel", Unit::Vector, 4, R("rd", "rm", "ra", "rb"), 8,
     I("rows", "cols", "ldd", "ldm", "lda", "ldb", "dtd", "dtm")},
    VEC_UNARY(Vexp, "vexp"),
    VEC_UNARY(Vlog, "vlog"),
    VEC_UNARY(Vsqrt, "vsqrt"),
    VEC_UNARY(Vrsqrt, "vrsqrt"),
    VEC_UNARY(Vtanh, "vtanh"),
    VEC_UNARY(Vrecip, "vrecip"),
    VEC_UNARY(Vabs, "vabs"),
    VEC_UNARY(Vneg, "vneg"),
    VEC_UNARY(Vtrans, "vtrans"),
    {Opcode::Vredsum, "vredsum", Unit::Vector, 2, R("rd", "ra"), 6,
     I("rows", "cols", "lda", "axis", "dtd", "dta")},
    {Opcode::Vredmax, "vredmax", Unit::Vector, 2, R("rd", "ra"), 6,
     I("rows", "cols", "lda", "axis", "dtd", "dta")},
    {Opcode::DmaMcast, "dma.mcast", Unit::Dma, 4, R("rd", "ra", "rrow", "rcol"),
     7, I("rows", "bytes", "dstride", "sstride", "sem", "height", "width")},
    VEC_UNARY(Verf, "verf"),
};
#undef R
#undef I
#undef VEC_BINARY
#undef VEC_UNARY
#undef SCALAR_BINARY
#undef BRANCH

constexpr size_t kNumOpcodes = static_cast<size_t>(Opcode::NumOpcodes);
static_assert(sizeof(kTable) / sizeof(kTable[0]) == kNumOpcodes,
              "opcode table out of sync with DOJO_OPCODES");

const char *kCsrNames[kNumCsrs] = {"coreid",      "ncores",      "row",
                                   "col",         "thread",      "cfp8_bias143",
                                   "cfp8_bias152", "cfp16_bias", "sr_seed",
                                   "edge_mask"};

bool isDtypeImm(const char *name) { return name[0] == 'd' && name[1] == 't'; }
bool isCsrImm(const char *name) { return std::strcmp(name, "csr") == 0; }

void putLE32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}
uint32_t getLE32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace((unsigned char)s.front()))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace((unsigned char)s.back()))
    s.remove_suffix(1);
  return s;
}
} // namespace

const char *isa::unitName(Unit u) {
  switch (u) {
  case Unit::Scalar:
    return "scalar";
  case Unit::Matrix:
    return "matrix";
  case Unit::Vector:
    return "vector";
  case Unit::Dma:
    return "dma";
  case Unit::Sync:
    return "sync";
  }
  return "?";
}

const char *isa::csrName(int32_t csr) {
  return csr >= 0 && csr < kNumCsrs ? kCsrNames[csr] : nullptr;
}

int OpcodeInfo::immIndex(std::string_view name) const {
  for (int i = 0; i < numImms; ++i)
    if (name == imms[i])
      return i;
  return -1;
}

const OpcodeInfo *isa::lookupOpcode(uint8_t raw) {
  if (raw >= kNumOpcodes)
    return nullptr;
  return &kTable[raw];
}

const OpcodeInfo &isa::info(Opcode op) {
  return kTable[static_cast<size_t>(op)];
}

const OpcodeInfo *isa::lookupMnemonic(std::string_view mnemonic) {
  for (const OpcodeInfo &i : kTable)
    if (mnemonic == i.mnemonic)
      return &i;
  return nullptr;
}

int32_t Instruction::imm(std::string_view name) const {
  int idx = getInfo().immIndex(name);
  return idx < 0 ? 0 : imms[idx];
}

void Instruction::setImm(std::string_view name, int32_t v) {
  int idx = getInfo().immIndex(name);
  if (idx >= 0)
    imms[idx] = v;
}

bool Instruction::operator==(const Instruction &o) const {
  return op == o.op && std::memcmp(regs, o.regs, sizeof(regs)) == 0 &&
         std::memcmp(imms, o.imms, sizeof(imms)) == 0;
}

void isa::encode(const Instruction &inst, uint8_t *out) {
  std::memset(out, 0, kInstBytes);
  out[0] = static_cast<uint8_t>(inst.op);
  for (int i = 0; i < kMaxRegOperands; ++i)
    out[2 + i] = inst.regs[i];
  for (int i = 0; i < kMaxImmOperands; ++i)
    putLE32(out + 8 + 4 * i, static_cast<uint32_t>(inst.imms[i]));
}

bool isa::decode(const uint8_t *in, Instruction &out, std::string &error) {
  const OpcodeInfo *oi = lookupOpcode(in[0]);
  if (!oi) {
    error = "unknown opcode 0x" + [&] {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "%02x", in[0]);
      return std::string(buf);
    }();
    return false;
  }
  if (in[1] != 0) {
    error = std::string("reserved byte is nonzero in '") + oi->mnemonic + "'";
    return false;
  }
  Instruction inst;
  inst.op = oi->opcode;
  for (int i = 0; i < kMaxRegOperands; ++i) {
    uint8_t r = in[2 + i];
    if (i >= oi->numRegs && r != 0) {
      error = std::string("unused register field ") + std::to_string(i) +
              " is nonzero in '" + oi->mnemonic + "'";
      return false;
    }
    if (r >= kNumRegs) {
      error = std::string("register r") + std::to_string(r) +
              " out of range in '" + oi->mnemonic + "'";
      return false;
    }
    inst.regs[i] = r;
  }
  for (int i = 0; i < kMaxImmOperands; ++i) {
    int32_t v = static_cast<int32_t>(getLE32(in + 8 + 4 * i));
    if (i >= oi->numImms && v != 0) {
      error = std::string("unused immediate field ") + std::to_string(i) +
              " is nonzero in '" + oi->mnemonic + "'";
      return false;
    }
    inst.imms[i] = v;
  }
  out = inst;
  return true;
}

std::string isa::print(const Instruction &inst) {
  const OpcodeInfo &oi = inst.getInfo();
  std::string s = oi.mnemonic;
  bool first = true;
  auto sep = [&] {
    s += first ? " " : ", ";
    first = false;
  };
  for (int i = 0; i < oi.numRegs; ++i) {
    sep();
    s += "r" + std::to_string(inst.regs[i]);
  }
  for (int i = 0; i < oi.numImms; ++i) {
    sep();
    s += oi.imms[i];
    s += "=";
    int32_t v = inst.imms[i];
    if (isDtypeImm(oi.imms[i]) && num::isDType(v))
      s += num::dtypeName(static_cast<num::DType>(v));
    else if (isCsrImm(oi.imms[i]) && csrName(v))
      s += csrName(v);
    else
      s += std::to_string(v);
  }
  return s;
}

bool isa::parse(std::string_view text, Instruction &out, std::string &error,
                const std::map<std::string, int32_t> *labels) {
  text = trim(text);
  size_t sp = text.find_first_of(" \t");
  std::string_view mnem = text.substr(0, sp);
  const OpcodeInfo *oi = lookupMnemonic(mnem);
  if (!oi) {
    error = "unknown mnemonic '" + std::string(mnem) + "'";
    return false;
  }
  Instruction inst;
  inst.op = oi->opcode;
  std::vector<std::string_view> operands;
  if (sp != std::string_view::npos) {
    std::string_view rest = text.substr(sp);
    while (true) {
      size_t comma = rest.find(',');
      std::string_view opnd = trim(rest.substr(0, comma));
      if (opnd.empty()) {
        error = "empty operand in '" + std::string(text) + "'";
        return false;
      }
      operands.push_back(opnd);
      if (comma == std::string_view::npos)
        break;
      rest = rest.substr(comma + 1);
    }
  }
  if ((int)operands.size() != oi->numRegs + oi->numImms) {
    error = std::string("'") + oi->mnemonic + "' takes " +
            std::to_string(oi->numRegs) + " register(s) and " +
            std::to_string(oi->numImms) + " immediate(s), got " +
            std::to_string(operands.size()) + " operand(s)";
    return false;
  }
  for (int i = 0; i < oi->numRegs; ++i) {
    std::string_view o = operands[i];
    if (o.size() < 2 || o[0] != 'r') {
      error = "expected register for operand '" + std::string(oi->regs[i]) +
              "', got '" + std::string(o) + "'";
      return false;
    }
    std::string digits(o.substr(1));
    bool allDigits = !digits.empty() && digits.size() <= 3;
    for (char ch : digits)
      allDigits = allDigits && std::isdigit((unsigned char)ch);
    long v = allDigits ? std::strtol(digits.c_str(), nullptr, 10) : -1;
    if (!allDigits || v < 0 || v >= kNumRegs) {
      error = "bad register '" + std::string(o) + "'";
      return false;
    }
    inst.regs[i] = static_cast<uint8_t>(v);
  }
  bool seen[kMaxImmOperands] = {};
  for (size_t j = oi->numRegs; j < operands.size(); ++j) {
    std::string_view o = operands[j];
    size_t eq = o.find('=');
    if (eq == std::string_view::npos) {
      error = "expected key=value, got '" + std::string(o) + "'";
      return false;
    }
    std::string key(trim(o.substr(0, eq)));
    std::string val(trim(o.substr(eq + 1)));
    int idx = oi->immIndex(key);
    if (idx < 0) {
      error = std::string("'") + oi->mnemonic + "' has no operand '" + key +
              "'";
      return false;
    }
    if (seen[idx]) {
      error = "operand '" + key + "' given twice";
      return false;
    }
    seen[idx] = true;
    num::DType dt;
    if (isDtypeImm(oi->imms[idx]) && num::parseDType(val.c_str(), dt)) {
      inst.imms[idx] = static_cast<int32_t>(dt);
      continue;
    }
    if (isCsrImm(oi->imms[idx])) {
      bool found = false;
      for (int c = 0; c < kNumCsrs; ++c)
        if (val == kCsrNames[c]) {
          inst.imms[idx] = c;
          found = true;
        }
      if (found)
        continue;
    }
    if (!val.empty() && val[0] == '@') {
      auto it = labels ? labels->find(val.substr(1)) : decltype(labels->end()){};
      if (!labels || it == labels->end()) {
        error = "undefined label '" + val.substr(1) + "'";
        return false;
      }
      inst.imms[idx] = it->second;
      continue;
    }
    errno = 0;
    char *end = nullptr;
    long long v = std::strtoll(val.c_str(), &end, 0);
    if (val.empty() || *end != '\0' || errno != 0 || v < INT32_MIN ||
        v > INT32_MAX) {
      error = "bad value '" + val + "' for '" + key + "'";
      return false;
    }
    inst.imms[idx] = static_cast<int32_t>(v);
  }
  out = inst;
  return true;
}
