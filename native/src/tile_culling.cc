#include "tile_culling.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace shiftkit {
namespace {

// The 12 edges of a box as pairs of corner indices (corner bit k = sign of axis k).
constexpr int kEdges[24] = {0, 1, 2, 3, 4, 5, 6, 7, 0, 2, 1, 3, 4, 6, 5, 7, 0, 4, 1, 5, 2, 6, 3, 7};

struct Outline {
  double u[20], v[20];  // up to 8 corners + 12 edge crossings
  int n = 0;
  int hull[42];
  int h = 0;
};

// Projects the primitive's bounding box clipped to z >= near; returns the number of points.
int project(const double* p, const double* K, double near, Outline& o) {
  const double *A = p, *c = p + 9, *e = p + 12;
  double corner[8][3];
  int kept = 0;
  for (int k = 0; k < 8; k++) {
    const double lx = (k & 1 ? 1 : -1) * e[0], ly = (k & 2 ? 1 : -1) * e[1], lz = (k & 4 ? 1 : -1) * e[2];
    for (int r = 0; r < 3; r++) corner[k][r] = c[r] + A[3 * r] * lx + A[3 * r + 1] * ly + A[3 * r + 2] * lz;
    if (corner[k][2] >= near) kept++;
  }
  o.n = 0;
  auto put = [&](double x, double y, double z) {
    o.u[o.n] = K[0] * (x / z) + K[2];
    o.v[o.n] = K[1] * (y / z) + K[3];
    o.n++;
  };
  for (int k = 0; k < 8; k++) {
    if (corner[k][2] >= near) put(corner[k][0], corner[k][1], corner[k][2]);
  }
  if (kept == 8 || kept == 0) return o.n;
  // Crossing the near plane: the clipped polytope's vertices are the kept corners plus the edge crossings.
  for (int i = 0; i < 24; i += 2) {
    const double *a = corner[kEdges[i]], *b = corner[kEdges[i + 1]];
    const double za = a[2] - near, zb = b[2] - near;
    if (za * zb < 0) {
      const double s = za / (za - zb);
      put(a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1]), near);
    }
  }
  return o.n;
}

// Convex hull of the points by the monotone chain, counter-clockwise, into o.hull; returns its size.
int hull(Outline& o) {
  int order[20];
  for (int i = 0; i < o.n; i++) order[i] = i;
  std::stable_sort(order, order + o.n, [&](int a, int b) { return o.u[a] < o.u[b] || (o.u[a] == o.u[b] && o.v[a] < o.v[b]); });
  auto cross = [&](int q, int a, int b) {
    return (o.u[a] - o.u[q]) * (o.v[b] - o.v[q]) - (o.v[a] - o.v[q]) * (o.u[b] - o.u[q]);
  };
  int h = 0;
  for (int pass = 0; pass < 2; pass++) {
    const int start = h;
    for (int i = 0; i < o.n; i++) {
      const int q = order[pass == 0 ? i : o.n - 1 - i];
      while (h >= start + 2 && cross(o.hull[h - 2], o.hull[h - 1], q) <= 0) h--;
      o.hull[h++] = q;
    }
    h--;
  }
  return o.h = h;
}

// The u extent of the hull within the band y0 <= v <= y1; false if it misses the band.
bool bandExtent(const Outline& o, double y0, double y1, double& lo, double& hi) {
  lo = std::numeric_limits<double>::infinity();
  hi = -lo;
  for (int i = 0; i < o.h; i++) {
    const int a = o.hull[i], b = o.hull[(i + 1) % o.h];
    const double ax = o.u[a], ay = o.v[a], bx = o.u[b], by = o.v[b];
    if (ay >= y0 && ay <= y1) {
      lo = std::min(lo, ax);
      hi = std::max(hi, ax);
    }
    for (const double y : {y0, y1}) {
      if ((ay - y) * (by - y) < 0) {
        const double x = ax + ((y - ay) / (by - ay)) * (bx - ax);
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    }
  }
  return lo <= hi;
}

// The tiles whose pixel centres, one pixel wider, reach [lo, hi] (in pixels) along one axis.
void pixelsToTiles(double lo, double hi, int64_t max, int64_t size, int64_t& first, int64_t& last) {
  first = static_cast<int64_t>(std::floor(std::max(0.0, std::ceil(lo) - 1) / static_cast<double>(size)));
  last = static_cast<int64_t>(std::floor(std::min(static_cast<double>(max - 1), std::floor(hi) + 1) / static_cast<double>(size)));
}

}  // namespace

void cullTiles(const double* outline, const int32_t* scene, int64_t P, const double* K, int64_t scenes, const TileLayout& g,
               double near, std::vector<int64_t>& start, std::vector<int32_t>& prims) {
  const int64_t tiles = g.tilesX * g.tilesY;
  std::vector<std::pair<int64_t, int32_t>> jobs;
  Outline o;
  for (int64_t p = 0; p < P; p++) {
    const double* k = K + 4 * scene[p];
    if (project(outline + 15 * p, k, near, o) == 0) continue;
    double u0 = std::numeric_limits<double>::infinity(), u1 = -u0, v0 = u0, v1 = -u0;
    for (int i = 0; i < o.n; i++) {
      u0 = std::min(u0, o.u[i]);
      u1 = std::max(u1, o.u[i]);
      v0 = std::min(v0, o.v[i]);
      v1 = std::max(v1, o.v[i]);
    }
    if (u1 < -1 || v1 < -1 || u0 > static_cast<double>(g.width) || v0 > static_cast<double>(g.height)) continue;
    int64_t tx0, tx1, ty0, ty1;
    pixelsToTiles(u0, u1, g.width, g.tileW, tx0, tx1);
    pixelsToTiles(v0, v1, g.height, g.tileH, ty0, ty1);
    const int64_t base = scene[p] * tiles;
    // Small footprints take their whole rectangle; larger ones follow the outline row by row of tiles.
    o.h = 0;
    if ((tx1 - tx0 + 1) * (ty1 - ty0 + 1) > 4 && o.n >= 3) hull(o);
    for (int64_t ty = ty0; ty <= ty1; ty++) {
      int64_t from = tx0, to = tx1;
      if (o.h >= 3) {
        double lo, hi;
        if (!bandExtent(o, static_cast<double>(ty * g.tileH - 1), static_cast<double>((ty + 1) * g.tileH), lo, hi)) continue;
        pixelsToTiles(lo, hi, g.width, g.tileW, from, to);
      }
      for (int64_t tx = from; tx <= to; tx++) jobs.emplace_back(base + ty * g.tilesX + tx, static_cast<int32_t>(p));
    }
  }
  // Counting sort by tile.
  start.assign(scenes * tiles + 1, 0);
  for (const auto& j : jobs) start[j.first + 1]++;
  for (int64_t t = 0; t < scenes * tiles; t++) start[t + 1] += start[t];
  prims.resize(jobs.size());
  std::vector<int64_t> fill(start.begin(), start.end() - 1);
  for (const auto& j : jobs) prims[fill[j.first]++] = j.second;
}

}  // namespace shiftkit
