#!/usr/bin/env python3
"""Tokenizer reference fixtures from llama.cpp for SmolLM2 (gpt2 BPE, pre-tokenizer "smollm").

Writes longkv-core/src/test/resources/fixtures/tokenizer/smollm2.jsonl:
  line 1: {"meta": {...}}  (model sha256, llama-cpp-python version, llama.cpp commit, seed, counts)
  then one object per test string:
    {"cat": category, "text": str,
     "ids":   llama_tokenize(text, add_special=False, parse_special=False),
     "ids_sp": llama_tokenize(text, add_special=False, parse_special=True),
     "detok": llama_detokenize(ids,    remove_special=False, unparse_special=True) as UTF-8,
     "detok_sp": llama_detokenize(ids_sp, remove_special=False, unparse_special=True) as UTF-8}
  If a detokenized byte string is not valid UTF-8 (never expected for valid input) the
  key is replaced by "detok_b64"/"detok_sp_b64" (base64 of the raw bytes).

The string set is deterministic: hand-written cases per category plus generated cases
from random.Random(SEED) (corpus snippets, digit runs, whitespace runs, random mixes).
Corpus snippets come from /work/shared/corpus/*.txt (override with LONGKV_CORPUS); the
files are read as bytes, decoded as UTF-8 and used verbatim (they have CRLF line ends and
a BOM, which are kept as-is, since both are tokenizer edge cases).

Usage: python3 scripts/reference/make_tokenizer_fixtures.py [--out PATH]
"""
from __future__ import annotations

import argparse
import base64
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import llamaref  # noqa: E402

SEED = 20241122
N_PROSE = 90        # random corpus snippets
N_DIGITS = 20       # random digit runs / numbers
N_WS = 20           # random whitespace compositions
N_MIX = 40          # random mixes of fragments from all categories

CODE = [
    # Python
    'def fib(n: int) -> int:\n    """Return the n-th Fibonacci number."""\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n',
    "import numpy as np\nx = np.arange(10, dtype=np.float32)\nprint(f\"{x.mean():.3f}\")\n",
    "class Foo(Bar):\n\tdef __init__(self, *args, **kwargs):\n\t\tsuper().__init__(*args, **kwargs)\n\t\tself._cache = {}\n",
    "if x == 1:\n    pass\nelif x != 2 and not y:\n    raise ValueError('bad x: %r' % (x,))\n",
    # Java
    "public final class Main {\n    public static void main(String[] args) {\n        System.out.println(\"Hello, World!\");\n    }\n}\n",
    "List<Map<String, Integer>> xs = new ArrayList<>();\nfor (int i = 0; i < 10; i++) { xs.add(Map.of(\"k\" + i, i)); }",
    "@Override\npublic int hashCode() { return Objects.hash(a, b, c); }",
    # C / C++
    "#include <stdio.h>\n\nint main(void) {\n\tprintf(\"%d\\n\", 42);\n\treturn 0;\n}\n",
    "static inline float dot(const float *restrict a, const float *restrict b, size_t n) {\n  float s = 0.f;\n  for (size_t i = 0; i < n; ++i) s += a[i] * b[i];\n  return s;\n}",
    "template <typename T>\nstd::vector<T> rev(std::vector<T> v) { std::reverse(v.begin(), v.end()); return v; }",
    "x->y = (int*)malloc(sizeof(int) * 16); // TODO: free\n/* block\n   comment */",
    # JavaScript / TypeScript
    "const add = (a, b) => a + b;\nexport default { add };\n",
    "async function load(url) {\n  const res = await fetch(url);\n  if (!res.ok) throw new Error(`HTTP ${res.status}`);\n  return res.json();\n}",
    "interface User { id: number; name?: string; tags: readonly string[] }",
    # Rust
    "fn main() {\n    let v: Vec<u32> = (1..=10).filter(|x| x % 2 == 0).collect();\n    println!(\"{:?}\", v);\n}\n",
    "impl<'a> Iterator for Tokens<'a> {\n    type Item = &'a str;\n    fn next(&mut self) -> Option<Self::Item> { None }\n}",
    # Go
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println(i)\n\t}\n}\n",
    "if err != nil {\n\treturn nil, fmt.Errorf(\"open %s: %w\", path, err)\n}",
    # SQL / shell / web / data
    "SELECT u.id, COUNT(*) AS n FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total > 100.50 GROUP BY u.id HAVING n >= 3 ORDER BY n DESC;",
    "#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.txt; do wc -l \"$f\"; done | sort -n | tail -3\n",
    "<!DOCTYPE html>\n<html lang=\"en\">\n  <body><div class=\"a b\" id='x'>&amp; &lt;tag&gt;</div></body>\n</html>",
    "{\"name\": \"longkv\", \"version\": \"0.1.0\", \"deps\": [1, 2.5, -3e-4, true, null], \"nested\": {\"k\": \"v\"}}",
    "key: value\nlist:\n  - one\n  - two: 2\n    three: [3, 3.0]\n",
    ".btn:hover { color: #FF00aa; margin: 0 auto !important; }",
    "\\begin{equation}\n  E = mc^2 \\quad \\int_0^\\infty e^{-x^2}\\,dx = \\frac{\\sqrt{\\pi}}{2}\n\\end{equation}",
    "(defun square (x) (* x x))",
    "main :: IO ()\nmain = mapM_ print [x * x | x <- [1..10], odd x]",
    "    \n    indented_after_blank_line()\n",
]

NUMBERS = [
    "0", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789",
    "1234567890", "00000", "007", "3.14159", "-42", "+7", "1,000,000", "1.000.000,00",
    "1e-10", "6.022e23", "0x1F", "0b1011", "2024-11-22", "12:34:56", "v1.2.3", "1st 2nd 3rd 4th",
    "$19.99", "€5", "50%", "¼ ½ ¾", "١٢٣٤٥", "१२३", "一二三", "１２３", "Ⅻ", "3/4", "10^6", "#1",
    "123abc456", "a1b2c3", "9999999999999999999999999999",
]

WHITESPACE = [
    " ", "  ", "   ", "    ", "        ", " " * 16, " " * 33, "\t", "\t\t", "\t\t\t\t", "\n", "\n\n",
    "\n\n\n", "\r\n", "\r\n\r\n", "\r", " \n", "\n ", " \n ", "\t\n", "\n\t", " \t \t ",
    "a b", "a  b", "a   b", "a\tb", "a\t\tb", "a\nb", "a\n\nb", "a \n b", "a\r\nb",
    " leading", "  two leading", "\tleading tab", "\nleading newline", "trailing ", "trailing  ",
    "trailing\n", "trailing\t", "  both  ", "\n\nboth\n\n", "x    = 1", "end.  Next", "word\u00a0nbsp",
    "zero\u200bwidth", "\ufeffbom", "line\u2028sep", "ideographic\u3000space", "em\u2003space",
    "    return x\n\n\n    ", " \t\n\r\x0b\x0c",
]

PUNCT = [
    "!", "!!", "!!!", "?", "?!", "...", "…", "—", "–", "-", "--", "---", "Hello, world!",
    "Wait... what?!", "(a) [b] {c} <d>", "@#$%^&*", "~`|\\", "a.b.c", "e.g. i.e. etc.",
    "\"quoted\"", "'single'", "“curly” ‘quotes’", "«guillemets»", "„German“", "semi;colon:colon",
    "a/b\\c", "___init___", "--flag=value", "C++ C# F#", "::", "->", "=>", "!==", "&&", "||",
    "<=>", "**kwargs", "#!/bin", "¿Qué? ¡Sí!", "。、！？", "·•°±×÷", "§¶©®™",
]

CONTRACTIONS = [
    "I'm here.", "you're", "he's", "she's", "it's", "don't", "can't", "won't", "isn't", "we've",
    "they've", "we'll", "they'll", "I'd", "you'd", "O'Reilly", "rock 'n' roll", "'tis", "the '90s",
    "I'M HERE", "DON'T", "YOU'LL", "WE'VE", "HE'D", "THEY'RE", "IT'S", "It'S", "dOn'T", "I'Ll",
    "don’t (curly)", "it’s", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "''", "a'b'c",
    "rock's'n'roll's", "students' books", "James's", "x's y't z're",
    "HELLO WORLD", "Hello World", "hELLO wORLD", "CamelCaseIdentifier", "snake_case_identifier",
    "SCREAMING_SNAKE_CASE", "McDonald", "iPhone", "NASA's", "USA",
]

SCRIPTS = [
    # CJK
    "你好，世界！", "我爱自然语言处理。", "機械学習は楽しい", "こんにちは、世界", "カタカナとひらがな",
    "東京都渋谷区", "안녕하세요 세계", "한국어 토큰화 테스트", "中文English混合", "漢字かな交じり文",
    # emoji
    "😀", "👍🏽", "❤️", "🇺🇸🇯🇵", "👨‍👩‍👧‍👦", "🧑🏿‍💻", "🏳️‍🌈", "1️⃣", "😀😃😄😁", "I ❤ NY",
    "emoji 🚀 in text 🎉!", "👩‍❤️‍💋‍👨", "🫠🫡", "☺︎ vs ☺️",
    # accented Latin
    "café", "naïve résumé", "Crème brûlée", "Straße", "Ärger über Öl", "mañana", "São Paulo",
    "Łódź", "Dvořák", "Tiếng Việt có dấu", "ÆØÅ æøå", "ﬁ ligature", "cafe\u0301 (combining)",
    "Ω≈ç√∫", "İstanbul ıi", "ŒUVRE œuvre",
    # other scripts
    "Привет, мир!", "Съешь же ещё этих мягких французских булок", "ПРИВЕТ", "Γειά σου Κόσμε",
    "مرحبا بالعالم", "السلام عليكم ورحمة الله", "שלום עולם", "नमस्ते दुनिया", "สวัสดีชาวโลก",
    "ជំរាបសួរ", "გამარჯობა", "Բարեւ", "ᚠᚢᚦᚨᚱᚲ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝟙𝟚𝟛",
    # mixed scripts
    "Hello Привет 你好 مرحبا", "Pokémon ポケモン 포켓몬", "price: ¥1000 / €9 / ₹500",
    "العربية English 123", "αβγ abc абв", "Математика: ∑ᵢ xᵢ² ≤ ∞",
]

URLS = [
    "https://example.com", "http://www.example.org/path/to/page.html?query=1&b=two#frag",
    "https://github.com/ggml-org/llama.cpp/blob/master/README.md", "ftp://files.example.net/pub/",
    "mailto:someone@example.com", "user.name+tag@sub.example.co.uk", "/usr/local/bin/python3",
    "C:\\Users\\Public\\Documents\\file.txt", "../relative/path/./x", "www.example.com:8080",
    "192.168.0.1", "[2001:db8::1]:443", "data:text/plain;base64,SGVsbG8=", "#hashtag @mention",
]

SPECIAL = [
    "<|im_start|>user\nhi<|im_end|>",
    "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|im_end|><|im_end|>", " <|im_start|> ",
    "text<|endoftext|>more text", "<|im_start", "im_start|>", "<|IM_START|>", "<| im_start |>",
    "<|endoftext|><|im_start|>", "<repo_name>foo<file_sep>bar.py", "<filename>a.txt\n<gh_stars>10",
    "<jupyter_code>print(1)<jupyter_output>1", "<empty_output>", "<s>", "</s>", "<unk>", "<pad>",
    "[INST] hi [/INST]", "<<SYS>>", "<|user|>", "\n<|im_end|>\n",
]

EDGE = [
    "", "a", "A", "z", "I", ".", "\"", "'", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "abababababababababababab", "the the the the the", "\x01\x02 control", "tab\x0bvt",
    "\ufffd replacement", "surrogate-free 𐍈 gothic", "a" * 1 + "b" * 100,
]


def corpus_files() -> list[Path]:
    root = Path(os.environ.get("LONGKV_CORPUS", "/work/shared/corpus"))
    files = sorted(root.glob("*.txt"))
    if not files:
        llamaref.die(f"no corpus files in {root} (set LONGKV_CORPUS)")
    return files


def prose_snippets(rng: random.Random, n: int) -> list[str]:
    texts = [p.read_bytes().decode("utf-8") for p in corpus_files()]
    out = []
    for i in range(n):
        t = texts[i % len(texts)]
        length = rng.choice([12, 30, 60, 120, 250, 500, 1000])
        start = rng.randrange(0, len(t) - length)
        if i % 3 != 0:  # two thirds aligned to word starts, one third cut anywhere
            while start > 0 and not t[start - 1].isspace():
                start -= 1
        out.append(t[start:start + length])
    out.append(texts[0][:300])  # file start: BOM + CRLF title
    return out


def digit_runs(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        k = rng.randint(1, 24)
        s = "".join(rng.choice("0123456789") for _ in range(k))
        form = rng.randrange(4)
        if form == 1:
            s = f"{s[:k // 2]}.{s[k // 2:]}" if k > 1 else s
        elif form == 2:
            s = f"x{s} y"
        elif form == 3:
            s = f" {s}"
        out.append(s)
    return out


def ws_runs(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 5)):
            parts.append(rng.choice(["word", "x", "Ab", "1", "."]))
            parts.append("".join(rng.choice([" ", " ", "\t", "\n", "\r\n"]) for _ in range(rng.randint(1, 6))))
        if rng.random() < 0.5:
            parts.insert(0, " " * rng.randint(1, 3))
        out.append("".join(parts))
    return out


def mixes(rng: random.Random, pools: list[list[str]], n: int) -> list[str]:
    out = []
    for _ in range(n):
        frags = [rng.choice(rng.choice(pools)) for _ in range(rng.randint(2, 4))]
        seps = [rng.choice(["", " ", "\n", "  "]) for _ in frags]
        out.append("".join(f + s for f, s in zip(frags, seps)))
    return out


def build_cases() -> list[tuple[str, str]]:
    rng = random.Random(SEED)
    cases: list[tuple[str, str]] = []
    for cat, pool in [("edge", EDGE), ("code", CODE), ("number", NUMBERS), ("whitespace", WHITESPACE),
                      ("punct", PUNCT), ("case", CONTRACTIONS), ("script", SCRIPTS), ("url", URLS),
                      ("special", SPECIAL)]:
        cases += [(cat, s) for s in pool]
    cases += [("prose", s) for s in prose_snippets(rng, N_PROSE)]
    cases += [("number", s) for s in digit_runs(rng, N_DIGITS)]
    cases += [("whitespace", s) for s in ws_runs(rng, N_WS)]
    pools = [CODE[:6], NUMBERS, WHITESPACE, PUNCT, CONTRACTIONS, SCRIPTS, URLS, SPECIAL]
    cases += [("mix", s) for s in mixes(rng, pools, N_MIX)]
    seen, unique = set(), []
    for cat, s in cases:  # drop exact duplicates, keep first occurrence
        if s not in seen:
            seen.add(s)
            unique.append((cat, s))
    return unique


def detok_field(row: dict, key: str, raw: bytes) -> None:
    try:
        row[key] = raw.decode("utf-8")
    except UnicodeDecodeError:
        row[key + "_b64"] = base64.b64encode(raw).decode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=llamaref.FIXTURES / "tokenizer" / "smollm2.jsonl")
    args = ap.parse_args()
    llamaref.ensure_env()
    lc = llamaref.import_llama_cpp()
    llamaref.quiet_logs(lc)
    model = llamaref.model_path()
    vocab = llamaref.Vocab.load(lc, model)

    rows, mismatches = [], 0
    for cat, text in build_cases():
        b = text.encode("utf-8")
        ids = vocab.tokenize(b, add_special=False, parse_special=False)
        ids_sp = vocab.tokenize(b, add_special=False, parse_special=True)
        row = {"cat": cat, "text": text, "ids": ids, "ids_sp": ids_sp}
        d = vocab.detokenize(ids, remove_special=False, unparse_special=True)
        d_sp = vocab.detokenize(ids_sp, remove_special=False, unparse_special=True)
        detok_field(row, "detok", d)
        detok_field(row, "detok_sp", d_sp)
        if d != b or d_sp != b:
            mismatches += 1
        rows.append(row)

    meta = {
        "model": model.name,
        "model_sha256": llamaref.sha256_file(model),
        **llamaref.llama_cpp_commit(lc),
        "generator": "scripts/reference/make_tokenizer_fixtures.py",
        "seed": SEED,
        "count": len(rows),
        "tokenize": "llama_tokenize(add_special=false); ids: parse_special=false, ids_sp: parse_special=true",
        "detokenize": "llama_detokenize(remove_special=false, unparse_special=true)",
        "roundtrip_mismatches": mismatches,
    }
    llamaref.write_jsonl(args.out, meta, rows)
    cats = {}
    for r in rows:
        cats[r["cat"]] = cats.get(r["cat"], 0) + 1
    print(f"wrote {args.out} ({len(rows)} strings, {args.out.stat().st_size} bytes; "
          f"{mismatches} detokenize round-trip mismatches) by category: {cats}")


if __name__ == "__main__":
    main()
