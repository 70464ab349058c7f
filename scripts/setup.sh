#!/usr/bin/env bash
# One-command setup on Debian 12 with Node 20: system packages (when missing), npm packages, native addon,
# TypeScript. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
# libtorch (Debian's, 1.13, CPU) unless LIBTORCH names another one.
if [ -z "${LIBTORCH:-}" ] && [ ! -f /usr/include/ATen/ATen.h ]; then packages+=(libtorch-dev); fi
# Debian's libtorch calls BLAS for matmul and linear layers; the default reference BLAS runs a 2048^3 sgemm
# at 6 GFLOP/s on 2 cores, OpenBLAS (built for OpenMP, as libtorch is) at about 200.
if ! dpkg -s libopenblas0-openmp >/dev/null 2>&1; then packages+=(libopenblas0-openmp); fi
# PyTorch from Python, same libtorch: the benchmarks compare against it and the fixture scripts use it.
if ! /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null; then packages+=(python3-torch python3-torchvision); fi
# Headless Chromium renders report.html in the tests; DejaVu gives sharp's SVG text (box labels) a font.
if ! command -v chromium >/dev/null 2>&1; then packages+=(chromium); fi
if ! dpkg -s fonts-dejavu-core >/dev/null 2>&1; then packages+=(fonts-dejavu-core); fi

if [ ${#packages[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${packages[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

echo "setup: npm packages"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

echo "setup: native addon (libtorch: ${LIBTORCH:-Debian libtorch-dev})"
start=$(date +%s)
npm run --silent build:native > native/build.log 2>&1 || { tail -50 native/build.log; exit 1; }
echo "setup: addon built in $(( $(date +%s) - start )) s"

echo "setup: TypeScript"
npm run --silent build:ts
echo "setup: done. Try: npm test, npx shiftkit demo"
