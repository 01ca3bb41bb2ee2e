//===- ISA.h - The Dojo core instruction set ---------------------*- C++ -*-===//
//
// The single source of truth for opcodes, operand lists, encoding and the
// assembly syntax of one instruction. The compiler's emitter, the assembler,
// the disassembler and the simulator all go through this table. No MLIR.
//
// Encoding: every instruction is kInstBytes = 40 bytes, little endian:
//   byte 0      opcode
//   byte 1      reserved, must be 0
//   bytes 2..7  register operands r[0..5] (each < 32; unused ones must be 0)
//   bytes 8..39 immediates imm[0..7], int32 each (unused ones must be 0)
//
// Assembly: `mnemonic reg, reg, key=value, key=value` with registers `r0`..
// `r31` in table order followed by all immediates by name. Immediates named
// `dt*` print as dtype names (f32, bf16, i32, i8, cfp8_143, cfp8_152, cfp16,
// i16) and `csr` as a CSR name.
//
// See docs/isa.md for semantics and timing.
//===----------------------------------------------------------------------===//

#ifndef DOJO_ISA_ISA_H
#define DOJO_ISA_ISA_H

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dojo::isa {

constexpr int kNumRegs = 32;       // r0 reads as zero, writes are ignored
constexpr int kMaxRegOperands = 6;
constexpr int kMaxImmOperands = 8;
constexpr int kInstBytes = 40;

/// The functional unit that executes an instruction (decides timing).
enum class Unit : uint8_t { Scalar, Matrix, Vector, Dma, Sync };
const char *unitName(Unit u);

#define DOJO_OPCODES(X)                                                        \
  X(Nop, "nop")                                                                \
  X(Halt, "halt")                                                              \
  X(Li, "li")                                                                  \
  X(Mov, "mov")                                                                \
  X(Add, "add")                                                                \
  X(Sub, "sub")                                                                \
  X(Mul, "mul")                                                                \
  X(Divu, "divu")                                                              \
  X(Remu, "remu")                                                              \
  X(Min, "min")                                                                \
  X(Max, "max")                                                                \
  X(And, "and")                                                                \
  X(Or, "or")                                                                  \
  X(Xor, "xor")                                                                \
  X(Shl, "shl")                                                                \
  X(Shr, "shr")                                                                \
  X(Addi, "addi")                                                              \
  X(Muli, "muli")                                                              \
  X(Csrr, "csrr")                                                              \
  X(Ld, "ld")                                                                  \
  X(St, "st")                                                                  \
  X(Beq, "beq")                                                                \
  X(Bne, "bne")                                                                \
  X(Blt, "blt")                                                                \
  X(Bge, "bge")                                                                \
  X(Jmp, "jmp")                                                                \
  X(Mm, "mm")                                                                  \
  X(Vcvt, "vcvt")                                                              \
  X(Vadd, "vadd")                                                              \
  X(Vsub, "vsub")                                                              \
  X(Vmul, "vmul")                                                              \
  X(Vmax, "vmax")                                                              \
  X(Vmin, "vmin")                                                              \
  X(Vrelu, "vrelu")                                                            \
  X(Vfill, "vfill")                                                            \
  X(DmaLd, "dma.ld")                                                           \
  X(DmaSt, "dma.st")                                                           \
  X(DmaPut, "dma.put")                                                         \
  X(SemWait, "sem.wait")                                                       \
  X(SemSignal, "sem.signal")                                                   \
  X(Barrier, "barrier")                                                        \
  X(Andi, "andi")                                                              \
  X(Ori, "ori")                                                                \
  X(Slli, "slli")                                                              \
  X(Srli, "srli")                                                              \
  X(Csrw, "csrw")                                                              \
  X(Tspawn, "tspawn")                                                          \
  X(Vfma, "vfma")                                                              \
  X(Vdiv, "vdiv")                                                              \
  X(Vcmp, "vcmp")                                                              \
  X(Vsel, "vsel")                                                              \
  X(Vexp, "vexp")                                                              \
  X(Vlog, "vlog")                                                              \
  X(Vsqrt, "vsqrt")                                                            \
  X(Vrsqrt, "vrsqrt")                                                          \
  X(Vtanh, "vtanh")                                                            \
  X(Vrecip, "vrecip")                                                          \
  X(Vabs, "vabs")                                                              \
  X(Vneg, "vneg")                                                              \
  X(Vtrans, "vtrans")                                                          \
  X(Vredsum, "vredsum")                                                        \
  X(Vredmax, "vredmax")                                                        \
  X(DmaMcast, "dma.mcast")                                                     \
  X(Verf, "verf")

enum class Opcode : uint8_t {
#define DOJO_OPCODE_ENUM(E, M) E,
  DOJO_OPCODES(DOJO_OPCODE_ENUM)
#undef DOJO_OPCODE_ENUM
      NumOpcodes
};

/// Control and status registers readable with `csrr`.
enum class Csr : int32_t {
  CoreId = 0,   // logical core index within the program, 0..ncores-1
  NumCores = 1, // number of cores the program runs on
  Row = 2,      // physical mesh row
  Col = 3,      // physical mesh column
  Thread = 4,   // hardware thread id
  // Writable with `csrw` (0..4 are read-only):
  Cfp8Bias143 = 5, // exponent bias of CFP8 1-4-3 (6 bits, default 7)
  Cfp8Bias152 = 6, // exponent bias of CFP8 1-5-2 (6 bits, default 15)
  Cfp16Bias = 7,   // exponent bias of CFP16 1-5-10 (6 bits, default 15)
  SrSeed = 8,      // seed of the stochastic-rounding generator
  EdgeMask = 9,    // edges dma.ld / dma.st may use (bits N, E, S, W), 1..15
};
constexpr int kNumCsrs = 10;
/// Bits of CSR edge_mask, and its default: every edge, so the nearest one.
constexpr int64_t kEdgeN = 1, kEdgeE = 2, kEdgeS = 4, kEdgeW = 8;
constexpr int64_t kAllEdges = kEdgeN | kEdgeE | kEdgeS | kEdgeW;
constexpr int kFirstWritableCsr = 5;
const char *csrName(int32_t csr);

struct OpcodeInfo {
  Opcode opcode;
  const char *mnemonic;
  Unit unit;
  int numRegs;
  const char *regs[kMaxRegOperands];
  int numImms;
  const char *imms[kMaxImmOperands];

  /// Index of the immediate called `name`, or -1.
  int immIndex(std::string_view name) const;
};

/// Table entry for a raw opcode byte; nullptr if the byte is not an opcode.
const OpcodeInfo *lookupOpcode(uint8_t raw);
const OpcodeInfo &info(Opcode op);
/// Table entry for a mnemonic; nullptr if unknown.
const OpcodeInfo *lookupMnemonic(std::string_view mnemonic);

struct Instruction {
  Opcode op = Opcode::Nop;
  uint8_t regs[kMaxRegOperands] = {0, 0, 0, 0, 0, 0};
  int32_t imms[kMaxImmOperands] = {0, 0, 0, 0, 0, 0, 0, 0};

  const OpcodeInfo &getInfo() const { return info(op); }
  /// Immediate by name (asserts in debug if absent; returns 0 if absent).
  int32_t imm(std::string_view name) const;
  void setImm(std::string_view name, int32_t v);
  bool operator==(const Instruction &o) const;
  bool operator!=(const Instruction &o) const { return !(*this == o); }
};

/// Writes exactly kInstBytes bytes.
void encode(const Instruction &inst, uint8_t *out);
/// Decodes kInstBytes bytes. On an illegal encoding returns false and
/// describes it in `error` (unknown opcode, register out of range, nonzero
/// reserved or unused field).
bool decode(const uint8_t *in, Instruction &out, std::string &error);

/// Prints one instruction in assembly syntax (no trailing newline).
std::string print(const Instruction &inst);
/// Parses one instruction. Immediates may be integers, dtype/CSR names, or
/// `@label` when `labels` is given (resolved to the label's instruction
/// index). Returns false and sets `error` on malformed input.
bool parse(std::string_view text, Instruction &out, std::string &error,
           const std::map<std::string, int32_t> *labels = nullptr);

} // namespace dojo::isa

#endif // DOJO_ISA_ISA_H
