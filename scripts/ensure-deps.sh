#!/usr/bin/env bash
# Installs what the playground and its tests need when it is missing: the npm packages from the
# lockfile, and Debian's chromium (its SwiftShader Vulkan driver runs WebGPU without a GPU, and
# the browser runs the end-to-end tests). Safe to run repeatedly; does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.deps-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[deps] installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi

# chromium brings the SwiftShader Vulkan driver and is the e2e browser (installed as
# docs/webgpu-testing.md tested it); libvulkan1 is the Vulkan loader that Node's WebGPU (Dawn)
# opens, installed without recommends: Mesa's drivers are not wanted (Dawn rejects lavapipe).
need_chromium=${NEED_CHROMIUM:-1}
if [ "$need_chromium" = 1 ]; then
  libs=$(ldconfig -p 2>/dev/null || true)
  have_chromium=0; [ -x /usr/bin/chromium ] && have_chromium=1
  have_vulkan=0; [[ $libs == *'libvulkan.so.1 '* ]] && have_vulkan=1
  if [ $have_chromium = 0 ] || [ $have_vulkan = 0 ]; then
    if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    if [ $have_chromium = 0 ]; then
      echo "[deps] installing Debian's chromium"
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
    fi
    if [ $have_vulkan = 0 ]; then
      echo "[deps] installing Debian's libvulkan1"
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends libvulkan1 >/dev/null
    fi
  fi
fi

# Debian's PyTorch (python3-torch 1.13, for Debian's /usr/bin/python3): the exported PyTorch module
# is tested in it (src/lm/pytorch-export.test.ts), including two gloo processes on 127.0.0.1.
need_torch=${NEED_TORCH:-1}
if [ "$need_torch" = 1 ] && ! /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  echo "[deps] installing Debian's python3-torch"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends python3-torch >/dev/null
fi
