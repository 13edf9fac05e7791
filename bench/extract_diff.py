"""Fact-by-fact differences between the extractors at a git revision and the working tree.

Usage:
    python bench/extract_diff.py [--base REV] [SET_OR_TEXT ...] [--summary]

A rebuild of the extractors must keep their behaviour: every difference this prints is
either a deliberate fix (listed in the commit that makes it) or a regression. The old
extractors are run from `git archive REV extractors` in a subprocess, so nothing of the
working tree leaks into them. Without arguments it compares on every labeled set of the
project (tests/data/*), the real dev set and the seed when ../shared is there.

Facts are compared on what a user sees: kind, chip, metric, value, unit, relative_to,
actor, action and the quote's offsets.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_eval import article_text  # noqa: E402  (bench scripts share the scorer's reader)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
KEY_FIELDS = ("kind", "chip", "metric", "value", "unit", "relative_to", "actor", "action",
              "char_start", "char_end")

# Runs inside the subprocess with the old tree first on sys.path; reads {name: text} as JSON
# on stdin and writes {name: [fact, ...]}.
_RUNNER = """
import json, sys
from chipwatch.extractors import extract_facts
texts = json.load(sys.stdin)
out = {}
for name, text in texts.items():
    out[name] = [f.to_dict() if hasattr(f, "to_dict") else dict(vars(f)) for f in extract_facts(text)]
json.dump(out, sys.stdout, ensure_ascii=False, default=str)
"""


def default_inputs() -> list[Path]:
    inputs = sorted(p for p in (REPO_ROOT / "tests" / "data").iterdir() if (p / "gold.jsonl").exists())
    if (SHARED / "corpus" / "dev" / "gold.jsonl").exists():
        inputs.append(SHARED / "corpus" / "dev")
    inputs += sorted((SHARED / "seed").glob("*.txt")) if (SHARED / "seed").exists() else []
    return inputs


def read_texts(inputs: list[Path]) -> dict[str, str]:
    """Every article of the given sets (folders of .txt files) and single text files."""
    texts: dict[str, str] = {}
    for path in inputs:
        files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
        for f in files:
            if f.name.lower() == "readme.txt":
                continue
            texts[f"{path.name}/{f.name}" if path.is_dir() else f.name] = \
                article_text(f.read_text(encoding="utf-8"))
    return texts


def old_facts(rev: str, texts: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Run extract_facts of revision `rev` over the texts in a subprocess."""
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "chipwatch"
        pkg.mkdir()
        (pkg / "__init__.py").write_text("")
        archive = subprocess.run(["git", "-C", str(REPO_ROOT), "archive", rev, "extractors"],
                                 check=True, capture_output=True).stdout
        tar_path = Path(tmp) / "old.tar"
        tar_path.write_bytes(archive)
        with tarfile.open(tar_path) as tar:
            tar.extractall(pkg, filter="data")
        done = subprocess.run([sys.executable, "-c", _RUNNER], input=json.dumps(texts),
                              capture_output=True, text=True, cwd=tmp,
                              env={"PYTHONPATH": tmp, "PATH": "/usr/bin:/bin"})
        if done.returncode != 0:
            raise SystemExit(f"the extractors at {rev} failed:\n{done.stderr[-2000:]}")
        return json.loads(done.stdout)


def new_facts(texts: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    from chipwatch.extractors import extract_facts
    return {name: [f.to_dict() for f in extract_facts(text)] for name, text in texts.items()}


def key(fact: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(fact.get(k) for k in KEY_FIELDS)


def describe(fact: dict[str, Any]) -> str:
    bits = [f"{k}={fact[k]}" for k in KEY_FIELDS[:8] if fact.get(k) is not None]
    return " ".join(bits) + f"  {fact.get('quote')!r}"


def diff(old: dict[str, list[dict[str, Any]]], new: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines: list[str] = []
    for name in sorted(set(old) | set(new)):
        o = Counter(key(f) for f in old.get(name, []))
        n = Counter(key(f) for f in new.get(name, []))
        gone, added = o - n, n - o
        if not gone and not added:
            continue
        lines.append(f"== {name}")
        by_key = {key(f): f for f in old.get(name, []) + new.get(name, [])}
        for k in sorted(gone, key=lambda k: (k[-2] or 0, str(k))):
            lines.append(f"  - {describe(by_key[k])}")
        for k in sorted(added, key=lambda k: (k[-2] or 0, str(k))):
            lines.append(f"  + {describe(by_key[k])}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, help="labeled set folders or text files")
    parser.add_argument("--base", default="HEAD", help="git revision of the old extractors (default HEAD)")
    parser.add_argument("--summary", action="store_true", help="only the counts")
    args = parser.parse_args(argv)
    texts = read_texts(args.inputs or default_inputs())
    old, new = old_facts(args.base, texts), new_facts(texts)
    lines = diff(old, new)
    n_old = sum(len(v) for v in old.values())
    n_new = sum(len(v) for v in new.values())
    removed = sum(1 for line in lines if line.startswith("  - "))
    added = sum(1 for line in lines if line.startswith("  + "))
    if not args.summary:
        print("\n".join(lines))
    print(f"{len(texts)} texts; facts at {args.base}: {n_old}, now: {n_new}; "
          f"only before: {removed}, only now: {added}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
