"""Fill generated packs in a real LibreOffice Calc, save as .xlsx/.xls/.ods, collect them back.

LibreOffice is what many branches use instead of Excel; it rewrites the whole workbook on save
(very hidden sheets become hidden, formulas get its own cached values), so these tests check
that everything sheetops relies on survives that round trip.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sheetops.app.collect import CollectReport, collect_round
from sheetops.app.generate import GenerateResult
from sheetops.core.identity import META_SHEET
from sheetops.layout.packs import PackPlan
from sheetops.layout.scoresheet import scoresheet_layout
from sheetops.ledger.store import Ledger, Submission
from sheetops.model.workspace import Round, open_round

from .libreoffice import ODS, XLS, XLSX, LibreOffice, soffice_available

pytestmark = pytest.mark.skipif(
    not soffice_available(),
    reason="needs LibreOffice: `soffice` on PATH and /usr/bin/python3 able to `import uno` "
    "(apt-get install libreoffice-calc-nogui python3-uno)",
)

SUFFIX = {XLSX: ".xlsx", XLS: ".xls", ODS: ".ods"}
FORMAT = {XLSX: "xlsx", XLS: "xls", ODS: "ods"}
HALF = Decimal("0.5")
Cell = dict[str, Any]


@pytest.fixture(scope="module")
def office() -> Iterator[LibreOffice]:
    """One headless LibreOffice for the whole module."""
    with LibreOffice() as running:
        yield running


@pytest.fixture
def private_round(sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> Round:
    """A private copy of the generated sample round (the session's copy stays untouched)."""
    root = tmp_path / "round"
    shutil.copytree(sample_round[0].paths.root, root)
    return open_round(root)


def pack_for(result: GenerateResult, recipient: str) -> PackPlan:
    """The pack sent to ``recipient``."""
    return next(pack for pack in result.packs if pack.recipient == recipient)


def typed_score(form_index: int, item_index: int, maximum: Decimal) -> Decimal:
    """A varied, valid score: full marks, half a point off or a point off (never below 0)."""
    off = HALF * ((form_index + 2 * item_index) % 3)
    return max(maximum - off, Decimal(0))


@dataclass
class Filling:
    """The cells to type into one pack, and what the ledger must then hold per form."""

    cells: list[Cell] = field(default_factory=list)
    scores: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    vetoes: dict[str, dict[str, bool]] = field(default_factory=dict)


def fill_plan(round_: Round, pack: PackPlan, *, skip: tuple[str, ...] = ()) -> Filling:
    """Type a number into every score cell of every form (a note below max), 否 for vetoes.

    Args:
        round_: the round (scheme).
        pack: the pack to fill.
        skip: form ids left untouched.
    """
    scheme = round_.scheme
    filling = Filling()
    for form_index, form in enumerate(pack.forms):
        form_id = form.identity.form_id
        if form_id in skip:
            continue
        layout = scoresheet_layout(scheme, form.identity.role)
        scores: dict[str, Decimal] = {}
        notes: dict[str, str] = {}
        for item_index, item in enumerate(scheme.items):
            row = layout.score_rows[item.id] + 1
            score = typed_score(form_index, item_index, item.max)
            filling.cells.append({"sheet": form.sheet, "cell": f"F{row}", "number": float(score)})
            scores[item.id] = score
            if score < item.max:
                notes[item.id] = f"第{item_index + 1}项扣{item.max - score}分：材料不全"
                filling.cells.append({"sheet": form.sheet, "cell": f"G{row}",
                                      "text": notes[item.id]})
        for row in layout.veto_rows.values():
            filling.cells.append({"sheet": form.sheet, "cell": f"F{row + 1}", "text": "否"})
        filling.scores[form_id] = scores
        filling.notes[form_id] = notes
        filling.vetoes[form_id] = {veto_id: False for veto_id in layout.veto_rows}
    return filling


def job(source: Path, target: Path, filter_name: str, cells: list[Cell], *,
        recalculate: bool) -> dict[str, Any]:
    """One lo_fill.py job."""
    return {"source": str(source), "target": str(target), "filter": filter_name,
            "recalculate": recalculate, "cells": cells}


def current(round_: Round) -> dict[str, Submission]:
    """The ledger's counting submission of each form."""
    with Ledger(round_.paths.ledger) as ledger:
        return ledger.current_submissions()


def scores_of(submission: Submission) -> dict[str, Decimal]:
    """A submission's item scores, exact."""
    return {item: Decimal(value) for item, value in submission.payload["scores"].items()}


def collect_one(round_: Round, path: Path) -> CollectReport:
    """Collect one returned file and check it was seen as one file."""
    report = collect_round(round_, [path])
    assert [f.record.name for f in report.files] == [path.name]
    return report


def issue_places(report: CollectReport) -> list[tuple[str, str | None, str | None]]:
    """Every issue of a one-file report as (code, sheet, cell), in report order."""
    return [(i.code, i.sheet, i.cell) for i in report.files[0].issues]


# -- (1)–(3) a whole pack typed in Calc and saved in each format ----------------------------


@pytest.mark.parametrize("filter_name", [XLSX, XLS, ODS])
def test_pack_filled_in_calc_is_accepted_exactly(
    office: LibreOffice, private_round: Round, sample_round: tuple[Round, GenerateResult],
    tmp_path: Path, filter_name: str,
) -> None:
    pack = pack_for(sample_round[1], "0101")
    filling = fill_plan(private_round, pack)
    target = tmp_path / f"0101-returned{SUFFIX[filter_name]}"
    office.fill([job(private_round.paths.outbox / pack.file, target, filter_name,
                     filling.cells, recalculate=True)])

    report = collect_one(private_round, target)
    outcome = report.files[0]
    form_ids = [form.identity.form_id for form in pack.forms]
    assert outcome.record.format == FORMAT[filter_name]
    assert outcome.status == "accepted"
    assert [(f["form_id"], f["status"]) for f in outcome.forms] == [
        (form_id, "accepted") for form_id in form_ids]
    assert outcome.issues == []

    submissions = current(private_round)
    assert sorted(submissions) == sorted(form_ids)
    for form_id in form_ids:
        payload = submissions[form_id].payload
        assert scores_of(submissions[form_id]) == filling.scores[form_id]
        assert payload["notes"] == filling.notes[form_id]
        assert payload["vetoes"] == filling.vetoes[form_id]
    assert filling.vetoes["self-0101"] == {"disunity": False, "task_failure": False,
                                           "discipline": False}


# -- (4) what people type instead of numbers ------------------------------------------------


def test_text_typed_into_cells_is_read_or_rejected_with_its_place(
    office: LibreOffice, private_round: Round, sample_round: tuple[Round, GenerateResult],
    tmp_path: Path,
) -> None:
    scheme = private_round.scheme
    pack = pack_for(sample_round[1], "0101")
    self_form, peer_form = pack.forms[0], pack.forms[1]
    assert (self_form.identity.form_id, peer_form.identity.form_id) == (
        "self-0101", "peer-0101-0102")
    filling = fill_plan(private_round, pack)
    # Full-width "２．５" typed as text into the first item worth at least 3 (with a note).
    wide = next(item for item in scheme.items if item.max >= 3)
    layout = scoresheet_layout(scheme, "self")
    wide_cell = f"F{layout.score_rows[wide.id] + 1}"
    wide_note = f"G{layout.score_rows[wide.id] + 1}"
    # "很好" typed into the peer form's third item; 是 for the self form's first veto, no detail.
    praised = scheme.items[2]
    praised_cell = f"F{scoresheet_layout(scheme, 'peer').score_rows[praised.id] + 1}"
    first_veto = scheme.vetoes[0].id
    veto_cell = f"F{layout.veto_rows[first_veto] + 1}"
    overrides = {
        (self_form.sheet, wide_cell): {"text": "２．５"},
        (self_form.sheet, wide_note): {"text": "会议记录缺两次"},
        (peer_form.sheet, praised_cell): {"text": "很好"},
        (self_form.sheet, veto_cell): {"text": "是"},
    }
    cells = [c for c in filling.cells if (c["sheet"], c["cell"]) not in overrides]
    cells += [{"sheet": sheet, "cell": address, **value}
              for (sheet, address), value in overrides.items()]
    target = tmp_path / "0101-typed-text.xlsx"
    office.fill([job(private_round.paths.outbox / pack.file, target, XLSX, cells,
                     recalculate=True)])

    report = collect_one(private_round, target)
    outcome = report.files[0]
    statuses = {f["form_id"]: f["status"] for f in outcome.forms}
    # 是 without its details is an error: the self form goes back, as the peer form with 很好.
    assert statuses == {"self-0101": "rejected", "peer-0101-0102": "rejected",
                        "peer-0101-0110": "accepted", "peer-0101-0112": "accepted"}
    assert outcome.status == "accepted-with-warnings"

    # SUM() skips the text "２．５", so the file's own subtotal and total are 2.5 short of
    # what sheetops reads; it says so after the cell issues of the form.
    section = next(s for s in scheme.sections if wide in s.items)
    subtotal_cell = f"F{layout.subtotal_rows[section.id][2] + 1}"
    total_cell = f"F{layout.total_row + 1}"
    assert issue_places(report) == [
        ("score-normalised", self_form.sheet, wide_cell),
        ("veto-note-missing", self_form.sheet, veto_cell),
        ("total-mismatch", self_form.sheet, subtotal_cell),
        ("total-mismatch", self_form.sheet, total_cell),
        ("score-not-number", peer_form.sheet, praised_cell),
    ]
    mismatches = [i.params for i in outcome.issues if i.code == "total-mismatch"]
    self_scores = {**filling.scores["self-0101"], wide.id: Decimal("2.5")}
    section_sum = sum((self_scores[i.id] for i in section.items), Decimal(0))
    total = sum(self_scores.values(), Decimal(0))
    assert [(Decimal(str(m["claimed"])), Decimal(str(m["actual"]))) for m in mismatches] == [
        (section_sum - Decimal("2.5"), section_sum), (total - Decimal("2.5"), total)]

    submissions = current(private_round)
    assert sorted(submissions) == ["peer-0101-0110", "peer-0101-0112"]
    with Ledger(private_round.paths.ledger) as ledger:
        [self_submission] = [s for s in ledger.submissions(outcome.record.sha256)
                             if s.form_id == "self-0101"]
    assert self_submission.payload["scores"][wide.id] == "2.5"
    assert scores_of(self_submission) == self_scores
    assert self_submission.payload["vetoes"] == {
        veto.id: veto.id == first_veto for veto in scheme.vetoes}


# -- (5) saved without recalculation --------------------------------------------------------


def test_saved_without_recalculation_still_totals_right(
    office: LibreOffice, private_round: Round, sample_round: tuple[Round, GenerateResult],
    tmp_path: Path,
) -> None:
    """Calc keeps the cached results of formulas on load and recomputes only those depending on
    the cells typed into; the generated caches are right (0 for blank scores), so the saved
    subtotals and totals are right in every format and no total-mismatch warning appears
    (measured with LibreOffice 7.4; a stale cache in an untouched formula would survive)."""
    scheme = private_round.scheme
    pack = pack_for(sample_round[1], "0101")
    filling = fill_plan(private_round, pack)
    source = private_round.paths.outbox / pack.file
    targets = {name: tmp_path / f"0101-no-recalc{SUFFIX[name]}" for name in (XLSX, XLS, ODS)}
    office.fill([job(source, target, name, filling.cells, recalculate=False)
                 for name, target in targets.items()])

    # The .xlsx as saved: LibreOffice's cached formula results, as any reader sees them.
    book = openpyxl.load_workbook(targets[XLSX], data_only=True)
    for form in pack.forms:
        layout = scoresheet_layout(scheme, form.identity.role)
        scores = filling.scores[form.identity.form_id]
        sheet = book[form.sheet]
        assert Decimal(str(sheet[f"F{layout.total_row + 1}"].value)) == sum(
            scores.values(), Decimal(0))
        for section in scheme.sections:
            row = layout.subtotal_rows[section.id][2] + 1
            assert Decimal(str(sheet[f"F{row}"].value)) == sum(
                (scores[i.id] for i in section.items), Decimal(0))
    book.close()

    for name, target in targets.items():
        report = collect_one(private_round, target)
        outcome = report.files[0]
        assert (name, outcome.status, outcome.issues) == (name, "accepted", [])
        assert not any(i.code == "total-mismatch" for i in outcome.issues)
        submissions = current(private_round)
        for form in pack.forms:
            form_id = form.identity.form_id
            assert submissions[form_id].sha256 == outcome.record.sha256
            assert sum(scores_of(submissions[form_id]).values(), Decimal(0)) == sum(
                filling.scores[form_id].values(), Decimal(0))


# -- (6) a form nobody filled -----------------------------------------------------------------


def test_form_left_blank_is_blank_and_not_counted(
    office: LibreOffice, private_round: Round, sample_round: tuple[Round, GenerateResult],
    tmp_path: Path,
) -> None:
    pack = pack_for(sample_round[1], "0101")
    left = pack.forms[-1]
    filling = fill_plan(private_round, pack, skip=(left.identity.form_id,))
    target = tmp_path / "0101-one-blank.xlsx"
    office.fill([job(private_round.paths.outbox / pack.file, target, XLSX, filling.cells,
                     recalculate=True)])

    report = collect_one(private_round, target)
    outcome = report.files[0]
    assert [(f["form_id"], f["status"]) for f in outcome.forms] == [
        (form.identity.form_id, "blank" if form is left else "accepted")
        for form in pack.forms]
    assert outcome.status == "accepted-with-warnings"
    assert issue_places(report) == [("form-not-filled", left.sheet, None)]
    submissions = current(private_round)
    assert sorted(submissions) == sorted(
        form.identity.form_id for form in pack.forms if form is not left)
    assert left.identity.form_id not in submissions


# -- (7) the hidden _meta sheet -----------------------------------------------------------------


def test_meta_sheet_comes_back_hidden_and_still_identifies_every_form(
    office: LibreOffice, private_round: Round, sample_round: tuple[Round, GenerateResult],
    tmp_path: Path,
) -> None:
    pack = pack_for(sample_round[1], "X01")
    assert pack.recipient_kind == "inspector"
    source = private_round.paths.outbox / pack.file
    filling = fill_plan(private_round, pack)
    target = tmp_path / "X01-returned.xlsx"
    office.fill([job(source, target, XLSX, filling.cells, recalculate=True)])

    generated = openpyxl.load_workbook(source)
    returned = openpyxl.load_workbook(target)
    assert generated[META_SHEET].sheet_state == "veryHidden"
    assert returned[META_SHEET].sheet_state == "hidden"
    assert returned.sheetnames == generated.sheetnames
    generated.close()
    returned.close()

    report = collect_one(private_round, target)
    outcome = report.files[0]
    form_ids = [form.identity.form_id for form in pack.forms]
    assert outcome.status == "accepted"
    assert [(f["form_id"], f["sheet"], f["status"]) for f in outcome.forms] == [
        (form.identity.form_id, form.sheet, "accepted") for form in pack.forms]
    assert outcome.issues == []
    submissions = current(private_round)
    assert sorted(submissions) == sorted(form_ids)
    for form_id in form_ids:
        assert scores_of(submissions[form_id]) == filling.scores[form_id]
        assert submissions[form_id].payload["vetoes"] == filling.vetoes[form_id]
