"""Spec tables and parallel lists: numbers paired with chips by position.
"""

from __future__ import annotations

import bisect
import re

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.figures.doc import (
    CLAUSE_CUT_RE,
    Doc,
    chips_in,
    clause_around,
    is_bullet_sentence,
    is_spec_line,
    make_fact,
    rounded,
)
from chipwatch.extractors.figures.measures import LIST_UNITS, cell_metric
from chipwatch.extractors.figures.mentions import COORD_GAP_RE
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span

_CELL_SEP_RE = re.compile(r"\s*(?:\||\t)\s*")


_RULE_ROW_RE = re.compile(r"[\s|:+-]*")


_MAX_TABLE_LINES = 200


def table_blocks(text: str) -> list[list[tuple[int, int]]]:
    """Runs of two or more lines split into three or more cells by '|' or tabs: a table a
    text extractor flattened. Each line is (start, end) in the text."""
    blocks: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line = text[pos:end]
        cells = line.count("|") + line.count("\t")
        if cells >= 2 and len(line) < 400 and not (_RULE_ROW_RE.fullmatch(line) and run):
            run.append((pos, end))
        elif _RULE_ROW_RE.fullmatch(line) and run and line.strip():
            pass  # a markdown rule row "|---|---|" inside a table
        else:
            if len(run) >= 2:
                blocks.append(run[:_MAX_TABLE_LINES])
            run = []
        if nl < 0:
            break
        pos = nl + 1
    if len(run) >= 2:
        blocks.append(run[:_MAX_TABLE_LINES])
    return blocks


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cell spans of one table line, without the outer pipes of markdown rows."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _CELL_SEP_RE.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    if out and not text[out[0][0]:out[0][1]].strip():
        out = out[1:]
    if out and not text[out[-1][0]:out[-1][1]].strip():
        out = out[:-1]
    return out


def table_facts(doc: Doc, block: list[tuple[int, int]]) -> list[Fact]:
    text = doc.text
    rows = [_cells(text, a, b) for a, b in block]
    header = rows[0]
    header_chips = [chips_in(doc, a, b) for a, b in header]
    by_column = sum(1 for cs in header_chips[1:] if cs) >= 2 and not header_chips[0]
    if not by_column and chips_in(doc, *header[0]):
        header = []  # no header line: rows start straight away
        body = rows
    else:
        body = rows[1:]
    facts: list[Fact] = []
    for row in body:
        if len(row) < 2:
            continue
        row_chips = chips_in(doc, *row[0])
        for j, (a, b) in enumerate(row[1:], start=1):
            if by_column:
                chips = header_chips[j] if j < len(header_chips) else []
                label = text[row[0][0]:row[0][1]]
            else:
                chips = row_chips
                label = text[header[j][0]:header[j][1]] if j < len(header) else ""
            if len(chips) != 1:
                continue
            i = bisect.bisect_left(doc.q_starts, a)
            while i < len(doc.quantities) and doc.quantities[i].start < b:
                q = doc.quantities[i]
                i += 1
                if q.end > b or any(c.start < q.end and q.start < c.end for c in doc.chips[
                        bisect.bisect_left(doc.chip_starts, a):bisect.bisect_left(doc.chip_starts, b)]):
                    continue
                mu = cell_metric(label, q)
                if mu is None or q.value is None or q.unit in ("%", "x", "months"):
                    continue
                metric, unit = mu
                if metric == "price" and q.unit is None and q.value < 100:
                    continue
                f = make_fact("chip_figure", doc, a, b, chip=chips[0].chip, metric=metric,
                          value=rounded(q.value), unit=unit, approx=q.approx,
                          low=rounded(q.low), high=rounded(q.high), extra={"table": True})
                if f is not None:
                    facts.append(f)
    return facts


_NUM_LIST_GAP_RE = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:(?:about|roughly|around|some|nearly|almost)\s+)?")


_RESPECTIVELY_RE = re.compile(r"\brespectively\b", re.I)


_RANGE_BEFORE_RE = re.compile(r"\b(?:between|from)\s+(?:about\s+|roughly\s+|around\s+)?$", re.I)


_EACH_RE = re.compile(r"\b(?:each|both|all|apiece|combined|together|total)\b", re.I)


def _runs(items: list, joined) -> list[list]:  # noqa: ANN001 - chips or quantities
    """Maximal runs of consecutive items whose gaps satisfy `joined`."""
    runs: list[list] = []
    for it in items:
        if runs and joined(runs[-1][-1], it):
            runs[-1].append(it)
        else:
            runs.append([it])
    return [r for r in runs if len(r) >= 2]


def list_facts(doc: Doc, sent: Span, s_chips: list[ChipMention],
                s_qty: list[Quantity]) -> tuple[list[Fact], set[int]]:
    """'The H100, H800 and H20 offer 3.35, 3.35 and 4.0 TB/s, respectively': pair in order."""
    if len(s_chips) < 2 or len(s_qty) < 2:
        return [], set()
    text = doc.text
    chip_lists = _runs(s_chips, lambda a, b: bool(COORD_GAP_RE.fullmatch(text, a.end, b.start)))
    if not chip_lists:
        return [], set()

    def q_joined(a: Quantity, b: Quantity) -> bool:
        return (a.low is None and b.low is None and a.unit in LIST_UNITS and b.unit in LIST_UNITS
                and (a.unit is None or a.unit == b.unit)
                and bool(_NUM_LIST_GAP_RE.fullmatch(text, a.end, b.start)))

    num_lists = _runs(s_qty, q_joined)
    if not num_lists:
        return [], set()
    respectively = bool(_RESPECTIVELY_RE.search(text, sent.start, sent.end))
    if not respectively and (len(chip_lists) != 1 or len(num_lists) != 1
                             or len(chip_lists[0]) != len(s_chips)):
        return [], set()
    facts: list[Fact] = []
    handled: set[int] = set()
    for nums in num_lists:
        cands = [cl for cl in chip_lists if len(cl) == len(nums)]
        if len(cands) != 1 or _RANGE_BEFORE_RE.search(text, sent.start, nums[0].start):
            continue
        cl = cands[0]
        lo, hi = min(cl[0].start, nums[0].start), max(cl[-1].end, nums[-1].end)
        between = text[min(cl[-1].end, nums[-1].end):max(cl[0].start, nums[0].start)]
        apart = bool(CLAUSE_CUT_RE.search(between))
        if not respectively and (len(between) > 60 or apart or _EACH_RE.search(between)):
            continue
        if apart and cl[0].start < nums[0].start:  # "..., while their sizes are 80GB, 80GB and 96GB"
            lo = clause_around(doc, sent, nums[0].start, nums[0].start)[0]
        else:
            lo = clause_around(doc, sent, lo, lo)[0]
        _, c_hi = clause_around(doc, sent, hi, hi)
        unit = nums[-1].unit
        label = text[lo:c_hi]
        if unit is None and any(n.unit for n in nums):
            continue
        made: list[Fact] = []
        for c, n in zip(cl, nums):
            q = Quantity(n.value, unit, n.start, n.end, n.text, approx=n.approx)
            mu = cell_metric(label, q)
            if mu is None:
                break
            metric, out_unit = mu
            f = make_fact("chip_figure", doc, lo, c_hi, chip=c.chip, metric=metric, value=rounded(n.value),
                      unit=out_unit, approx=n.approx, extra={"list": True})
            if f is None:
                break
            made.append(f)
        else:
            facts.extend(made)
            handled.update(n.start for n in nums)
    return facts, handled


_PAIR_GAP_RE = re.compile(r"\s*(?:vs\.?|versus|/|対|、|,|and)\s*", re.I)


def header_pair_facts(doc: Doc, si: int, sent: Span, s_qty: list[Quantity]) -> tuple[list[Fact], set[int]]:
    """'H200 vs H20 at a glance' then '- Memory: 141GB vs 96GB': a spec line with one value
    per chip of the heading above its list, paired in order (never all given to the first)."""
    if len(s_qty) < 2 or not (is_bullet_sentence(doc, sent) or is_spec_line(doc, sent)):
        return [], set()
    text = doc.text
    nums = [q for q in s_qty if q.unit in LIST_UNITS and q.low is None]
    if len(nums) < 2 or any(not _PAIR_GAP_RE.fullmatch(text, a.end, b.start) for a, b in zip(nums, nums[1:])):
        return [], set()
    units = {q.unit for q in nums}
    if len(units - {None}) > 1:
        return [], set()
    header = _header_chips(doc, si)
    if header is None:
        return [], set()
    if len(header) != len(nums):
        return [], {n.start for n in nums}  # cannot pair: better none than all to the first chip
    unit = next((u for u in (q.unit for q in nums) if u is not None), None)
    label = text[sent.start:nums[0].start]
    facts: list[Fact] = []
    for chip, n in zip(header, nums):
        mu = cell_metric(label, Quantity(n.value, unit, n.start, n.end, n.text, approx=n.approx))
        if mu is None:
            return [], set()
        f = make_fact("chip_figure", doc, sent.start, sent.end, chip=chip, metric=mu[0], value=rounded(n.value),
                      unit=mu[1], approx=n.approx, extra={"list": True})
        if f is not None:
            facts.append(f)
    return facts, {n.start for n in nums}


def _header_chips(doc: Doc, si: int, reach: int = 20) -> list[str] | None:
    """The chips, in order, of the line heading the list sentence `si` is in ('H200 vs H20
    at a glance', 'Chip: H200 / H20'), when it names two or more and no figure."""
    for k in range(si - 1, max(-1, si - 1 - reach), -1):
        s = doc.sentences[k]
        chips = list(dict.fromkeys(c.chip for c in chips_in(doc, s.start, s.end)))
        has_figure = any(s.start <= q.start < s.end and q.unit for q in doc.quantities)
        if len(chips) >= 2 and not has_figure:
            return chips
        if not (is_bullet_sentence(doc, s) or is_spec_line(doc, s)) or chips:
            return None
    return None
