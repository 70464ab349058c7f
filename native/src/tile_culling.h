// Which screen tiles camera rays must test each primitive in (raycast.cc): the primitive's bounding box is clipped
// to the near plane, projected, and its outline (convex hull) decides the tiles it covers. In float64, whatever the
// render dtype.
#pragma once
#include <cstdint>
#include <vector>

namespace shiftkit {

struct TileLayout {
  int64_t width, height, tileW, tileH, tilesX, tilesY;
};

// Per primitive p: outline[15 p ..] = the camera-frame matrix A (local -> camera, row-major; its columns are the
// half-axes), the centre, and the local half-extents of the bounding box (a plane's thickness is 0); scene[p] picks
// its intrinsics K[4 scene ..] = (fx, fy, cx, cy). Tiles are numbered scene * tilesX * tilesY + row * tilesX + col.
// Returns the jobs grouped by tile: tile t tests prims[start[t] .. start[t + 1]).
void cullTiles(const double* outline, const int32_t* scene, int64_t P, const double* K, int64_t scenes, const TileLayout& g,
               double near, std::vector<int64_t>& start, std::vector<int32_t>& prims);

}  // namespace shiftkit
