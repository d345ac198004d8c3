# shellcheck shell=bash
# Shared environment for the llama.cpp reference scripts. Source it:
#   source scripts/reference/env.sh
# Sets (unless already set by the caller):
#   LONGKV_CACHE            cache root                (default ~/.cache/longkv)
#   LLAMA_CPP_PY_VERSION    llama-cpp-python sdist    (default 0.3.36)
#   LLAMA_CPP_SRC           extracted sdist directory
#   LLAMA_CPP_DIR           vendored llama.cpp inside the sdist
#   LLAMA_CPP_BUILD         cmake build directory
#   LLAMA_CPP_BIN           directory with llama-bench, llama-tokenize and the shared libs
#   LLAMA_CPP_LIB_PATH      directory containing libllama.so (read by llama_cpp's ctypes loader)
#   LONGKV_MODEL            default model (SmolLM2-135M-Instruct Q4_1 GGUF)
#   PYTHONPATH              prefixed with the sdist root so `import llama_cpp` works uninstalled
# and exports LONGKV_REPO (repository root).

_longkv_ref_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export LONGKV_REPO="$(cd "$_longkv_ref_dir/../.." && pwd)"
export LONGKV_CACHE="${LONGKV_CACHE:-$HOME/.cache/longkv}"
export LLAMA_CPP_PY_VERSION="${LLAMA_CPP_PY_VERSION:-0.3.36}"
export LLAMA_CPP_SRC="${LLAMA_CPP_SRC:-$LONGKV_CACHE/llamacpp/llama_cpp_python-$LLAMA_CPP_PY_VERSION}"
export LLAMA_CPP_DIR="$LLAMA_CPP_SRC/vendor/llama.cpp"
export LLAMA_CPP_BUILD="${LLAMA_CPP_BUILD:-$LLAMA_CPP_DIR/build}"
export LLAMA_CPP_BIN="$LLAMA_CPP_BUILD/bin"
export LLAMA_CPP_LIB_PATH="${LLAMA_CPP_LIB_PATH:-$LLAMA_CPP_BIN}"
export LONGKV_MODEL="${LONGKV_MODEL:-$LONGKV_CACHE/models/SmolLM2-135M-Instruct.Q4_1.gguf}"
case ":${PYTHONPATH:-}:" in
  *":$LLAMA_CPP_SRC:"*) ;;
  *) export PYTHONPATH="$LLAMA_CPP_SRC${PYTHONPATH:+:$PYTHONPATH}" ;;
esac
# longkv_require_llama: one clear line and non-zero status if the build or model is missing.
longkv_require_llama() {
  if [ ! -f "$LLAMA_CPP_LIB_PATH/libllama.so" ]; then
    echo "error: libllama.so not found in $LLAMA_CPP_LIB_PATH (run scripts/reference/build-llama-cpp.sh)" >&2
    return 1
  fi
  if [ ! -f "$LONGKV_MODEL" ]; then
    echo "error: model not found: $LONGKV_MODEL (set LONGKV_MODEL)" >&2
    return 1
  fi
}
unset _longkv_ref_dir
