#!/usr/bin/env bash
# Runs every test: formatting, lint, types, unit tests (float64 math, data, CLI, WebGPU kernels in
# Node on SwiftShader) and the browser end-to-end tests. Installs what is missing first.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh || { echo "dependency install failed"; exit 1; }
export VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}

failed_steps=()
step() {
  local name=$1; shift
  echo "=== $name: $*"
  if ! "$@"; then failed_steps+=("$name"); fi
}

rm -rf test-results && mkdir -p test-results
step format npx prettier --check . --log-level warn
step lint npx eslint . --max-warnings 0
step typecheck npx tsc -p tsconfig.json --noEmit
step unit npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
if ls e2e/*.spec.ts >/dev/null 2>&1; then
  step e2e npx playwright test
fi

node scripts/summarize-tests.mjs "${failed_steps[@]+"${failed_steps[@]}"}"
