//===- MachineDescTest.cpp - Machine description tests -------------------===//

#include "dojo/Target/MachineDesc.h"

#include "gtest/gtest.h"

using namespace dojo;

namespace {

MachineDesc mustParse(const std::string &text) {
  MachineDesc m;
  std::string err;
  EXPECT_TRUE(MachineDesc::parse(text, m, err)) << text << ": " << err;
  return m;
}

std::string parseError(const std::string &text) {
  MachineDesc m;
  std::string err;
  EXPECT_FALSE(MachineDesc::parse(text, m, err)) << text;
  return err;
}

TEST(MachineDesc, Presets) {
  MachineDesc m;
  ASSERT_TRUE(MachineDesc::getPreset("tiny", m));
  EXPECT_EQ(m.rows, 2);
  EXPECT_EQ(m.cols, 2);
  EXPECT_EQ(m.numEnabledCores(), 4);
  ASSERT_TRUE(MachineDesc::getPreset("small", m));
  EXPECT_EQ(m.numEnabledCores(), 16);
  ASSERT_TRUE(MachineDesc::getPreset("d1", m));
  EXPECT_EQ(m.rows, 18);
  EXPECT_EQ(m.cols, 20);
  EXPECT_EQ(m.numEnabledCores(), 354);
  EXPECT_EQ(m.sram_bytes, 1310720);
  EXPECT_EQ(m.mac_per_cycle, 256);
  EXPECT_EQ(m.edgeBytesPerCycleTotal(), m.edge_bpc * m.edges);
  EXPECT_FALSE(MachineDesc::getPreset("huge", m));
  for (const std::string &name : MachineDesc::presetNames()) {
    ASSERT_TRUE(MachineDesc::getPreset(name, m));
    std::string err;
    EXPECT_TRUE(m.validate(err)) << name << ": " << err;
    EXPECT_EQ(m.str(), name);
  }
}

TEST(MachineDesc, EnabledCores) {
  MachineDesc m;
  ASSERT_TRUE(MachineDesc::getPreset("d1", m));
  std::vector<CoreCoord> cores = m.enabledCores();
  ASSERT_EQ((int64_t)cores.size(), m.numEnabledCores());
  EXPECT_TRUE(m.isDisabled(0, 19));
  EXPECT_FALSE(m.isDisabled(0, 18));
  for (size_t i = 1; i < cores.size(); ++i)
    EXPECT_TRUE(cores[i - 1] < cores[i]);
  for (const CoreCoord &c : cores)
    EXPECT_FALSE(m.isDisabled(c.row, c.col));
}

TEST(MachineDesc, ParsePrintRoundTrip) {
  for (const char *text :
       {"d1", "tiny", "small", "small sram_bytes=2097152 noc_link_bpc=32",
        "tiny rows=3 cols=3 disabled=0:1,2:2", "d1 disabled=none",
        "small edge_latency=0 dma_latency=0 noc_hop_latency=0",
        "tiny clock_mhz=1000 semaphores=4 threads=2 edges=1"}) {
    MachineDesc m = mustParse(text);
    MachineDesc back = mustParse(m.str());
    EXPECT_EQ(m, back) << text << " -> " << m.str();
    EXPECT_EQ(back.str(), m.str());
  }
  MachineDesc m = mustParse("tiny rows=3 cols=3 disabled=2:2,0:1,0:1");
  EXPECT_EQ(m.disabled.size(), 2u); // sorted and deduplicated
  EXPECT_EQ(m.str(), "tiny rows=3 cols=3 disabled=0:1,2:2");
  EXPECT_EQ(m.numEnabledCores(), 7);
  // Overrides differ from the preset; fields() lists everything.
  MachineDesc s = mustParse("small noc_link_bpc=32");
  ASSERT_EQ(s.overrides().size(), 1u);
  EXPECT_EQ(s.overrides()[0].first, "noc_link_bpc");
  EXPECT_EQ(s.fields().size(), 22u);
  EXPECT_NE(s, mustParse("small"));
  // Hex values are accepted.
  EXPECT_EQ(mustParse("tiny sram_bytes=0x100000").sram_bytes, 0x100000);
}

TEST(MachineDesc, BadInput) {
  EXPECT_NE(parseError("").find("empty"), std::string::npos);
  EXPECT_NE(parseError("giant").find("unknown preset 'giant'"),
            std::string::npos);
  EXPECT_NE(parseError("tiny foo=3").find("unknown machine parameter 'foo'"),
            std::string::npos);
  EXPECT_NE(parseError("tiny rows").find("expected key=value"),
            std::string::npos);
  EXPECT_NE(parseError("tiny rows=abc").find("malformed integer 'abc'"),
            std::string::npos);
  EXPECT_NE(parseError("tiny rows=3x").find("malformed integer"),
            std::string::npos);
  EXPECT_NE(parseError("tiny rows=0").find("'rows' must be at least 1"),
            std::string::npos);
  EXPECT_NE(parseError("tiny sram_bytes=8").find("at least 64"),
            std::string::npos);
  EXPECT_NE(parseError("tiny dma_latency=-1").find("at least 0"),
            std::string::npos);
  EXPECT_NE(parseError("tiny disabled=5:5").find("outside the 2x2 mesh"),
            std::string::npos);
  EXPECT_NE(parseError("tiny disabled=1-1").find("malformed disabled core"),
            std::string::npos);
  EXPECT_NE(parseError("tiny disabled=0:0,0:1,1:0,1:1").find("every core"),
            std::string::npos);
  EXPECT_NE(parseError("tiny rows=5000").find("4096"), std::string::npos);
  // Huge values would overflow cycle and address arithmetic.
  EXPECT_NE(parseError("tiny edge_latency=9223372036854775807")
                .find("'edge_latency' must be at most"),
            std::string::npos);
  EXPECT_NE(parseError("tiny rows=4611686018427387904 cols=4")
                .find("'rows' must be at most"),
            std::string::npos);
  EXPECT_NE(parseError("tiny rows=99999999999999999999").find("malformed"),
            std::string::npos);
}

TEST(MachineDesc, SetAndValidate) {
  MachineDesc m;
  std::string err;
  ASSERT_TRUE(MachineDesc::getPreset("small", m));
  EXPECT_TRUE(m.set("noc_link_bpc", "16", err));
  EXPECT_EQ(m.noc_link_bpc, 16);
  EXPECT_FALSE(m.set("nope", "1", err));
  EXPECT_EQ(err, "unknown machine parameter 'nope'");
  m.simd_bytes = 0; // bypassing set(): validate() catches it
  EXPECT_FALSE(m.validate(err));
  EXPECT_NE(err.find("simd_bytes"), std::string::npos);
}

} // namespace
