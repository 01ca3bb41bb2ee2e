//===- ISATest.cpp - Opcode table, encoding and assembly syntax -----------===//

#include "dojo/ISA/ISA.h"
#include "dojo/ISA/Numerics.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace dojo;
using namespace dojo::isa;

namespace {

constexpr int kNumOps = static_cast<int>(Opcode::NumOpcodes);

bool isDtypeName(const char *n) { return n[0] == 'd' && n[1] == 't'; }

/// An instruction of opcode `op` whose operands are all distinct.
Instruction sample(Opcode op, int salt) {
  Instruction inst;
  inst.op = op;
  const OpcodeInfo &oi = info(op);
  for (int i = 0; i < oi.numRegs; ++i)
    inst.regs[i] = uint8_t((salt * 7 + i * 5 + 1) % kNumRegs);
  for (int i = 0; i < oi.numImms; ++i) {
    const char *n = oi.imms[i];
    if (isDtypeName(n))
      inst.imms[i] = (salt + i) % num::kNumDTypes;
    else if (std::strcmp(n, "csr") == 0)
      inst.imms[i] = salt % kNumCsrs;
    else
      inst.imms[i] = (i % 2 ? -1 : 1) * (1000 * (salt + 1) + 17 * i + 3);
  }
  return inst;
}

TEST(ISA, TableIsInEnumOrder) {
  for (int i = 0; i < kNumOps; ++i) {
    const OpcodeInfo *oi = lookupOpcode(uint8_t(i));
    ASSERT_NE(oi, nullptr) << i;
    EXPECT_EQ(static_cast<int>(oi->opcode), i) << oi->mnemonic;
    EXPECT_EQ(&info(oi->opcode), oi);
    EXPECT_EQ(lookupMnemonic(oi->mnemonic), oi);
    EXPECT_LE(oi->numRegs, kMaxRegOperands);
    EXPECT_LE(oi->numImms, kMaxImmOperands);
    for (int j = 0; j < oi->numImms; ++j)
      EXPECT_EQ(oi->immIndex(oi->imms[j]), j);
    EXPECT_EQ(oi->immIndex("no-such-operand"), -1);
  }
  EXPECT_EQ(lookupOpcode(uint8_t(kNumOps)), nullptr);
  EXPECT_EQ(lookupOpcode(0xff), nullptr);
  EXPECT_EQ(lookupMnemonic("frobnicate"), nullptr);
}

// The simulator reads immediates by position; pin the layout it relies on.
TEST(ISA, OperandLayout) {
  const OpcodeInfo &mm = info(Opcode::Mm);
  const char *mmImms[] = {"m", "n", "k", "ldc", "lda", "ldb", "acc", "dt"};
  for (int i = 0; i < 8; ++i)
    EXPECT_STREQ(mm.imms[i], mmImms[i]);
  EXPECT_STREQ(info(Opcode::Vcvt).imms[6], "rnd");
  const char *fma[] = {"rows", "cols", "ldd", "lda", "ldb", "ldc", "dtd", "dts"};
  for (int i = 0; i < 8; ++i)
    EXPECT_STREQ(info(Opcode::Vfma).imms[i], fma[i]);
  const char *cmp[] = {"rows", "cols", "ldd", "lda", "ldb", "dtd", "dts", "cmp"};
  for (int i = 0; i < 8; ++i)
    EXPECT_STREQ(info(Opcode::Vcmp).imms[i], cmp[i]);
  const char *sel[] = {"rows", "cols", "ldd", "ldm", "lda", "ldb", "dtd", "dtm"};
  for (int i = 0; i < 8; ++i)
    EXPECT_STREQ(info(Opcode::Vsel).imms[i], sel[i]);
  const char *red[] = {"rows", "cols", "lda", "axis", "dtd", "dta"};
  for (Opcode op : {Opcode::Vredsum, Opcode::Vredmax})
    for (int i = 0; i < 6; ++i)
      EXPECT_STREQ(info(op).imms[i], red[i]);
  EXPECT_STREQ(info(Opcode::Csrw).imms[0], "csr");
  for (Opcode op : {Opcode::Andi, Opcode::Ori, Opcode::Slli, Opcode::Srli})
    EXPECT_STREQ(info(op).imms[0], "imm");
  const char *vb[] = {"rows", "cols", "ldd", "lda", "ldb", "dtd", "dta", "dtb"};
  for (Opcode op : {Opcode::Vadd, Opcode::Vsub, Opcode::Vmul, Opcode::Vmax,
                    Opcode::Vmin, Opcode::Vdiv})
    for (int i = 0; i < 8; ++i)
      EXPECT_STREQ(info(op).imms[i], vb[i]);
  const char *vu[] = {"rows", "cols", "ldd", "lda", "dtd", "dta"};
  for (Opcode op : {Opcode::Vcvt, Opcode::Vrelu, Opcode::Vexp, Opcode::Vlog,
                    Opcode::Vsqrt, Opcode::Vrsqrt, Opcode::Vtanh,
                    Opcode::Vrecip, Opcode::Vabs, Opcode::Vneg, Opcode::Vtrans,
                    Opcode::Verf})
    for (int i = 0; i < 6; ++i)
      EXPECT_STREQ(info(op).imms[i], vu[i]);
  const char *vf[] = {"rows", "cols", "ldd", "dtd", "bits"};
  for (int i = 0; i < 5; ++i)
    EXPECT_STREQ(info(Opcode::Vfill).imms[i], vf[i]);
  const char *dma[] = {"rows", "bytes", "dstride", "sstride", "sem"};
  for (Opcode op : {Opcode::DmaLd, Opcode::DmaSt, Opcode::DmaPut})
    for (int i = 0; i < 5; ++i)
      EXPECT_STREQ(info(op).imms[i], dma[i]);
  EXPECT_STREQ(info(Opcode::SemWait).imms[0], "sem");
  EXPECT_STREQ(info(Opcode::SemWait).imms[1], "count");
  EXPECT_STREQ(info(Opcode::SemSignal).imms[0], "sem");
  EXPECT_STREQ(info(Opcode::SemSignal).imms[1], "count");
  EXPECT_STREQ(info(Opcode::Ld).imms[0], "off");
  EXPECT_STREQ(info(Opcode::Beq).imms[0], "target");
  EXPECT_STREQ(info(Opcode::Jmp).imms[0], "target");
  EXPECT_EQ(info(Opcode::Mm).unit, Unit::Matrix);
  EXPECT_EQ(info(Opcode::Vadd).unit, Unit::Vector);
  EXPECT_EQ(info(Opcode::DmaPut).unit, Unit::Dma);
  EXPECT_EQ(info(Opcode::Barrier).unit, Unit::Sync);
  EXPECT_EQ(info(Opcode::Add).unit, Unit::Scalar);
  EXPECT_STREQ(unitName(Unit::Matrix), "matrix");
}

TEST(ISA, EveryOpcodeRoundTrips) {
  for (int o = 0; o < kNumOps; ++o) {
    for (int salt = 0; salt < 6; ++salt) {
      Instruction inst = sample(static_cast<Opcode>(o), salt);
      uint8_t buf[kInstBytes];
      encode(inst, buf);
      EXPECT_EQ(buf[0], o);
      EXPECT_EQ(buf[1], 0);
      Instruction dec;
      std::string err;
      ASSERT_TRUE(decode(buf, dec, err))
          << info(inst.op).mnemonic << ": " << err;
      EXPECT_EQ(dec, inst);
      std::string text = print(dec);
      Instruction parsed;
      ASSERT_TRUE(parse(text, parsed, err)) << text << ": " << err;
      EXPECT_EQ(parsed, inst) << text;
      EXPECT_EQ(print(parsed), text);
      uint8_t buf2[kInstBytes];
      encode(parsed, buf2);
      EXPECT_EQ(std::memcmp(buf, buf2, kInstBytes), 0) << text;
    }
  }
}

TEST(ISA, PrintSyntax) {
  Instruction mm;
  mm.op = Opcode::Mm;
  mm.regs[0] = 3;
  mm.regs[1] = 4;
  mm.regs[2] = 5;
  mm.setImm("m", 8);
  mm.setImm("n", 16);
  mm.setImm("k", 32);
  mm.setImm("ldc", 16);
  mm.setImm("lda", 32);
  mm.setImm("ldb", 16);
  mm.setImm("dt", int32_t(num::DType::CFP8_152));
  EXPECT_EQ(print(mm), "mm r3, r4, r5, m=8, n=16, k=32, ldc=16, lda=32, "
                       "ldb=16, acc=0, dt=cfp8_152");
  EXPECT_EQ(mm.imm("k"), 32);
  EXPECT_EQ(mm.imm("nope"), 0);
  Instruction cs;
  cs.op = Opcode::Csrr;
  cs.regs[0] = 1;
  cs.setImm("csr", int32_t(Csr::NumCores));
  EXPECT_EQ(print(cs), "csrr r1, csr=ncores");
  cs.setImm("csr", 99); // out of range prints numerically and still parses
  EXPECT_EQ(print(cs), "csrr r1, csr=99");
  Instruction v;
  v.op = Opcode::Vcvt;
  v.setImm("dtd", 1);
  v.setImm("dta", 9);
  EXPECT_EQ(print(v), "vcvt r0, r0, rows=0, cols=0, ldd=0, lda=0, dtd=bf16, "
                      "dta=9, rnd=0");
  Instruction back;
  std::string err;
  ASSERT_TRUE(parse(print(v), back, err)) << err;
  EXPECT_EQ(back, v);
  EXPECT_STREQ(csrName(0), "coreid");
  EXPECT_EQ(csrName(kNumCsrs), nullptr);
  Instruction h;
  h.op = Opcode::Halt;
  EXPECT_EQ(print(h), "halt");
}

TEST(ISA, ParseAcceptsVariants) {
  Instruction inst;
  std::string err;
  // Immediates by name in any order, hex values, extra spaces.
  ASSERT_TRUE(parse("  dma.ld  r1 ,r2, sem=3, rows=0x10, bytes=64, "
                    "sstride=64, dstride=128  ",
                    inst, err))
      << err;
  EXPECT_EQ(inst.op, Opcode::DmaLd);
  EXPECT_EQ(inst.regs[0], 1);
  EXPECT_EQ(inst.regs[1], 2);
  EXPECT_EQ(inst.imm("rows"), 16);
  EXPECT_EQ(inst.imm("dstride"), 128);
  EXPECT_EQ(inst.imm("sem"), 3);
  std::map<std::string, int32_t> labels = {{"loop", 7}};
  ASSERT_TRUE(parse("bne r1, r2, target=@loop", inst, err, &labels)) << err;
  EXPECT_EQ(inst.imm("target"), 7);
  ASSERT_TRUE(parse("li r1, value=-2147483648", inst, err)) << err;
  EXPECT_EQ(inst.imms[0], INT32_MIN);
  ASSERT_TRUE(parse("csrr r31, csr=coreid", inst, err)) << err;
  EXPECT_EQ(inst.regs[0], 31);
  ASSERT_TRUE(parse("vfill r2, rows=1, cols=4, ldd=4, dtd=f32, bits=0x3f800000",
                    inst, err))
      << err;
  EXPECT_EQ(num::bitsF32(uint32_t(inst.imm("bits"))), 1.0f);
}

TEST(ISA, ParseErrors) {
  Instruction inst;
  std::string err;
  auto fails = [&](const std::string &text, const std::string &want) {
    err.clear();
    EXPECT_FALSE(parse(text, inst, err)) << text;
    EXPECT_NE(err.find(want), std::string::npos)
        << text << " gave '" << err << "', expected '" << want << "'";
  };
  fails("foo r1", "unknown mnemonic 'foo'");
  fails("add r1, r2", "'add' takes 3 register(s) and 0 immediate(s), got 2");
  fails("add r1, r2, r3, r4", "got 4 operand(s)");
  fails("add r1, r2, r32", "bad register 'r32'");
  fails("add r1, r2, r-1", "bad register");
  fails("add r1, r2, r 3", "bad register");
  fails("add r1, r2, r+3", "bad register");
  fails("add r1, r2, x3", "expected register");
  fails("add r1, , r3", "empty operand");
  fails("li r1, 5", "expected key=value");
  fails("li r1, val=5", "'li' has no operand 'val'");
  fails("li r1, value=abc", "bad value 'abc'");
  fails("li r1, value=2147483648", "bad value");
  fails("li r1, value=", "bad value");
  fails("jmp target=@nowhere", "undefined label 'nowhere'");
  fails("sem.wait sem=1, sem=2", "given twice");
  fails("vcvt r1, r2, rows=1, cols=1, ldd=1, lda=1, dtd=f64, dta=f32, rnd=0",
        "bad value 'f64'");
  fails("csrr r1, csr=pc", "bad value 'pc'");
}

TEST(ISA, DecodeRejectsIllegalEncodings) {
  Instruction inst;
  std::string err;
  uint8_t buf[kInstBytes];
  Instruction add = sample(Opcode::Add, 1);
  encode(add, buf);
  ASSERT_TRUE(decode(buf, inst, err)) << err;

  uint8_t bad[kInstBytes];
  std::memcpy(bad, buf, kInstBytes);
  bad[0] = uint8_t(kNumOps);
  EXPECT_FALSE(decode(bad, inst, err));
  EXPECT_NE(err.find("unknown opcode 0x"), std::string::npos) << err;
  bad[0] = 0xff;
  EXPECT_FALSE(decode(bad, inst, err));
  EXPECT_NE(err.find("0xff"), std::string::npos) << err;

  std::memcpy(bad, buf, kInstBytes);
  bad[1] = 1;
  EXPECT_FALSE(decode(bad, inst, err));
  EXPECT_NE(err.find("reserved"), std::string::npos) << err;

  std::memcpy(bad, buf, kInstBytes);
  bad[2] = 32;
  EXPECT_FALSE(decode(bad, inst, err));
  EXPECT_NE(err.find("register r32 out of range"), std::string::npos) << err;

  std::memcpy(bad, buf, kInstBytes);
  bad[2 + 3] = 1; // add uses 3 registers
  EXPECT_FALSE(decode(bad, inst, err));
  EXPECT_NE(err.find("unused register field 3"), std::string::npos) << err;

  std::memcpy(bad, buf, kInstBytes);
  bad[8] = 1; // add has no immediates
  EXPECT_FALSE(decode(bad, inst, err));
  EXPECT_NE(err.find("unused immediate field 0"), std::string::npos) << err;

  // Every opcode rejects a nonzero value in each of its unused fields.
  for (int o = 0; o < kNumOps; ++o) {
    const OpcodeInfo &oi = info(static_cast<Opcode>(o));
    Instruction s = sample(oi.opcode, 2);
    encode(s, buf);
    for (int r = oi.numRegs; r < kMaxRegOperands; ++r) {
      std::memcpy(bad, buf, kInstBytes);
      bad[2 + r] = 7;
      EXPECT_FALSE(decode(bad, inst, err)) << oi.mnemonic << " reg " << r;
    }
    for (int i = oi.numImms; i < kMaxImmOperands; ++i) {
      std::memcpy(bad, buf, kInstBytes);
      bad[8 + 4 * i + 3] = 0x80;
      EXPECT_FALSE(decode(bad, inst, err)) << oi.mnemonic << " imm " << i;
    }
  }
}

} // namespace
