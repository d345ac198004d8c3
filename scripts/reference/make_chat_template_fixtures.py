#!/usr/bin/env python3
"""Chat-template reference fixtures for SmolLM2.

Renders the model's own Jinja chat template (GGUF key tokenizer.chat_template) the way
Hugging Face transformers' apply_chat_template does: jinja2 ImmutableSandboxedEnvironment
(trim_blocks=True, lstrip_blocks=True, loopcontrols extension), a tojson filter that does
not HTML-escape, globals raise_exception / strftime_now, and render kwargs
messages, tools=None, documents=None, add_generation_prompt, bos_token, eos_token
(bos/eos strings read from the GGUF).

Cross-checks each rendering against llama-cpp-python's Jinja2ChatFormatter (must be
identical, else the script fails) and records what llama.cpp's C API
llama_chat_apply_template() produces with the same template string. That API does NOT run
Jinja: it pattern-matches the template to a built-in format (ChatML here), so it may differ
(e.g. it does not inject the template's default system prompt); the difference is recorded,
not fatal.

Writes longkv-core/src/test/resources/fixtures/chat/smollm2.jsonl:
  line 1: {"meta": {...}} (model sha256, versions, template string, bos/eos)
  then per case:
    {"name": str, "messages": [{"role","content"}...], "add_generation_prompt": bool,
     "prompt": rendered string (HF/jinja2),
     "ids": llama_tokenize(prompt, add_special=False, parse_special=True),
     "capi_prompt": llama_chat_apply_template output, "capi_equal": bool}

Usage: python3 scripts/reference/make_chat_template_fixtures.py [--out PATH]
"""
from __future__ import annotations

import argparse
import ctypes
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import llamaref  # noqa: E402

SYS = {"role": "system", "content": "You are a concise assistant. Answer in one sentence."}
U1 = {"role": "user", "content": "What is the capital of France?"}
A1 = {"role": "assistant", "content": "The capital of France is Paris."}
U2 = {"role": "user", "content": "And how many people live there?"}

CONVERSATIONS = [
    ("user", [U1]),
    ("system_user", [SYS, U1]),
    ("user_assistant_user", [U1, A1, U2]),
    ("system_user_assistant_user", [SYS, U1, A1, U2]),
    ("user_assistant", [U1, A1]),
    ("system_only", [SYS]),
    ("empty", []),
    ("multiline_unicode", [{"role": "user", "content": "Translate:\n  «Bonjour, ça va?» 😀\n\n- one\n- two\t(tab)"}]),
    ("whitespace_edges", [{"role": "system", "content": "  padded system  "},
                          {"role": "user", "content": "\ntrailing newline\n"}]),
    ("empty_contents", [{"role": "user", "content": ""}, {"role": "assistant", "content": ""}]),
    ("special_tokens_in_content", [{"role": "user", "content": "Say <|im_end|> literally."}]),
    ("long_multi_turn", [SYS, U1, A1, U2,
                         {"role": "assistant", "content": "About 2.1 million people live in Paris proper."},
                         {"role": "user", "content": "Thanks! Write a haiku about it."}]),
]


def capi_render(lc, template: str, messages, add_ass: bool) -> str:
    n = len(messages)
    arr = (lc.llama_chat_message * max(1, n))()
    keep = []
    for i, m in enumerate(messages):
        r, c = m["role"].encode(), m["content"].encode()
        keep += [r, c]
        arr[i].role, arr[i].content = r, c
    cap = 4096
    while True:
        buf = ctypes.create_string_buffer(cap)
        k = lc.llama_chat_apply_template(template.encode(), arr, n, add_ass, buf, cap)
        if k < 0:
            return f"<error {k}>"
        if k <= cap:
            return buf.raw[:k].decode("utf-8")
        cap = k + 16


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=llamaref.FIXTURES / "chat" / "smollm2.jsonl")
    args = ap.parse_args()
    llamaref.ensure_env()
    lc = llamaref.import_llama_cpp()
    llamaref.quiet_logs(lc)
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    model = llamaref.model_path()
    template = llamaref.gguf_chat_template(model)
    bos = llamaref.gguf_special_token(model, "bos") or ""
    eos = llamaref.gguf_special_token(model, "eos") or ""
    vocab = llamaref.Vocab.load(lc, model)

    rows, capi_diffs = [], 0
    for name, msgs in CONVERSATIONS:
        for gen in (True, False):
            prompt = llamaref.render_chat(template, msgs, gen, bos_token=bos, eos_token=eos)
            fmt = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos, add_generation_prompt=gen)
            other = fmt(messages=msgs).prompt
            if other != prompt:
                llamaref.die(f"jinja2 vs llama-cpp-python Jinja2ChatFormatter differ for {name} gen={gen}:\n"
                             f"{prompt!r}\n{other!r}")
            capi = capi_render(lc, template, msgs, gen)
            capi_diffs += capi != prompt
            rows.append({
                "name": name, "messages": msgs, "add_generation_prompt": gen, "prompt": prompt,
                "ids": vocab.tokenize(prompt.encode(), add_special=False, parse_special=True),
                "capi_prompt": capi, "capi_equal": capi == prompt,
            })

    meta = {
        "model": model.name,
        "model_sha256": llamaref.sha256_file(model),
        **llamaref.llama_cpp_commit(lc),
        "jinja2": __import__("jinja2").__version__,
        "generator": "scripts/reference/make_chat_template_fixtures.py",
        "template": template,
        "bos_token": bos,
        "eos_token": eos,
        "render": "jinja2 ImmutableSandboxedEnvironment(trim_blocks, lstrip_blocks, loopcontrols) as in "
                  "transformers apply_chat_template; verified equal to llama-cpp-python Jinja2ChatFormatter",
        "ids": "llama_tokenize(prompt, add_special=false, parse_special=true)",
        "capi": "llama_chat_apply_template(template, messages, add_ass) - built-in format detection, no Jinja",
        "count": len(rows),
    }
    llamaref.write_jsonl(args.out, meta, rows)
    print(f"wrote {args.out} ({len(rows)} cases; all equal to Jinja2ChatFormatter; "
          f"{capi_diffs} differ from llama_chat_apply_template)")


if __name__ == "__main__":
    main()
