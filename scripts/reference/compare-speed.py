#!/usr/bin/env python3
"""Compare LongKV throughput with llama.cpp's llama-bench, row by row.

Usage:
  python3 scripts/reference/compare-speed.py LLAMA_BENCH.json [LONGKV_BENCH.json] [--markdown]

LLAMA_BENCH.json is llama-bench's `-o json` output (a list of rows with n_prompt, n_gen,
n_depth, avg_ts, stddev_ts). With only that file, prints the llama.cpp table.

LONGKV_BENCH.json is read tolerantly (its format is not fixed yet):
  * a JSON list of rows, a JSON object holding such a list under any key
    ("results", "rows", "benchmarks", ...), a single row object, or JSON lines;
  * per row the test name from "test" / "name" / "benchmark" ("pp512", "tg128",
    "pp512+tg128"), or derived from n_prompt/n_gen (also "prompt"/"gen"/"p"/"n");
  * depth from "depth" / "n_depth" / "d" (default 0);
  * tokens/s from "avg_ts" / "tokens_per_second" / "tps" / "ts" / "throughput"
    (or computed from "avg_ns" and the token count), spread from "stddev_ts" / "std_ts" /
    "stddev" / "std".
Rows are matched on (test, depth); the ratio column is longkv / llama.cpp (>1 = faster).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def die(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(1)


def load_rows(path: Path) -> list[dict]:
    if not path.is_file():
        die(f"no such file: {path}")
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        die(f"{path} is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as e:
            die(f"{path} is neither JSON nor JSON lines: {e}")
    return find_rows(data)


def looks_like_row(d) -> bool:
    return isinstance(d, dict) and any(k in d for k in TS_KEYS + ("avg_ns",))


def find_rows(data) -> list[dict]:
    if isinstance(data, list):
        rows = [r for r in data if isinstance(r, dict)]
        nested = [x for r in rows if not looks_like_row(r) for x in find_rows(r)]
        return [r for r in rows if looks_like_row(r)] + nested
    if isinstance(data, dict):
        if looks_like_row(data):
            return [data]
        out = []
        for v in data.values():
            if isinstance(v, (list, dict)):
                out += find_rows(v)
        return out
    return []


TS_KEYS = ("avg_ts", "tokens_per_second", "tokens_per_sec", "tps", "avg_tps", "ts", "throughput")
SD_KEYS = ("stddev_ts", "std_ts", "stddev_tps", "stddev", "std", "sd")
TEST_KEYS = ("test", "name", "benchmark", "bench")
DEPTH_KEYS = ("depth", "n_depth", "d", "context_depth")


def first(row: dict, keys, default=None):
    for k in keys:
        if k in row and row[k] is not None:
            return row[k]
    return default


def token_counts(row: dict) -> tuple[int, int]:
    p = int(first(row, ("n_prompt", "prompt", "p", "pp"), 0) or 0)
    g = int(first(row, ("n_gen", "gen", "n", "tg"), 0) or 0)
    return p, g


def test_name(row: dict) -> str | None:
    name = first(row, TEST_KEYS)
    if isinstance(name, str) and name:
        return name.strip().lower().replace(" ", "")
    p, g = token_counts(row)
    if p and g:
        return f"pp{p}+tg{g}"
    if p:
        return f"pp{p}"
    if g:
        return f"tg{g}"
    return None


def normalize(row: dict) -> tuple[tuple[str, int], float, float] | None:
    test = test_name(row)
    if test is None:
        return None
    depth = int(first(row, DEPTH_KEYS, 0) or 0)
    ts = first(row, TS_KEYS)
    if ts is None and "avg_ns" in row:
        p, g = token_counts(row)
        ts = (p + g) * 1e9 / float(row["avg_ns"]) if row["avg_ns"] else None
    if ts is None:
        return None
    sd = first(row, SD_KEYS, 0.0) or 0.0
    return (test, depth), float(ts), float(sd)


def table(path: Path) -> dict[tuple[str, int], tuple[float, float]]:
    out = {}
    for r in load_rows(path):
        n = normalize(r)
        if n:
            out[n[0]] = (n[1], n[2])
    if not out:
        die(f"no benchmark rows (test/depth/tokens-per-second) found in {path}")
    return out


def sort_key(key: tuple[str, int]):
    test, depth = key
    return (0 if test.startswith("pp") else 1 if test.startswith("tg") else 2, test, depth)


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    md = "--markdown" in argv
    if not args or len(args) > 2 or "--help" in argv or "-h" in argv:
        print(__doc__)
        sys.exit(0 if ("--help" in argv or "-h" in argv) else 2)
    ref = table(Path(args[0]))
    lk = table(Path(args[1])) if len(args) == 2 else None

    head = ["test", "depth", "llama.cpp t/s"]
    if lk is not None:
        head += ["LongKV t/s", "LongKV / llama.cpp"]
    body = []
    for key in sorted(set(ref) | set(lk or {}), key=sort_key):
        r = ref.get(key)
        row = [key[0], str(key[1]), f"{r[0]:.2f} ± {r[1]:.2f}" if r else "-"]
        if lk is not None:
            l = lk.get(key)
            row.append(f"{l[0]:.2f} ± {l[1]:.2f}" if l else "-")
            row.append(f"{l[0] / r[0]:.3f}" if (l and r and r[0] > 0) else "-")
        body.append(row)
    if md:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---:" if i > 0 else "---" for i in range(len(head))) + "|")
        for row in body:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
        fmt = lambda row: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))  # noqa: E731
        print(fmt(head))
        print("  ".join("-" * w for w in widths))
        for row in body:
            print(fmt(row))


if __name__ == "__main__":
    main(sys.argv[1:])
