// Prints the compiler and linker settings for the libtorch that the addon builds against:
// Debian's libtorch-dev by default, or the folder named by LIBTORCH (a CUDA build, a PyTorch wheel's).
'use strict';
const fs = require('fs');
const path = require('path');

const root = process.env.LIBTORCH;
const what = process.argv[2];

function cxx11Abi() {
  // PyTorch wheels before 2.x (and some after) are built with the old C++ ABI; mixing ABIs fails at link time.
  const cfg = path.join(root, 'share/cmake/Torch/TorchConfig.cmake');
  const text = fs.existsSync(cfg) ? fs.readFileSync(cfg, 'utf8') : '';
  const m = text.match(/_GLIBCXX_USE_CXX11_ABI=([01])/);
  return m ? m[1] : '1';
}

function libs(dir) {
  const names = ['c10', 'torch_cpu', 'torch'];
  for (const extra of ['c10_cuda', 'torch_cuda']) {
    if (fs.existsSync(path.join(dir, `lib${extra}.so`))) names.push(extra);
  }
  return names.map((n) => `-l${n}`);
}

const debian = { include: ['/usr/include', '/usr/include/torch/csrc/api/include'], lib: '/usr/lib/x86_64-linux-gnu' };
const cfg = root
  ? { include: [path.join(root, 'include'), path.join(root, 'include/torch/csrc/api/include')], lib: path.join(root, 'lib') }
  : debian;

if (root && !fs.existsSync(path.join(root, 'include/ATen/ATen.h'))) {
  console.error(`LIBTORCH=${root} does not look like a libtorch folder (no include/ATen/ATen.h)`);
  process.exit(1);
}
if (!root && !fs.existsSync('/usr/include/ATen/ATen.h')) {
  console.error('libtorch headers not found: run `npm run setup` (installs Debian libtorch-dev) or set LIBTORCH');
  process.exit(1);
}

switch (what) {
  case 'include': console.log(cfg.include.join(' ')); break;
  case 'defines': console.log(`_GLIBCXX_USE_CXX11_ABI=${root ? cxx11Abi() : '1'}`); break;
  // --no-as-needed keeps libtorch_cuda linked although no symbol of it is referenced: without it a CUDA
  // libtorch reports no GPU because its CUDA hooks never register.
  case 'libs': console.log([`-L${cfg.lib}`, `-Wl,-rpath,${cfg.lib}`, '-Wl,--no-as-needed', ...libs(cfg.lib), '-Wl,--as-needed'].join(' ')); break;
  default: console.error('usage: node libtorch.cjs include|defines|libs'); process.exit(2);
}
