#!/usr/bin/env python3
"""How much llama.cpp's own quantized KV caches move its logits: the yardstick for LongKV's f16/q8_0 caches.

Runs the 1,000 Frankenstein tokens of the logit fixture through llama.cpp with each KV cache type (one decode
call for the first PREFILL tokens in chunks of CHUNK, then one token per call, as FullCacheModelTest does) and
prints, against the f32 cache, the top-1 agreement and the max abs logit difference over all positions.
llama.cpp needs flash attention for a quantized V cache, so every type runs with flash attention on, and the f32
row without it shows what flash attention alone changes.

usage: source scripts/reference/env.sh && python3 scripts/reference/kv_dtype_agreement.py
"""
import ctypes
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import llamaref  # noqa: E402

PREFILL = 936
CHUNK = 128


def logits_for(lc, model, ids, type_kv, flash):
    cp = lc.llama_context_default_params()
    cp.n_ctx = 2048; cp.n_batch = CHUNK; cp.n_ubatch = CHUNK; cp.n_threads = 2; cp.n_threads_batch = 2
    cp.type_k = type_kv; cp.type_v = type_kv
    cp.flash_attn_type = lc.LLAMA_FLASH_ATTN_TYPE_ENABLED if flash else lc.LLAMA_FLASH_ATTN_TYPE_DISABLED
    ctx = lc.llama_init_from_model(model, cp)
    if not ctx:
        llamaref.die(f"llama.cpp refused KV type {type_kv} (flash={flash})")
    n_vocab = lc.llama_vocab_n_tokens(lc.llama_model_get_vocab(model))
    out = np.empty((len(ids), n_vocab), dtype=np.float32)
    batch = lc.llama_batch_init(CHUNK, 0, 1)
    done = 0
    while done < len(ids):
        count = min(CHUNK, PREFILL - done) if done < PREFILL else 1
        batch.n_tokens = count
        for i in range(count):
            batch.token[i] = ids[done + i]; batch.pos[i] = done + i; batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0; batch.logits[i] = 1
        rc = lc.llama_decode(ctx, batch)
        assert rc == 0, rc
        for i in range(count):
            row = lc.llama_get_logits_ith(ctx, i)
            out[done + i] = np.ctypeslib.as_array(row, shape=(n_vocab,))
        done += count
    lc.llama_batch_free(batch)
    lc.llama_free(ctx)
    return out


def main():
    llamaref.ensure_env()
    lc = llamaref.import_llama_cpp()
    llamaref.quiet_logs(lc)
    fixture = Path(llamaref.__file__).resolve().parents[2] / "longkv-core/src/test/resources/fixtures/logits/smollm2-frankenstein.json"
    ids = json.loads(fixture.read_text())["ids"]
    model = lc.llama_model_load_from_file(str(llamaref.model_path()).encode(), lc.llama_model_default_params())
    base = logits_for(lc, model, ids, lc.GGML_TYPE_F32, False)
    top = base.argmax(axis=1)
    print(f"{len(ids)} positions, against f32 without flash attention")
    print("| KV type | flash attention | top-1 agreement | max abs logit difference |")
    print("|---|---|---:|---:|")
    for name, t, flash in [("f32", lc.GGML_TYPE_F32, True), ("f16", lc.GGML_TYPE_F16, True), ("q8_0", lc.GGML_TYPE_Q8_0, True)]:
        other = logits_for(lc, model, ids, t, flash)
        agree = float((other.argmax(axis=1) == top).mean())
        print(f"| {name} | {'on' if flash else 'off'} | {100 * agree:.1f}% | {np.abs(other - base).max():.3g} |")


if __name__ == "__main__":
    main()
