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

# chromium brings the SwiftShader Vulkan driver; libvulkan1 is the Vulkan loader that Node's
# WebGPU (Dawn) opens. Without recommends: Mesa's drivers are not wanted (Dawn rejects lavapipe).
need_chromium=${NEED_CHROMIUM:-1}
if [ "$need_chromium" = 1 ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  libs=$(ldconfig -p 2>/dev/null || true)
  [[ $libs == *'libvulkan.so.1 '* ]] || missing+=(libvulkan1)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[deps] installing Debian packages: ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
