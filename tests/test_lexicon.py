"""The vocabulary as data: the shipped tables, a user's lexicon files, and their errors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from chipwatch.extractors import lexicon
from chipwatch.extractors.actors import actor_family, canonical_actor, find_actors
from chipwatch.extractors.chips import (
    chip_family,
    chip_kind,
    family_members,
    find_chips,
    vendor_of,
)
from chipwatch.extractors.facts import ACTIONS  # noqa: F401  (the vocabulary module loads)
from chipwatch.extractors.lexicon import LexiconError
from chipwatch.extractors.outlets import outlet_domains, outlet_for_domain, outlet_names_pattern
from chipwatch.monitor.config import ConfigError, load_config


@pytest.fixture(autouse=True)
def _shipped_only():
    lexicon.use_files([])
    yield
    lexicon.use_files([])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_tables_load_and_hold_the_story() -> None:
    names = [r.name for r in lexicon.rows("chip")]
    assert len(names) == len(set(names)) and {"H200", "Ascend 910C", "GB200 NVL72"} <= set(names)
    assert chip_family("H200") == "Hopper" and chip_family("Hopper") == "Hopper"
    assert chip_kind("CloudMatrix 384") == "system" and chip_kind("Blackwell") == "family"
    assert chip_kind("nonsense") is None and chip_family("nonsense") is None
    assert "B200" in family_members("Blackwell") and "H200" not in family_members("Blackwell")
    assert actor_family("Commerce") == "US" and actor_family("MOFCOM") == "China"
    assert outlet_for_domain("www.reuters.com") == "Reuters"
    assert outlet_for_domain("example.com") is None
    assert outlet_domains("CFR") == {"cfr.org"}


def test_every_chip_family_is_a_family_and_every_actor_family_an_actor() -> None:
    kinds = {r.name: r.kind for r in lexicon.rows("chip")}
    for row in lexicon.rows("chip"):
        assert row.family is None or kinds.get(row.family, "family") == "family", row
    actors = {r.name for r in lexicon.rows("actor")}
    assert all(r.family in actors for r in lexicon.rows("actor"))


def test_outlet_pattern_reads_attributions() -> None:
    import re

    pattern = re.compile(rf"\b(?:according\s+to\s+)({outlet_names_pattern()})\b")
    for text, name in [("according to Reuters", "Reuters"), ("according to the Financial Times",
                        "the Financial Times"), ("according to Tom’s Hardware", "Tom’s Hardware")]:
        m = pattern.search(text)
        assert m and m.group(1) == name


SECOND_STORY = """
[[chip]]
name = "Gaudi 4"
vendor = "Intel"
family = "Gaudi"
aliases = ["Gaudi 4"]

[[chip]]
name = "H20"          # same name: replaces the shipped row, in its place
vendor = "Nvidia"
family = "Hopper"
made_for = "China"
patterns = ['H20(?:E)?', 'H-20']

[[chip]]
name = "TPU v7 pod"
vendor = "Google"
family = "TPU"
kind = "system"
patterns = ['Ironwood\\s+pod']

[[actor]]
name = "Alphabet"
type = "company"
aliases = ["Alphabet", "Google"]

[[outlet]]
name = "The Register"
domains = ["theregister.com"]
attribution = ['(?:The\\s+)?Register']
"""


def test_user_rows_add_to_and_override_the_shipped_ones(tmp_path: Path) -> None:
    before = [r.name for r in lexicon.rows("chip")]
    shipped_print = lexicon.fingerprint()
    lexicon.use_files([write(tmp_path / "story.toml", SECOND_STORY)])
    assert lexicon.fingerprint() != shipped_print and len(shipped_print) == 12
    after = [r.name for r in lexicon.rows("chip")]
    assert after == before + ["Gaudi 4", "TPU v7 pod"]  # H20 replaced in place
    # a new row against a shipped one on the same words: the longer mention wins
    assert [m.chip for m in find_chips("an Ironwood pod of Ironwood chips")] == [
        "TPU v7 pod", "TPU v7"]
    assert chip_kind("TPU v7 pod") == "system"
    assert [m.chip for m in find_chips("Intel's Gaudi4 and the H-20")] == ["Gaudi 4", "H20"]
    assert vendor_of("Gaudi 4") == "Intel" and chip_family("Gaudi 4") == "Gaudi"
    assert canonical_actor("Google") == "Alphabet" and actor_family("Alphabet") == "Alphabet"
    assert [a.actor for a in find_actors("Google said so.")] == ["Alphabet"]
    assert outlet_for_domain("www.theregister.com") == "The Register"
    assert "Register" in outlet_names_pattern()
    lexicon.use_files([])
    assert find_chips("Gaudi 4") == [] or find_chips("Gaudi 4")[0].known is False
    assert canonical_actor("Google") is None


@pytest.mark.parametrize(
    "content, line, expected",
    [
        ('[[chip]]\nname = "X1"\nvendor = "Acme"\nkind = "rack"\n', 4,
         'chip[1] "X1": kind "rack" must be one of: chip, system, family'),
        ('[[chip]]\nname = "X1"\nvendor = "Acme"\npatterns = ["X1(" ]\n', 4,
         'chip[1] "X1": patterns[1] "X1(" is not a valid regular expression'),
        ('[[chip]]\nname = "X1"\nvendor = "Acme"\npatterns = ["x?"]\n', 4,
         'patterns[1] "x?" matches empty text'),
        ('[[chip]]\nname = "X1"\nvendr = "Acme"\n', 3,
         'chip[1] "X1": vendr is not a known key (did you mean "vendor"?)'),
        ('[[chip]]\nname = "X1"\n', 1, 'chip[1] "X1": vendor is required'),
        ('\n[[chips]]\nname = "X1"\n', 2, "chips is not a known table"),
        ('[[chip]]\nname = "X1"\nvendor = "A"\n\n[[chip]]\nname = "X1"\nvendor = "B"\n', 6,
         '"X1" is used twice in this file (also chip[1])'),
        ('[[chip]]\nname = "X1"\nvendor = "Acme"\nfamily = "H200"\n', 4,
         'chip[1] "X1": family "H200" is a chip, not a family'),
        ('[[actor]]\nname = "Acme"\ntype = "company"\nfamily = "Nowhere"\n', 4,
         'actor[1] "Acme": family "Nowhere" is not the name of an actor row'),
        ('[[actor]]\nname = "Acme"\ntype = "firm"\n', 3, 'type "firm" must be one of'),
        ('[[actor]]\nname = "Acme"\ntype = "company"\nenglish = [{ pattern = "Acme", hints = ["ACME"] }]\n',
         4, 'hints[1] "ACME" must be lower case'),
        ('[[outlet]]\nname = "Acme News"\ndomains = ["not a domain"]\n', 3,
         'domains[1] "not a domain" is not a domain'),
        ('[[line]]\nword = "Acme"\n', 1, 'line[1] "Acme": vendor is required'),
        ('[[chip]]\nname = "X1"\nvendor = \n', 3, "TOML syntax error"),
    ],
)
def test_bad_file_is_one_line_with_file_and_line(tmp_path: Path, content: str, line: int,
                                                   expected: str) -> None:
    path = write(tmp_path / "mine.toml", content)
    with pytest.raises(LexiconError) as caught:
        lexicon.use_files([path])
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}:"), message
    assert expected in message, message
    assert isinstance(caught.value, ConfigError)
    # a bad file changes nothing
    assert lexicon.user_files() == () and "X1" not in [r.name for r in lexicon.rows("chip")]


def test_config_names_lexicon_files_relative_to_itself(tmp_path: Path) -> None:
    write(tmp_path / "story.toml", SECOND_STORY)
    config = write(tmp_path / "chipwatch.toml", 'lexicon = ["story.toml"]\nsources = ""\n')
    loaded = load_config(config)
    assert loaded.lexicon == [tmp_path / "story.toml"]
    assert lexicon.user_files() == (tmp_path / "story.toml",)
    assert find_chips("Gaudi 4")[0].chip == "Gaudi 4" and find_chips("Gaudi 4")[0].known
    load_config(write(tmp_path / "plain.toml", 'sources = ""\n'))
    assert lexicon.user_files() == ()


def test_config_with_a_missing_lexicon_file(tmp_path: Path) -> None:
    config = write(tmp_path / "chipwatch.toml", 'sources = ""\nlexicon = ["a.toml", "gone.toml"]\n')
    write(tmp_path / "a.toml", "")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert str(caught.value).startswith(f'{config}:2: lexicon file 2, "gone.toml", does not exist')


def test_cli_bad_lexicon_exits_2_with_one_line(cw, tmp_path: Path) -> None:
    write(tmp_path / "bad.toml", '[[chip]]\nname = "X1"\nvendor = "Acme"\nkind = "rack"\n')
    config = write(tmp_path / "chipwatch.toml", 'sources = ""\nlexicon = ["bad.toml"]\n')
    r = cw("--config", config, "extract", "-", stdin=b"The H200 is fast.")
    assert r.code == 2 and r.err.count("\n") == 1
    assert f"{tmp_path / 'bad.toml'}:4:" in r.err and "kind" in r.err


def test_cli_extract_uses_the_users_lexicon(cw, tmp_path: Path) -> None:
    write(tmp_path / "story.toml", SECOND_STORY)
    config = write(tmp_path / "chipwatch.toml", 'sources = ""\nlexicon = ["story.toml"]\n')
    text = b"Intel's Gaudi 4 offers 128 GB of HBM memory, the company said."
    r = cw("--config", config, "extract", "-", "--format", "json", stdin=text)
    assert r.code == 0, r.err
    facts = [json.loads(line) for line in r.out.splitlines()]
    assert any(f["chip"] == "Gaudi 4" and f["metric"] == "memory_capacity" for f in facts), facts


def test_another_module_registers_a_table_with_its_own_file(tmp_path: Path) -> None:
    from chipwatch.extractors.lexicon.tomlcheck import Key, stripped_text

    shipped = write(tmp_path / "verbs.toml", '[[verb]]\nword = "bars"\naction = "ban_export"\n')
    user = write(tmp_path / "mine.toml", '[[verb]]\nword = "lets"\naction = "allow_export"\n\n'
                                         '[[verb]]\nword = "bars"\naction = "other"\n')

    schema = {"word": Key(stripped_text), "action": Key(stripped_text)}
    try:
        lexicon.register("verb", schema, lambda r, o: _Verb(r["word"], r["action"], o),
                         key="word", shipped=shipped)
        assert [(v.word, v.action) for v in lexicon.rows("verb")] == [("bars", "ban_export")]
        lexicon.use_files([user])
        rows = lexicon.rows("verb")
        assert [(v.word, v.action) for v in rows] == [("bars", "other"), ("lets", "allow_export")]
        assert rows[0].origin == "mine.toml:5"
    finally:
        lexicon.use_files([])
        lexicon.unregister("verb")
    with pytest.raises(KeyError):
        lexicon.rows("verb")
    assert len(lexicon.rows("chip")) > 60


@dataclass(frozen=True)
class _Verb:
    word: str
    action: str
    origin: str
