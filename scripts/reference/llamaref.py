"""Shared helpers for the llama.cpp reference-fixture scripts.

Imports the *uninstalled* llama-cpp-python bindings from the sdist built by
build-llama-cpp.sh. If the environment from env.sh is not active yet, the calling
script is re-executed once under `source env.sh` so paths are defined in one place.
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES = REPO / "longkv-core" / "src" / "test" / "resources" / "fixtures"
EXPECTED_MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


def die(msg: str) -> "None":
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(1)


def ensure_env() -> None:
    """Re-exec the current script under env.sh unless it is already sourced."""
    if os.environ.get("_LONGKV_REF_ENV") == "1":
        return
    env_sh = HERE / "env.sh"
    os.environ["_LONGKV_REF_ENV"] = "1"
    argv = ["bash", "-c", 'source "$0" && exec "$@"', str(env_sh), sys.executable, *sys.argv]
    os.execvp("bash", argv)


def model_path() -> Path:
    p = Path(os.environ.get("LONGKV_MODEL", ""))
    if not p.is_file():
        die(f"model not found: {p} (set LONGKV_MODEL)")
    return p


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def import_llama_cpp():
    lib_dir = Path(os.environ.get("LLAMA_CPP_LIB_PATH", ""))
    if not (lib_dir / "libllama.so").is_file():
        die(f"libllama.so not found in '{lib_dir}' (run scripts/reference/build-llama-cpp.sh)")
    try:
        import llama_cpp  # noqa: F401
    except Exception as e:  # pragma: no cover - reported as one line
        die(f"cannot import llama_cpp bindings ({type(e).__name__}: {e}); "
            f"PYTHONPATH={os.environ.get('PYTHONPATH')}")
    return llama_cpp


def quiet_logs(llama_cpp) -> None:
    """Silence llama.cpp's stderr logging (keeps fixture runs readable)."""
    @llama_cpp.llama_log_callback
    def _cb(level, text, user_data):  # noqa: ARG001
        if level == 4:  # GGML_LOG_LEVEL_ERROR: keep real errors visible
            sys.stderr.write(text.decode("utf-8", "replace"))
    quiet_logs._keep = _cb  # keep the ctypes callback alive
    llama_cpp.llama_log_set(_cb, ctypes.c_void_p(0))


def llama_cpp_commit(llama_cpp) -> dict:
    """llama-cpp-python version and the llama.cpp commit it vendors (if recorded)."""
    info = {"llama_cpp_python": llama_cpp.__version__}
    src = Path(os.environ.get("LLAMA_CPP_SRC", ""))
    changelog = src / "CHANGELOG.md"
    if changelog.is_file():
        m = re.search(r"update llama\.cpp to [\w.-]+/llama\.cpp@([0-9a-f]{7,40})", changelog.read_text())
        if m:
            info["llama_cpp_commit"] = m.group(1)
    build_info = Path(os.environ.get("LLAMA_CPP_BUILD", "")) / "common" / "build-info.cpp"
    if build_info.is_file():
        m = re.search(r'LLAMA_COMMIT\s*=\s*"([^"]*)"', build_info.read_text())
        if m:
            info["llama_cpp_build_commit"] = m.group(1)
    try:
        info["system_info"] = llama_cpp.llama_print_system_info().decode().strip()
    except Exception:
        pass
    return info


def gguf_chat_template(path: Path) -> str:
    try:
        from gguf import GGUFReader
    except ImportError:
        die("python package 'gguf' missing (pip install gguf)")
    r = GGUFReader(str(path))
    f = r.fields.get("tokenizer.chat_template")
    if f is None:
        die(f"{path} has no tokenizer.chat_template")
    return f.contents()


def gguf_special_token(path: Path, key: str) -> str | None:
    from gguf import GGUFReader
    r = GGUFReader(str(path))
    f = r.fields.get(f"tokenizer.ggml.{key}_token_id")
    if f is None:
        return None
    tid = int(f.contents())
    toks = r.fields["tokenizer.ggml.tokens"]
    return bytes(toks.parts[toks.data[tid]]).decode("utf-8")


def hf_jinja_env():
    """Jinja environment as transformers' apply_chat_template builds it
    (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols,
    tojson without HTML escaping, raise_exception and strftime_now globals)."""
    import json as _json
    from datetime import datetime

    import jinja2
    import jinja2.ext
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return _json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(fmt):
        return datetime.now().strftime(fmt)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render_chat(template: str, messages, add_generation_prompt: bool, **special_tokens) -> str:
    return hf_jinja_env().from_string(template).render(
        messages=messages, tools=None, documents=None,
        add_generation_prompt=add_generation_prompt, **special_tokens)


class Vocab:
    """Thin wrapper over llama_tokenize / llama_detokenize on a vocab-only or full model."""

    def __init__(self, llama_cpp, vocab):
        self.lc = llama_cpp
        self.vocab = vocab

    @classmethod
    def load(cls, llama_cpp, path: Path) -> "Vocab":
        llama_cpp.llama_backend_init()
        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True
        model = llama_cpp.llama_model_load_from_file(str(path).encode(), params)
        if not model:
            die(f"llama.cpp failed to load {path}")
        v = cls(llama_cpp, llama_cpp.llama_model_get_vocab(model))
        v._model = model
        return v

    def tokenize(self, text: bytes, add_special: bool, parse_special: bool) -> list[int]:
        lc = self.lc
        n_max = len(text) + 16
        buf = (lc.llama_token * n_max)()
        n = lc.llama_tokenize(self.vocab, text, len(text), buf, n_max, add_special, parse_special)
        if n < 0:
            n_max = -n
            buf = (lc.llama_token * n_max)()
            n = lc.llama_tokenize(self.vocab, text, len(text), buf, n_max, add_special, parse_special)
            if n < 0:
                raise RuntimeError(f"llama_tokenize failed ({n}) for {text!r}")
        return list(buf[:n])

    def detokenize(self, ids: list[int], remove_special: bool = False, unparse_special: bool = True) -> bytes:
        lc = self.lc
        arr = (lc.llama_token * max(1, len(ids)))(*ids)
        cap = 8 * len(ids) + 64
        while True:
            out = ctypes.create_string_buffer(cap)
            n = lc.llama_detokenize(self.vocab, arr, len(ids), out, cap, remove_special, unparse_special)
            if n >= 0:
                return out.raw[:n]
            cap = -n + 16

    def piece(self, tid: int, special: bool = True) -> bytes:
        lc = self.lc
        buf = ctypes.create_string_buffer(256)
        n = lc.llama_token_to_piece(self.vocab, tid, buf, 256, 0, special)
        return buf.raw[:n]


def write_json(path: Path, obj, compact: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        if compact:
            json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        else:
            json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def write_jsonl(path: Path, header: dict, rows) -> None:
    """First line: {"meta": {...}}; then one JSON object per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps({"meta": header}, ensure_ascii=False, separators=(",", ":")) + "\n")
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
