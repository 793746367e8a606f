#!/usr/bin/env bash
# Packs what bench/device-check.sh needs on a GPU machine that has no Node, no node_modules and no
# Vulkan loader into ONE ignored folder, .devcheck/ (about 50 MiB), to be copied along with the
# working tree (e.g. the device tool's `carry: [".devcheck"]`):
#
#   .devcheck/bench/gpu-bench.mjs        bench/gpu-bench.ts bundled by esbuild (TF.js left out: the
#                                        device check runs --gpu-only and never loads it); two
#                                        folders down, like src/gpu/shaders.ts, which reads
#                                        ../../shaders/*.wgsl relative to itself at run time
#   .devcheck/node_modules/webgpu/       the npm `webgpu` package, linux-x64 dawn.node only
#   .devcheck/node.xz                    this machine's Node binary (x86-64), xz-compressed
#   .devcheck/debs/*.deb                 libvulkan1 and the GL dispatch libraries (amd64), unpacked
#                                        by device-check.sh into a private prefix, never into /
#
# Run here (x86-64 Linux, after `npm ci`): bash bench/device-prepare.sh [--no-node] [--no-debs]
# Never runs in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.devcheck
want_node=1
want_debs=1
for a in "$@"; do
  case "$a" in
    --no-node) want_node=0 ;;
    --no-debs) want_debs=0 ;;
    *) echo "unknown argument $a" >&2; exit 2 ;;
  esac
done

# Keep the folder out of git (a local ignore rule: .git/info/exclude, not .gitignore).
gitdir=$(git rev-parse --git-dir)
mkdir -p "$gitdir/info"
grep -qxF "/$out/" "$gitdir/info/exclude" 2>/dev/null || echo "/$out/" >>"$gitdir/info/exclude"
mkdir -p "$out"

echo "== bundle bench/gpu-bench.ts -> $out/bench/gpu-bench.mjs"
node_modules/.bin/esbuild bench/gpu-bench.ts --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --external:@tensorflow/tfjs --log-level=error \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
  --outfile="$out/bench/gpu-bench.mjs"
git rev-parse HEAD >"$out/BUILT_FROM"
sha256sum bench/gpu-bench.ts >>"$out/BUILT_FROM"

echo "== webgpu (linux-x64 only) -> $out/node_modules/webgpu"
src=node_modules/webgpu
dst=$out/node_modules/webgpu
rm -rf "$dst"
mkdir -p "$dst/dist/linux-x64"
cp "$src/package.json" "$src/index.js" "$dst/"
cp "$src/dist/linux-x64/dawn.node" "$dst/dist/linux-x64/"

if [ "$want_node" = 1 ]; then
  if [ "$(uname -m)" != x86_64 ]; then
    echo "!! this machine is $(uname -m): its node binary is useless on an x86-64 GPU machine; skipped" >&2
  else
    node_bin=$(command -v node)
    echo "== $node_bin ($(node --version)) -> $out/node.xz"
    if [ ! -f "$out/node.xz" ] || [ "$node_bin" -nt "$out/node.xz" ]; then
      xz -T0 -6 -c "$node_bin" >"$out/node.xz.tmp" && mv "$out/node.xz.tmp" "$out/node.xz"
    fi
    node --version >"$out/node.version"
  fi
fi

if [ "$want_debs" = 1 ]; then
  echo "== Vulkan loader and GL dispatch debs (amd64) -> $out/debs"
  mkdir -p "$out/debs" /tmp/amd64-lists/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64-lists'
  # shellcheck disable=SC2086
  if ! ls "$out"/debs/libvulkan1_*.deb >/dev/null 2>&1; then
    apt-get $o update -qq
    (cd "$out/debs" && apt-get $o download libvulkan1 libglvnd0 libglx0 libgl1 libegl1 libopengl0 libgles2)
  fi
fi

du -sh "$out"
ls -la "$out" "$out/debs" 2>/dev/null || true
