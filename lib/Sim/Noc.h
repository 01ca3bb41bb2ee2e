//===- Noc.h - Network-on-chip model of the simulator (internal) -*- C++ -*-===//
//
// Directed links of the 2D mesh, XY routes, multicast trees and the fluid
// per-link reservation that gives serialization and contention between
// flows. Internal to lib/Sim; the public view is sim::LinkStats.
//
// Every router (row, col) owns kLinksPerRouter directed links:
//   0..3  out(dir): to the neighbour in direction dir (N, E, S, W); on the
//         mesh boundary the off-mesh direction is the port to edge memory;
//   4..7  fromEdge(dir): edge memory into the router (boundary routers only);
//   8     inject: the core's DMA engine into its router;
//   9     eject: the router into the core's SRAM.
// All links move noc_link_bpc bytes per cycle.
//
// See docs/isa.md section 6.3 for the rules implemented here.
//===----------------------------------------------------------------------===//

#ifndef DOJO_LIB_SIM_NOC_H
#define DOJO_LIB_SIM_NOC_H

#include "dojo/Sim/Simulator.h"
#include "dojo/Target/MachineDesc.h"

#include <cstdint>
#include <vector>

namespace dojo::sim::detail {

typedef unsigned __int128 u128;

enum Dir : int { North = 0, East = 1, South = 2, West = 3 };
constexpr int kLinksPerRouter = 10;
constexpr int kFromEdge = 4, kInject = 8, kEject = 9;

class Noc {
public:
  void init(const MachineDesc &m);
  void reset();

  uint32_t out(int64_t r, int64_t c, int dir) const {
    return uint32_t((r * cols + c) * kLinksPerRouter + dir);
  }
  uint32_t fromEdge(int64_t r, int64_t c, int dir) const {
    return uint32_t((r * cols + c) * kLinksPerRouter + kFromEdge + dir);
  }
  uint32_t inject(int64_t r, int64_t c) const {
    return uint32_t((r * cols + c) * kLinksPerRouter + kInject);
  }
  uint32_t eject(int64_t r, int64_t c) const {
    return uint32_t((r * cols + c) * kLinksPerRouter + kEject);
  }

  /// Appends the mesh links of the XY route (first along the row to the
  /// destination column, then along the column); returns the hop count.
  uint64_t xyPath(int64_t r0, int64_t c0, int64_t r1, int64_t c1,
                  std::vector<uint32_t> &path) const;
  /// The edge a core at (r, c) reaches edge memory through: the nearest
  /// of the edges in `mask` (bit d set: direction d allowed; ties: N, E,
  /// S, W). `mask` must have a bit of 0..3 set.
  int edgeDir(int64_t r, int64_t c, unsigned mask) const;
  /// Distance from (r, c) to the mesh boundary in direction `dir`.
  int64_t edgeDistance(int64_t r, int64_t c, int dir) const;
  /// Route between a core and the edge `edgeDir(r, c, mask)`: the straight
  /// line of mesh links plus the edge port, in the direction of the data
  /// (`toEdge`: core -> edge memory). Returns the hops (distance + 1).
  uint64_t edgePath(int64_t r, int64_t c, unsigned mask, bool toEdge,
                    std::vector<uint32_t> &path) const;

  /// Links of the XY multicast tree from (r0, c0) to `dests` (the union of
  /// the XY routes, each link once): the source's inject link, the row
  /// segment, one column segment per destination column, and each remote
  /// destination's eject link. A destination equal to the source needs no
  /// link. Returns the largest hop count to a destination.
  uint64_t mcastTree(int64_t r0, int64_t c0,
                     const std::vector<CoreCoord> &dests,
                     std::vector<uint32_t> &path) const;

  /// Reserves `wire` bytes on every link of `links` and, when `serverBw`
  /// is nonzero, `serverBytes` on the fluid server whose queue is `server`
  /// (bytes at serverBw bytes/cycle). Each resource is a fluid FIFO kept in
  /// bytes: the transfer starts on it at max(ready, its queue) and holds it
  /// for its bytes / bandwidth. Returns the cycle (rounded up) at which the
  /// last byte has left the most contended resource; at least
  /// ready + ceil(wire / link bandwidth) (the DMA engine's own rate).
  uint64_t reserve(const std::vector<uint32_t> &links, uint64_t ready,
                   uint64_t wire, u128 *server = nullptr,
                   uint64_t serverBw = 0, uint64_t serverBytes = 0);

  /// Links that carried bytes, in link id order.
  std::vector<LinkStats> linkStats() const;

  int64_t rows = 0, cols = 0;
  uint64_t linkBpc = 1;
  std::vector<u128> queue;     // per link: busy until queue / linkBpc
  std::vector<uint64_t> bytes; // per link: bytes carried (whole packets)
};

} // namespace dojo::sim::detail

#endif // DOJO_LIB_SIM_NOC_H
