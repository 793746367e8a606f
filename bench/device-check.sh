#!/usr/bin/env bash
# GPU device check (issue 11): runs the Node WebGPU engine (src/gpu GpuEngine, through
# bench/gpu-bench.ts --gpu-only) on a machine with a real GPU and prints, as it goes:
#
#   1. the adapter Dawn picked (it must be the NVIDIA one; SwiftShader or no adapter is reported
#      loudly and stops the check, exit status 3);
#   2. loss + gradient and 3. loss + gradient + exact Hessian, at n ∈ {2^16, 2^20}, d ∈ {64, 256},
#      K ∈ {1, 25} configs per evaluate() call: median ms, GB/s and GFLOP/s, and their % of the
#      card's peak (PEAK_GBS / PEAK_GFLOPS below);
#   4. 25 loss + gradient evaluations in one call vs 25 calls, at the same sizes;
#   5. the batched Newton sweep (runSweep: 25 configs, one batched solve) vs 25 separate solve()
#      calls, n = 2^16, d = 64, then n = 2^19, d = 64 if time is left.
#
# The whole check is bounded by DEVICE_CHECK_BUDGET_S (default 480 s = 8 minutes): each step runs
# under `timeout` with at most its share of what is left, a step cut short keeps what it printed,
# and the check goes on to the next one. Running out of time is never a failure (exit status 0).
#
#   bash bench/device-check.sh                    # on the GPU machine, from the repository root
#   DEVICE_CHECK_LOG=/tmp/dc.log bash bench/device-check.sh   # also append everything to a file
#
# What it needs, and where it looks:
#   Node ≥ 20: $NODE, else `node` on PATH, else .devcheck/node.xz (see bench/device-prepare.sh).
#   The bench: node_modules/.bin/tsx + bench/gpu-bench.ts, else the bundle .devcheck/bench/gpu-bench.mjs
#     (with .devcheck/node_modules/webgpu). DEVICE_CHECK_BUNDLE=1 prefers the bundle.
#   libvulkan.so.1: the system's, else the .devcheck/debs/*.deb unpacked into a private prefix
#     (never into /) and put on LD_LIBRARY_PATH (DEVICE_CHECK_FORCE_GL=1: use those even when the
#     system has a loader).
#   The NVIDIA Vulkan driver: VK_ICD_FILENAMES / VK_DRIVER_FILES if set, else the first
#     nvidia_icd.json found in /usr/local/nvidia/share/vulkan/icd.d, /usr/share/vulkan/icd.d,
#     /etc/vulkan/icd.d.
#
# Knobs (environment): DEVICE_CHECK_CARRIED_NODE=1 (use .devcheck/node.xz even when PATH has a
# Node), DEVICE_CHECK_SIZES (2^16x64,2^16x256,2^20x64,2^20x256), DEVICE_CHECK_K
# (1,25), DEVICE_CHECK_REPS (5), DEVICE_CHECK_SWEEP (2^16x64,2^19x64), DEVICE_CHECK_EXTRA (more bench flags,
# e.g. --quick for SwiftShader), DEVICE_CHECK_ALLOW_SWIFTSHADER=1 (go on with a software adapter,
# for testing this script on a machine without a GPU, with tiny sizes).
#
# Peak figures assumed (NVIDIA H200 SXM datasheet): HBM3e 4800 GB/s; FP32 67000 GFLOP/s (plain
# FP32 FMA pipes: WGSL has no path to the tensor cores). Override with PEAK_GBS / PEAK_GFLOPS on
# another card. A device-to-device copy measured about 4300 GB/s on the H200 machines here.
#
# Never runs in CI.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

BUDGET=${DEVICE_CHECK_BUDGET_S:-480}
SIZES=${DEVICE_CHECK_SIZES:-2^16x64,2^16x256,2^20x64,2^20x256}
KS=${DEVICE_CHECK_K:-1,25}
REPS=${DEVICE_CHECK_REPS:-5}
SWEEP=${DEVICE_CHECK_SWEEP:-2^16x64,2^19x64}
EXTRA=${DEVICE_CHECK_EXTRA:-}
PEAK_GBS=${PEAK_GBS:-4800}
PEAK_GFLOPS=${PEAK_GFLOPS:-67000}
T0=$(date +%s)
if [ -n "${DEVICE_CHECK_LOG:-}" ]; then
  exec > >(tee -a "$DEVICE_CHECK_LOG") 2>&1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/device-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
elapsed() { echo $(($(date +%s) - T0)); }
left() { echo $((BUDGET - $(elapsed))); }
say() { echo "[device-check +$(elapsed)s] $*"; }
loud() {
  echo
  echo '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
  for line in "$@"; do echo "!!! $line"; done
  echo '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
  echo
}

say "start $(date -u +%Y-%m-%dT%H:%M:%SZ), budget ${BUDGET}s, host $(uname -n) $(uname -m), $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
say "peaks assumed: ${PEAK_GBS} GB/s memory, ${PEAK_GFLOPS} GFLOP/s float32 (H200 SXM datasheet unless overridden)"
if command -v nvidia-smi >/dev/null 2>&1; then
  timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem,clocks.sm \
    --format=csv 2>&1 | sed 's/^/  nvidia-smi: /'
else
  say "no nvidia-smi on PATH"
fi

# ---- Node ≥ 20 -------------------------------------------------------------------------------
node_major() { "$1" --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }
if [ -z "${NODE:-}" ]; then
  if [ "${DEVICE_CHECK_CARRIED_NODE:-}" != 1 ] && command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 20 ] 2>/dev/null; then
    NODE=$(command -v node)
  elif [ -f .devcheck/node.xz ]; then
    NODE=$WORK/node
    if command -v xz >/dev/null 2>&1; then
      xz -dc .devcheck/node.xz >"$NODE"
    else
      python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],"wb"))' \
        .devcheck/node.xz "$NODE"
    fi
    chmod +x "$NODE"
  fi
fi
if [ -z "${NODE:-}" ] || ! "$NODE" --version >/dev/null 2>&1; then
  loud "no usable Node >= 20 (PATH has: $(command -v node || echo none)); run bench/device-prepare.sh and copy .devcheck"
  exit 2
fi
say "node: $NODE $("$NODE" --version)"

# ---- the bench: tsx on the source, or the prepared bundle -------------------------------------
if [ -f .devcheck/bench/gpu-bench.mjs ] && { [ "${DEVICE_CHECK_BUNDLE:-}" = 1 ] || [ ! -f node_modules/tsx/dist/cli.mjs ]; }; then
  BENCH=("$NODE" .devcheck/bench/gpu-bench.mjs)
  built=$(sed -n 2p .devcheck/BUILT_FROM 2>/dev/null | cut -d' ' -f1)
  now=$(sha256sum bench/gpu-bench.ts 2>/dev/null | cut -d' ' -f1)
  say "bench: bundle .devcheck/bench/gpu-bench.mjs (built from commit $(sed -n 1p .devcheck/BUILT_FROM 2>/dev/null))"
  [ -n "$now" ] && [ "$built" != "$now" ] && say "WARNING: bench/gpu-bench.ts changed since the bundle was built (bench/device-prepare.sh rebuilds it)"
elif [ -f node_modules/tsx/dist/cli.mjs ]; then
  BENCH=("$NODE" node_modules/tsx/dist/cli.mjs bench/gpu-bench.ts)
  say "bench: tsx bench/gpu-bench.ts"
else
  loud "neither node_modules/tsx nor .devcheck/bench/gpu-bench.mjs: run npm ci, or bench/device-prepare.sh and copy .devcheck"
  exit 2
fi

# ---- Vulkan loader and the NVIDIA driver ------------------------------------------------------
have_loader() { ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; }
if ! have_loader || [ "${DEVICE_CHECK_FORCE_GL:-}" = 1 ]; then
  if ls .devcheck/debs/*.deb >/dev/null 2>&1; then
    for f in .devcheck/debs/*.deb; do dpkg -x "$f" "$WORK/gl"; done
    export LD_LIBRARY_PATH="$WORK/gl/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    say "libvulkan.so.1: carried one, $(ls "$WORK"/gl/usr/lib/x86_64-linux-gnu/libvulkan.so.1.* 2>/dev/null | xargs -n1 basename)"
  else
    say "WARNING: no libvulkan.so.1 on this machine and no .devcheck/debs: Dawn will find no adapter"
  fi
else
  say "libvulkan.so.1: system ($(ldconfig -p | grep -m1 'libvulkan\.so\.1 ' | sed 's/.*=> //'))"
fi
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  if [ -d "$d" ] && ! ldconfig -p 2>/dev/null | grep -q libGLX_nvidia; then
    export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
    say "added $d to LD_LIBRARY_PATH (the driver's libraries are not in the ld cache)"
  fi
done
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \
    /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$f" ]; then
      export VK_ICD_FILENAMES=$f VK_DRIVER_FILES=$f
      break
    fi
  done
fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$WORK}
say "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-} VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
[ -n "${VK_ICD_FILENAMES:-}" ] && [ -f "$VK_ICD_FILENAMES" ] && tr -d '\n' <"$VK_ICD_FILENAMES" | tr -s ' ' | sed 's/^/  icd: /' && echo

# ---- steps ------------------------------------------------------------------------------------
STATUS=()
# run_step NAME CAP_SECONDS bench-args...: runs the bench under timeout, min(CAP, time left).
run_step() {
  local name=$1 cap=$2
  shift 2
  local t
  t=$(left)
  [ "$t" -gt "$cap" ] && t=$cap
  if [ "$t" -lt 10 ]; then
    say "== $name: skipped, ${t}s left of the ${BUDGET}s budget"
    STATUS+=("$name: skipped (out of time)")
    return 0
  fi
  say "== $name (limit ${t}s): ${BENCH[*]} $*"
  local s0 rc
  s0=$(date +%s)
  # shellcheck disable=SC2086
  timeout -k 5 "$t" "${BENCH[@]}" "$@" $EXTRA 2>&1 | tee "$WORK/$name.out"
  rc=${PIPESTATUS[0]}
  local took=$(($(date +%s) - s0))
  case $rc in
    0) STATUS+=("$name: done in ${took}s") ;;
    124 | 137) STATUS+=("$name: CUT at its ${t}s limit (rows above are complete; later ones missing)")
      say "$name stopped at its ${t}s limit" ;;
    *) STATUS+=("$name: FAILED, exit status $rc, after ${took}s") ;;
  esac
  return 0
}

adapter_line() { grep -m1 '^adapter: ' "$WORK/adapter.out" 2>/dev/null | sed 's/^adapter: //'; }
run_step adapter 90 --only=adapter --gpu-only
ADAPTER=$(adapter_line)
if { [ -z "$ADAPTER" ] || [[ $ADAPTER == NONE* ]]; } && [ "$(id -u)" = 0 ] && ls .devcheck/debs/*.deb >/dev/null 2>&1; then
  # Second try, the device README's recipe: the loader and GL dispatch libraries unpacked into /.
  say "no adapter with the private loader; unpacking .devcheck/debs into / (root) and trying again"
  for f in .devcheck/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
  run_step adapter-retry 60 --only=adapter --gpu-only
  cp "$WORK/adapter-retry.out" "$WORK/adapter.out" 2>/dev/null
  ADAPTER=$(adapter_line)
fi
shopt -s nocasematch
if [ -z "$ADAPTER" ] || [[ $ADAPTER == NONE* ]]; then
  loud "NO WEBGPU ADAPTER: Dawn found no Vulkan device (see the adapter step above)." \
    "Check libvulkan.so.1, the NVIDIA ICD json (VK_ICD_FILENAMES) and /dev/nvidia*."
  printf '  %s\n' "${STATUS[@]}"
  exit 3
elif [[ $ADAPTER == *swiftshader* ]]; then
  loud "DAWN PICKED SWIFTSHADER, THE CPU SOFTWARE RENDERER, NOT THE GPU:" "  $ADAPTER" \
    "The NVIDIA Vulkan driver was not found or not usable: these are NOT GPU figures."
  if [ "${DEVICE_CHECK_ALLOW_SWIFTSHADER:-}" != 1 ]; then
    printf '  %s\n' "${STATUS[@]}"
    exit 3
  fi
  say "DEVICE_CHECK_ALLOW_SWIFTSHADER=1: going on (software figures, for testing this script only)"
elif [[ $ADAPTER != *nvidia* ]]; then
  loud "Adapter is not NVIDIA: $ADAPTER" "(going on; the % of peak columns assume an H200)"
else
  say "adapter OK (NVIDIA): $ADAPTER"
fi
shopt -u nocasematch

PEAKS=(--peak-gbs="$PEAK_GBS" --peak-gflops="$PEAK_GFLOPS")
COMMON=(--gpu-only --sizes="$SIZES" --reps="$REPS" "${PEAKS[@]}")
# Shares of the budget: loss + gradient 110 s, Hessian 190 s, batch 50 s, the sweep what is left.
run_step lossgrad 110 --only=lossgrad --k="$KS" "${COMMON[@]}"
run_step hessian 190 --only=hessian --k="$KS" "${COMMON[@]}"
run_step batch 50 --only=batch "${COMMON[@]}"
run_step sweep "$BUDGET" --only=sweep --gpu-only --sweep="$SWEEP"

echo
say "summary (adapter: $ADAPTER)"
printf '  %s\n' "${STATUS[@]}"
say "done in $(elapsed)s of the ${BUDGET}s budget"
exit 0
