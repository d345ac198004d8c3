#!/usr/bin/env python3
"""Logit reference fixtures from llama.cpp for SmolLM2-135M-Instruct (Q4_1).

Three texts:
  chat         - the model's chat template (rendered as in transformers, see
                 make_chat_template_fixtures.py) for one short user question with
                 add_generation_prompt=true; tokenized with parse_special=true
  frankenstein - the first 1000 tokens of frankenstein.txt, starting at the title line
                 "Frankenstein;" that follows the Gutenberg header and producer credits;
                 CRLF normalized to LF; tokenized with parse_special=false
  code         - a fixed Python snippet (~200 tokens); parse_special=false
All are tokenized with add_special=false (the model has add_bos_token=false).

Evaluation: one llama.cpp context with n_ctx=2048, n_batch=n_ubatch=2048 (the whole
prompt is one decode call), logits for every position, K and V cache in f32, flash
attention off, 2 threads. Then a 64-token greedy continuation (argmax of the float32
logits, lowest id on ties), one token per decode call, generated past EOS if any.

Output: longkv-core/src/test/resources/fixtures/logits/smollm2-<name>.json, one compact
JSON object per text:
  "meta":   {model, model_sha256, llama_cpp_python, llama_cpp_commit, settings{...}, ...}
  "name":   text name
  "text":   exact text whose tokens are "ids" (for frankenstein: the detokenized 1000 tokens)
  "ids":    prompt token ids (n)
  "top_ids":    n lists of the 20 highest-logit token ids at each position i (logits after
                consuming ids[0..i], i.e. predicting token i+1), descending
  "top_logits": matching n lists of float32 logits (shortest repr that round-trips float32)
  "lse":    n float64 log-sum-exp over the full vocabulary of the float32 logits
  "tgt":    n-1 float32 logits of the actual next token ids[i+1] at position i
  "gen": {
     "ids":  64 greedily generated ids;  "text": their detokenization (special tokens rendered)
     "top2_ids", "top2_logits": at each step k the two best ids/logits of the distribution
            that produced ids[k] (step 0 = last prompt position), "lse": float64 per step
     "eos_at": index of the first EOG token in "ids", or -1 }

Usage: python3 scripts/reference/make_logit_fixtures.py [--out-dir DIR]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import llamaref  # noqa: E402

N_CTX = 2048
N_THREADS = 2
TOP_K = 20
N_GEN = 64
FRANKENSTEIN_TOKENS = 1000
CHAT_MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]

CODE_SNIPPET = '''from collections import OrderedDict


class LRUCache:
    """A fixed-capacity least-recently-used cache."""

    def __init__(self, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        self._data: OrderedDict[str, int] = OrderedDict()

    def get(self, key: str) -> int | None:
        if key not in self._data:
            return None
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key: str, value: int) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.capacity:
            self._data.popitem(last=False)


def binary_search(xs: list[int], target: int) -> int:
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
'''


def f32(x) -> float:
    """float32 value as the Python float whose repr is the shortest float32 round-trip string."""
    import numpy as np
    return float(str(np.float32(x)))


def lse64(row) -> float:
    import numpy as np
    r = row.astype(np.float64)
    m = r.max()
    return float(m + np.log(np.exp(r - m).sum()))


def topk(row, k: int):
    import numpy as np
    # stable sort on -logit: ties keep ascending token id
    idx = np.argsort(-row.astype(np.float64), kind="stable")[:k]
    return [int(i) for i in idx], [f32(row[i]) for i in idx]


def frankenstein_text() -> tuple[str, dict]:
    path = Path(os.environ.get("LONGKV_CORPUS", "/work/shared/corpus")) / "frankenstein.txt"
    if not path.is_file():
        llamaref.die(f"corpus file missing: {path} (set LONGKV_CORPUS)")
    raw = path.read_bytes().decode("utf-8")
    marker = raw.find("*** START OF")
    if marker < 0:
        llamaref.die(f"no Gutenberg START marker in {path}")
    start = raw.find("Frankenstein;", marker)
    if start < 0:
        llamaref.die(f"title line 'Frankenstein;' not found after the START marker in {path}")
    line = raw.count("\n", 0, start) + 1
    text = raw[start:start + 20000].replace("\r\n", "\n")
    src = {"file": path.name, "start_line": line, "start_char": start,
           "start_byte": len(raw[:start].encode("utf-8")),
           "normalization": "CRLF->LF", "tokens": FRANKENSTEIN_TOKENS}
    return text, src


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out-dir", type=Path, default=llamaref.FIXTURES / "logits")
    args = ap.parse_args()
    llamaref.ensure_env()
    lc = llamaref.import_llama_cpp()
    import numpy as np
    from llama_cpp import Llama

    model = llamaref.model_path()
    sha = llamaref.sha256_file(model)
    if sha != llamaref.EXPECTED_MODEL_SHA256:
        print(f"warning: model sha256 {sha} differs from the expected "
              f"{llamaref.EXPECTED_MODEL_SHA256}", file=sys.stderr)
    template = llamaref.gguf_chat_template(model)

    llm = Llama(str(model), n_ctx=N_CTX, n_batch=N_CTX, n_ubatch=N_CTX, n_threads=N_THREADS,
                n_threads_batch=N_THREADS, logits_all=True, type_k=lc.GGML_TYPE_F32,
                type_v=lc.GGML_TYPE_F32, flash_attn=False, n_gpu_layers=0, seed=0, verbose=False)
    llamaref.quiet_logs(lc)
    cp = llm.context_params
    ctx = llm._ctx.ctx
    settings = {
        "n_ctx": int(lc.llama_n_ctx(ctx)), "n_batch": int(lc.llama_n_batch(ctx)),
        "n_ubatch": int(lc.llama_n_ubatch(ctx)), "n_threads": int(cp.n_threads),
        "n_threads_batch": int(cp.n_threads_batch),
        "type_k": "f32" if cp.type_k == lc.GGML_TYPE_F32 else int(cp.type_k),
        "type_v": "f32" if cp.type_v == lc.GGML_TYPE_F32 else int(cp.type_v),
        "flash_attn": "disabled" if cp.flash_attn_type == lc.LLAMA_FLASH_ATTN_TYPE_DISABLED else int(cp.flash_attn_type),
        "logits_all": True, "n_gpu_layers": 0, "add_special": False,
        "prompt_decode": "single llama_decode call for the whole prompt",
        "generation": f"greedy argmax over float32 logits (lowest id on ties), {N_GEN} tokens, one llama_decode per token, not stopped at EOG",
        "top_k": TOP_K, "lse": "float64 log-sum-exp of the float32 logits over all n_vocab",
    }
    vocab = llamaref.Vocab(lc, llm._model.vocab)
    n_vocab = llm.n_vocab()
    base_meta = {"model": model.name, "model_sha256": sha, **llamaref.llama_cpp_commit(lc),
                 "generator": "scripts/reference/make_logit_fixtures.py", "n_vocab": n_vocab,
                 "settings": settings}

    chat_text = llamaref.render_chat(template, CHAT_MESSAGES, True,
                                     bos_token=llamaref.gguf_special_token(model, "bos") or "",
                                     eos_token=llamaref.gguf_special_token(model, "eos") or "")
    fr_text, fr_src = frankenstein_text()
    fr_ids = vocab.tokenize(fr_text.encode(), add_special=False, parse_special=False)[:FRANKENSTEIN_TOKENS]
    if len(fr_ids) < FRANKENSTEIN_TOKENS:
        llamaref.die("frankenstein excerpt too short for 1000 tokens")
    fr_text = vocab.detokenize(fr_ids).decode("utf-8")
    fr_src["retokenizes_equal"] = vocab.tokenize(fr_text.encode(), False, False) == fr_ids

    texts = [
        ("chat", chat_text, vocab.tokenize(chat_text.encode(), False, True),
         {"messages": CHAT_MESSAGES, "add_generation_prompt": True, "parse_special": True}),
        ("frankenstein", fr_text, fr_ids, {"source": fr_src, "parse_special": False}),
        ("code", CODE_SNIPPET, vocab.tokenize(CODE_SNIPPET.encode(), False, False), {"parse_special": False}),
    ]

    for name, text, ids, extra in texts:
        t0 = time.time()
        n = len(ids)
        if n + N_GEN > N_CTX:
            llamaref.die(f"{name}: {n}+{N_GEN} tokens exceed n_ctx {N_CTX}")
        llm.reset()
        llm.eval(ids)
        scores = llm.scores  # (n_ctx, n_vocab) float32, rows [0, n) filled
        top_ids, top_logits, lse, tgt = [], [], [], []
        for i in range(n):
            row = scores[i]
            a, b = topk(row, TOP_K)
            top_ids.append(a)
            top_logits.append(b)
            lse.append(lse64(row))
            if i + 1 < n:
                tgt.append(f32(row[ids[i + 1]]))
        g_ids, g_top2_ids, g_top2_logits, g_lse = [], [], [], []
        row = np.array(scores[n - 1], copy=True)
        for k in range(N_GEN):
            a, b = topk(row, 2)
            g_top2_ids.append(a)
            g_top2_logits.append(b)
            g_lse.append(lse64(row))
            g_ids.append(a[0])
            if k + 1 < N_GEN:
                llm.eval([a[0]])
                row = np.array(llm.scores[n + k], copy=True)
        eos_at = next((j for j, t in enumerate(g_ids) if lc.llama_vocab_is_eog(vocab.vocab, t)), -1)
        obj = {
            "meta": {**base_meta, **extra, "n_tokens": n},
            "name": name,
            "text": text,
            "ids": ids,
            "top_ids": top_ids,
            "top_logits": top_logits,
            "lse": lse,
            "tgt": tgt,
            "gen": {"ids": g_ids, "text": vocab.detokenize(g_ids).decode("utf-8", "replace"),
                    "top2_ids": g_top2_ids, "top2_logits": g_top2_logits, "lse": g_lse,
                    "eos_at": eos_at},
        }
        out = args.out_dir / f"smollm2-{name}.json"
        llamaref.write_json(out, obj)
        close = sum(1 for l in g_top2_logits if l[0] - l[1] < 0.05)
        print(f"wrote {out} ({n} tokens, {out.stat().st_size} bytes, {time.time() - t0:.1f}s); "
              f"greedy: {obj['gen']['text'][:60]!r}... eos_at={eos_at}, top-2 gap<0.05 at {close} steps")


if __name__ == "__main__":
    main()
