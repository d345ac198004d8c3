#!/usr/bin/env bash
# Build llama.cpp (the copy vendored in PyPI's llama-cpp-python source package) for
# reference fixtures and side-by-side benchmarks. NOT needed by the Maven test suite.
#
# Idempotent: each step is skipped when its output already exists.
#   1. pip download the llama-cpp-python sdist into $LONGKV_CACHE/llamacpp
#   2. extract it
#   3. cmake configure (Release, shared libs, native CPU, no curl/openssl/tests/examples/server)
#   4. cmake --build the targets llama, llama-bench, llama-tokenize
#   5. pip install the pure-python deps of the llama_cpp bindings if missing
# Environment: LONGKV_CACHE, LLAMA_CPP_PY_VERSION (see env.sh), JOBS (default: nproc).
# Usage: scripts/reference/build-llama-cpp.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$here/env.sh"

die() { echo "error: $*" >&2; exit 1; }
for tool in cmake python3 c++ tar; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found on PATH"
done
python3 -m pip --version >/dev/null 2>&1 || die "pip not available for python3"

dl_dir="$LONGKV_CACHE/llamacpp"
mkdir -p "$dl_dir"
sdist="$dl_dir/llama_cpp_python-$LLAMA_CPP_PY_VERSION.tar.gz"

# 1. download
if [ -f "$sdist" ]; then
  echo "[1/5] sdist present: $sdist"
else
  echo "[1/5] downloading llama-cpp-python==$LLAMA_CPP_PY_VERSION sdist"
  python3 -m pip download --no-deps --no-binary :all: -d "$dl_dir" \
    "llama-cpp-python==$LLAMA_CPP_PY_VERSION" \
    || die "pip download of llama-cpp-python==$LLAMA_CPP_PY_VERSION failed"
  [ -f "$sdist" ] || die "expected $sdist after download"
fi

# 2. extract
if [ -f "$LLAMA_CPP_DIR/CMakeLists.txt" ]; then
  echo "[2/5] sources present: $LLAMA_CPP_SRC"
else
  echo "[2/5] extracting into $dl_dir"
  tar -xzf "$sdist" -C "$dl_dir"
  [ -f "$LLAMA_CPP_DIR/CMakeLists.txt" ] || die "sdist has no vendor/llama.cpp/CMakeLists.txt"
fi

# 3. configure
if [ -f "$LLAMA_CPP_BUILD/CMakeCache.txt" ]; then
  echo "[3/5] already configured: $LLAMA_CPP_BUILD"
else
  echo "[3/5] configuring $LLAMA_CPP_BUILD"
  cmake -S "$LLAMA_CPP_DIR" -B "$LLAMA_CPP_BUILD" \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_NATIVE=ON \
    -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_SERVER=OFF -DLLAMA_OPENSSL=OFF
fi

# 4. build (make itself skips up-to-date targets)
targets=(llama llama-bench llama-tokenize)
if [ -f "$LLAMA_CPP_BIN/libllama.so" ] && [ -x "$LLAMA_CPP_BIN/llama-bench" ] && [ -x "$LLAMA_CPP_BIN/llama-tokenize" ]; then
  echo "[4/5] binaries present (running cmake --build anyway is a no-op; skipped)"
else
  echo "[4/5] building ${targets[*]} with -j${JOBS:-$(nproc)} (takes a while on 2 cores)"
  start=$(date +%s)
  cmake --build "$LLAMA_CPP_BUILD" -j"${JOBS:-$(nproc)}" --target "${targets[@]}"
  echo "      build took $(( $(date +%s) - start ))s"
fi

# 5. python deps for the uninstalled bindings (+ gguf for metadata reading)
if python3 -c "import numpy, typing_extensions, diskcache, jinja2, gguf" 2>/dev/null; then
  echo "[5/5] python deps present"
else
  echo "[5/5] installing python deps"
  python3 -m pip install --quiet numpy typing-extensions diskcache jinja2 gguf \
    || die "pip install of python deps failed"
fi

python3 -c "import llama_cpp" 2>/dev/null || die "llama_cpp bindings do not import with PYTHONPATH=$PYTHONPATH LLAMA_CPP_LIB_PATH=$LLAMA_CPP_LIB_PATH"
echo
echo "llama-cpp-python $LLAMA_CPP_PY_VERSION (llama.cpp sources: $LLAMA_CPP_DIR)"
echo "binaries : $LLAMA_CPP_BIN/llama-bench $LLAMA_CPP_BIN/llama-tokenize"
echo "library  : $LLAMA_CPP_LIB_PATH/libllama.so"
echo "python   : source scripts/reference/env.sh  (sets PYTHONPATH and LLAMA_CPP_LIB_PATH)"
