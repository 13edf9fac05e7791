"""The article-body scorer of bench/article_eval.py: the benchmark's shingle metric, and the
script's behaviour on a small benchmark folder and on a missing one."""
from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _load():
    name = "chipwatch_bench_article_eval"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "article_eval.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


ev = _load()

TRUTH = ("The United States will allow exports of the H200 to approved customers in China. "
         "Washington will collect a 25% fee on the sales.")


def test_shingles_are_four_token_runs_with_repeats_counted() -> None:
    assert ev.shingles("a b c d e") == {"a b c d": 1, "b c d e": 1}
    assert ev.shingles("a b") == {"a b": 1}  # shorter than four tokens: one shingle
    assert ev.shingles("x y z w x y z w")["x y z w"] == 2
    assert ev.shingles("") == {}


def test_identical_text_scores_one_and_disjoint_text_zero() -> None:
    same = ev.score_page("p", "u", TRUTH, TRUTH)
    assert (same.precision, same.recall, same.f1) == (1.0, 1.0, 1.0)
    other = ev.score_page("p", "u", TRUTH, "Completely unrelated words about the weather in spring today")
    assert (other.precision, other.recall) == (0.0, 0.0)


def test_empty_pages() -> None:
    both = ev.score_page("p", "u", "", "")
    assert (both.precision, both.recall) == (1.0, 1.0)
    missed = ev.score_page("p", "u", TRUTH, "")
    assert (missed.precision, missed.recall) == (0.0, 0.0)


def test_extra_text_lowers_precision_only_and_pages_weigh_the_same() -> None:
    padded = ev.score_page("p", "u", TRUTH, TRUTH + " Read more stories from our newsroom every single day")
    assert padded.recall == 1.0 and 0.5 < padded.precision < 1.0
    half = ev.score_page("q", "u", TRUTH, TRUTH.split(". ")[0])
    assert half.precision == 1.0 and half.recall < 1.0
    p, r, f = ev.summarise([padded, half])
    assert p == pytest.approx((padded.precision + half.precision) / 2)
    assert r == pytest.approx((padded.recall + half.recall) / 2)
    assert f == pytest.approx(2 * p * r / (p + r))
    spread = ev.bootstrap([padded, half], rounds=200)
    assert spread == ev.bootstrap([padded, half], rounds=200)  # fixed seed: same figures each run
    assert all(s > 0 for s in spread)


def _bench_dir(tmp_path: Path) -> Path:
    (tmp_path / "html").mkdir()
    pages = {
        "a1": ("<html><body><nav><a href='/'>Home</a></nav><article><p>The United States will allow exports "
               "of the H200 to approved customers in China.</p><p>Washington will collect a 25% fee on the "
               "sales.</p></article></body></html>", TRUTH),
        "b2": ("<html><body><div class='story'><p>China asked its companies to justify every purchase of the "
               "chips, officials said on Tuesday.</p></div></body></html>",
               "China asked its companies to justify every purchase of the chips, officials said on Tuesday."),
    }
    truth = {}
    for key, (html, body) in pages.items():
        (tmp_path / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
        truth[key] = {"articleBody": body, "url": f"https://news.example.test/{key}"}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return tmp_path


def test_script_scores_a_benchmark_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ev.main([str(_bench_dir(tmp_path)), "--only", "parse_article", "--worst", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 pages from" in out
    row = next(line for line in out.splitlines() if line.startswith("| parse_article |"))
    assert row.split("|")[2].strip().startswith("1.000")  # both pages extracted exactly
    assert "worst 2 pages" in out and "news.example.test/a1" in out


def test_script_exits_clearly_without_the_benchmark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ev.main([str(tmp_path / "absent")]) == 2
    err = capsys.readouterr().err
    assert "no benchmark" in err and err.count("\n") == 1
