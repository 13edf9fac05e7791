"""Policy extraction on inputs no case file can list: odd and random text, and the actor
vocabulary the extractor leans on (canonical names, subjects and objects)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chipwatch.extractors.actors import actor_family, canonical_actor, find_actors
from chipwatch.extractors.engine import Expect
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.policy import NAME, VERSION, extract_policy
from policy_expect import check


def run(text: str) -> list[Fact]:
    facts = extract_policy(text)
    for f in facts:
        assert text[f.char_start:f.char_end] == f.quote
        assert f.kind == "policy"
        assert f.extractor == NAME and f.extractor_version == VERSION
    return facts


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "。", "%%%", "25%", "ban", "H200",
                                  "allow " * 500, "\x00\ufffd", "禁輸" * 100])
def test_odd_inputs_do_not_raise(text: str) -> None:
    assert isinstance(run(text), list)


def test_non_string_input_gives_nothing() -> None:
    assert extract_policy(None) == []  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_random_text_never_raises_and_offsets_hold(text: str) -> None:
    run(text)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([
    "The US will allow H200 exports to China.", "Beijing told firms not to buy the H20.",
    "a 25% fee", " according to Reuters", "neither of which are part of this deal",
    "、", "\n", "- ", "approved customers", "security review", "輸出禁止", "H100やH800",
]), max_size=12))
def test_fragment_soup_never_raises(parts: list[str]) -> None:
    run("".join(parts))


def test_actor_canonical_names() -> None:
    assert canonical_actor("the Trump administration") == "US"
    assert canonical_actor("U.S. Commerce Department") == "Commerce"
    assert canonical_actor("Bureau of Industry and Security") == "BIS"
    assert canonical_actor("Chinese regulators") == "China"
    assert canonical_actor("Beijing") == "China"
    assert canonical_actor("China's commerce ministry") == "MOFCOM"
    assert canonical_actor("President Donald Trump") == "Trump"
    assert canonical_actor("Advanced Micro Devices") == "AMD"
    assert canonical_actor("米国政府") == "US"
    assert actor_family("Commerce") == "US" and actor_family("CAC") == "China"


def test_country_in_object_position_is_not_a_subject() -> None:
    mentions = find_actors("Nvidia may sell chips to China and to US customers.")
    china = [m for m in mentions if m.actor == "China"][0]
    us = [m for m in mentions if m.actor == "US"][0]
    assert not china.subject_ok and not us.subject_ok


def test_pronoun_us_is_not_the_united_states() -> None:
    assert [m.actor for m in find_actors("Let us see what happens.")] == []


def test_actor_hints_never_hide_a_mention() -> None:
    from chipwatch.extractors import actors
    if not hasattr(actors, "_ENGLISH_HINTS"):
        pytest.skip("the actor finder keeps no hint lists any more")
    texts = ["Washington will let Nvidia ship its H200 accelerators to buyers in China.",
             "The Cyberspace Administration of China ordered companies to stop buying chips.",
             "Taiwan Semiconductor Manufacturing and Advanced Micro Devices met the Ministry of "
             "Industry and Information Technology and Malaysian officials in Kuala Lumpur."]
    for text in texts:
        low = text.lower()
        for (pattern, name), hints in zip(actors._ENGLISH_RE, actors._ENGLISH_HINTS):
            if pattern.search(text):
                assert any(h in low for h in hints), (name, text)


def test_expectations_fail_when_facts_differ() -> None:
    """The checker of the case files really rejects wrong, missing and extra facts."""
    facts = run("In 2022 the United States banned exports of the A100 and H100 to China.")
    check(facts, Expect(present=({"action": "ban_export", "chip": "A100"},)), "ok")
    with pytest.raises(AssertionError):
        check(facts, Expect(present=({"action": "allow_export"},)), "wrong action")
    with pytest.raises(AssertionError):
        check(facts, Expect(present=({"action": "ban_export", "chip": "A100"},), exact=True),
              "extra fact")
    with pytest.raises(AssertionError):
        check(facts, Expect(absent=({"chip": "H100"},)), "forbidden fact")
    with pytest.raises(AssertionError):
        check(facts, Expect(none=True), "not empty")
    with pytest.raises(AssertionError):
        check(facts, Expect(present=({"chip": ""},)), "no chip-less fact")


def test_a_bad_rule_file_names_its_file_and_row(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from chipwatch.extractors.engine import RuleError
    from chipwatch.extractors.policy import tables
    (tmp_path / "bad.toml").write_text(
        '[[trigger]]\nname = "x"\nmode = "allow"\npattern = "a"\nexample = "a"\n'
        '[[trigger]]\nname = "y"\nmode = "perhaps"\npattern = "b"\nexample = "b"\n',
        encoding="utf-8")
    (tmp_path / "broken.toml").write_text("[[trigger]\n", encoding="utf-8")
    monkeypatch.setattr(tables, "RULES", tmp_path)
    with pytest.raises(RuleError, match=r"bad\.toml: \[\[trigger\]\] #2 \(y\): unknown mode"):
        tables._load_triggers("bad.toml", "en")
    with pytest.raises(RuleError, match=r"broken\.toml"):
        tables._load_triggers("broken.toml", "en")
