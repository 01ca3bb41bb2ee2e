//===- MachineDesc.h - Description of a D1-like machine ---------*- C++ -*-===//
//
// One description of the target machine feeds every pass and the simulator.
// It has no MLIR dependency: the simulator reads it from the program file and
// the compiler carries it in the IR as #dojo.target<...>.
//
// Text form (one line, space separated): `<preset> key=value key=value ...`
// where only fields that differ from the preset need to be listed, e.g.
//   d1
//   small sram_bytes=2097152 noc_link_bpc=32
//   tiny rows=3 cols=3 disabled=0:1,2:2
//
//===----------------------------------------------------------------------===//

#ifndef DOJO_TARGET_MACHINEDESC_H
#define DOJO_TARGET_MACHINEDESC_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dojo {

struct CoreCoord {
  int64_t row = 0;
  int64_t col = 0;
  bool operator==(const CoreCoord &o) const {
    return row == o.row && col == o.col;
  }
  bool operator<(const CoreCoord &o) const {
    return row < o.row || (row == o.row && col < o.col);
  }
};

/// Every number the compiler and the simulator use about the machine.
struct MachineDesc {
  std::string preset = "d1";
  // Mesh.
  int64_t rows = 18;
  int64_t cols = 20;
  std::vector<CoreCoord> disabled; // sorted, unique
  // Per core.
  int64_t clock_mhz = 2000;
  int64_t sram_bytes = 1310720;   // 1.25 MiB
  int64_t sram_load_bpc = 200;    // bytes/cycle
  int64_t sram_store_bpc = 135;   // bytes/cycle
  int64_t mac_per_cycle = 256;    // 8x8x4 matrix unit, BF16 in, FP32 acc
  int64_t matrix_latency = 8;     // cycles from last step to result in SRAM
  int64_t simd_bytes = 64;        // one 512-bit vector op per cycle
  int64_t vector_latency = 4;
  int64_t scalar_latency = 1;
  int64_t threads = 4;
  int64_t semaphores = 16;        // per core
  // Network on chip.
  int64_t noc_link_bpc = 64;      // bytes/cycle per link and direction
  int64_t noc_packet_bytes = 64;
  int64_t noc_hop_latency = 1;    // cycles per router hop
  int64_t dma_latency = 30;       // fixed DMA setup/completion cost
  int64_t barrier_latency = 20;   // release after the last arrival
  // Off-chip edge memory.
  int64_t edge_bpc = 2000;        // per chip edge: 4 TB/s at 2 GHz
  int64_t edges = 4;
  int64_t edge_latency = 200;     // cycles, DRAM access

  /// Named presets: tiny (2x2), small (4x4), d1 (18x20, 6 disabled).
  static bool getPreset(const std::string &name, MachineDesc &out);
  static std::vector<std::string> presetNames();

  /// Parses the text form. On failure returns false and sets `error`.
  static bool parse(const std::string &text, MachineDesc &out,
                    std::string &error);
  /// Sets one field by key from its text value; false with `error` if the
  /// key is unknown or the value malformed.
  bool set(const std::string &key, const std::string &value,
           std::string &error);
  /// Checks internal consistency (positive sizes, disabled cores in range).
  bool validate(std::string &error) const;

  /// All fields as (key, text value), in a fixed order.
  std::vector<std::pair<std::string, std::string>> fields() const;
  /// Fields that differ from `preset`'s values.
  std::vector<std::pair<std::string, std::string>> overrides() const;
  /// Text form: the preset name followed by the overrides.
  std::string str() const;

  bool isDisabled(int64_t row, int64_t col) const;
  int64_t numEnabledCores() const { return rows * cols - (int64_t)disabled.size(); }
  /// Enabled cores in row-major order.
  std::vector<CoreCoord> enabledCores() const;
  int64_t edgeBytesPerCycleTotal() const { return edge_bpc * edges; }

  bool operator==(const MachineDesc &o) const;
  bool operator!=(const MachineDesc &o) const { return !(*this == o); }
};

} // namespace dojo

#endif // DOJO_TARGET_MACHINEDESC_H
