"""Check what a returned workbook carries: identity of each form, then every input cell (pure).

Input is the :class:`~sheetops.intake.sandbox.Extract` the sandboxed reader produced; output is a
:class:`WorkbookResult` with one :class:`FormResult` per form and every issue located by sheet
and Excel address. Totals are recomputed from the item scores, never taken from the file.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache, partial
from typing import Any, Final

from sheetops.core.errors import Severity
from sheetops.core.i18n import text
from sheetops.core.identity import META_SHEET, verify_identity
from sheetops.core.issues import Issue, issue
from sheetops.core.statuses import ACCEPTED, REJECTED, WITH_WARNINGS
from sheetops.core.untrusted import bounded_decimal
from sheetops.intake.cells import CellRead, MetaEntry, read_form_cells, read_meta, value_at
from sheetops.intake.dates import EXCEL_1900, DateSystem, is_date_value, shown_date
from sheetops.intake.reader import Extract
from sheetops.layout.packs import HANDBOOK, SCORESHEET, PackPlan, handbook_form_id
from sheetops.layout.scoresheet import COL_FORM_ID, PARTIES_ROW, FormLayout, scoresheet_layout
from sheetops.model.handbook import Handbook
from sheetops.model.round import ROLES, RoundConfig
from sheetops.model.scheme import Item, Scheme, plain_number
from sheetops.model.tables import cell_text
from sheetops.validate.handbook import HandbookContext, validate_handbook

BLANK: Final = "blank"
UNKNOWN: Final = "—"
YES: Final = frozenset({"是", "yes", "y", "是的"})
NO: Final = frozenset({"否", "no", "n", "不是"})


@dataclass(frozen=True)
class ExpectedForm:
    """A form the round sent out."""

    form_id: str
    role: str
    rater: str
    target: str
    sheet: str
    recipient: str


@dataclass(frozen=True)
class RoundView:
    """What validation needs to know about the round."""

    config: RoundConfig
    scheme: Scheme
    key: bytes
    expected: Mapping[str, ExpectedForm]
    layouts: Mapping[str, FormLayout]
    item_labels: Mapping[str, str]
    handbook: HandbookContext | None = None  # None: the round has no handbooks

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """The scheme's items in form order (built once: every form walks them)."""
        return self.scheme.items

    @cached_property
    def clean_scores(self) -> dict[tuple[str, float], Decimal]:
        """Number cells already found clean (in range, on the step), by item and value.

        Scores take few values, and a number that was clean for an item once always is:
        each form looks its cells up here before reading them one by one.
        """
        return {}

    @classmethod
    def build(cls, config: RoundConfig, scheme: Scheme, key: bytes,
              packs: list[PackPlan], handbook: Handbook | None = None) -> RoundView:
        """Build the view from the round's pack plan (and handbook definition, if any)."""
        expected = {
            f.identity.form_id: ExpectedForm(f.identity.form_id, f.identity.role,
                                             f.identity.rater, f.identity.target, f.sheet,
                                             pack.recipient)
            for pack in packs
            for f in pack.forms
        }
        layouts = {role: scoresheet_layout(scheme, role) for role in ROLES}
        labels = {
            item.id: item_label(config.language, number, item.target)
            for number, item in enumerate(scheme.items, start=1)
        }
        context = None if handbook is None else HandbookContext(
            config.id, key, handbook, {handbook_form_id(p.recipient): p.recipient for p in packs
                                       if p.recipient_kind == "branch"},
            config.deadline.year, config.language)
        return cls(config, scheme, key, expected, layouts, labels, context)


def item_label(lang: str, number: int, target: str, width: int = 16) -> str:
    """Name an item in a message: its number and the start of its target (第7项“支持工会…”)."""
    short = target if len(target) <= width else target[:width].rstrip("，。、；") + "…"
    return text(lang, "item.label", number=number, target=short)


@dataclass
class FormResult:
    """One form found in a returned file, with what was read and what is wrong."""

    form_id: str
    sheet: str
    role: str
    rater: str
    target: str
    status: str = REJECTED
    scores: dict[str, Decimal] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    vetoes: dict[str, bool] = field(default_factory=dict)
    veto_notes: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    records: dict[str, Any] = field(default_factory=dict)  # what a handbook recorded

    @property
    def counts(self) -> bool:
        """Whether this form's scores count (accepted, with or without warnings)."""
        return self.status in (ACCEPTED, WITH_WARNINGS)


@dataclass
class WorkbookResult:
    """Everything found in one returned workbook."""

    forms: list[FormResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def all_issues(self) -> list[Issue]:
        """File-level issues, then each form's, in sheet order."""
        return [*self.issues, *(i for f in self.forms for i in f.issues)]


# -- reading a score ------------------------------------------------------------------------

_DIGITS: Final = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                  "七": 7, "八": 8, "九": 9}
_UNITS: Final = {"十": 10, "百": 100}
MAX_NUMERAL: Final = 12  # characters: 九十九点五分 and the like, never a page of them
MAX_SHOWN: Final = 60  # characters of a cell's text quoted back in a message
_CHINESE_NUMBER: Final = re.compile(
    r"[零〇一二两三四五六七八九十百]+(点[零〇一二三四五六七八九]+)?(分半|分|半)?"
)


def chinese_numeral(value: str) -> Decimal | None:
    """Read a Chinese numeral score: 九十五 → 95, 九点五 → 9.5, 四分半 → 4.5, 十 → 10.

    Returns:
        The number, or None when ``value`` is not a Chinese numeral.
    """
    if len(value) > MAX_NUMERAL or not _CHINESE_NUMBER.fullmatch(value):
        return None
    half = value.endswith("半")
    value = value.removesuffix("半").removesuffix("分")
    whole, _, fraction = value.partition("点")
    number = 0
    current = 0
    for char in whole:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char in _UNITS:
            number += (current or 1) * _UNITS[char]
            current = 0
    number += current
    result = Decimal(number)
    if fraction:
        result += Decimal("0." + "".join(str(_DIGITS[c]) for c in fraction))
    if half:
        result += Decimal("0.5")
    return result


@lru_cache(maxsize=4096)
def _float_score(shown: str) -> Decimal:
    """Return a float cell's exact Decimal, from its ``repr`` (cached: scores take few values)."""
    # 3.0 and 3 are the same score whichever client saved it (.xls stores 3, .xlsx 3.0); so
    # are -0.0 and 0.
    number = Decimal(shown)
    if not number:
        return Decimal(0)
    return number.to_integral_value() if number == number.to_integral_value() else number


def read_number(value: Any, dates: DateSystem = EXCEL_1900) -> tuple[Decimal | None, str | None]:
    """Read a score cell's raw value.

    A number shown as a date or time (the cell had a date format) is the number stored,
    counted in the workbook's date system ``dates``.

    Returns:
        ``(number, code)``: code is None for a clean number, ``score-normalised`` or
        ``score-chinese-numeral`` for text read with a warning, ``score-date-formatted`` for a
        number shown as a date, ``score-missing`` for a blank, ``score-not-number`` otherwise
        (number None for the last two).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "score-missing"
    if isinstance(value, bool):
        return None, "score-not-number"
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, float):
        if not math.isfinite(value):  # no client writes one; a crafted file may
            return None, "score-not-number"
        return _float_score(repr(value)), None
    if is_date_value(value):
        serial = dates.serial(value)
        return (None, "score-not-number") if serial is None else (serial, "score-date-formatted")
    if not isinstance(value, str):
        return None, "score-not-number"
    normal = unicodedata.normalize("NFKC", value)
    normal = re.sub(r"\s+", "", normal).removesuffix("分")
    number = bounded_decimal(normal)  # digits and exponent bounded before converting
    if number is not None:
        return number, "score-normalised"
    chinese = chinese_numeral(normal)
    if chinese is not None:
        return chinese, "score-chinese-numeral"
    return None, "score-not-number"


def _shown(value: Any) -> str:
    """Return a raw cell value as it would be shown back to the sender (long text cut)."""
    if isinstance(value, float) and math.isfinite(value):
        return str(plain_number(Decimal(repr(value))))
    if is_date_value(value):
        return shown_date(value)
    shown = cell_text(value) if not isinstance(value, str) else value
    return shown if len(shown) <= MAX_SHOWN else shown[:MAX_SHOWN - 1] + "…"


# -- a whole workbook -----------------------------------------------------------------------


def validate_workbook(extract: Extract, view: RoundView) -> WorkbookResult:
    """Check the forms a returned workbook carries.

    Args:
        extract: what the sandboxed reader read.
        view: the round (settings, scheme, key, expected forms, layouts).

    Returns:
        Each form's result and the file-level issues.
    """
    result = WorkbookResult()
    if extract.meta is None:
        _report_lost_identity(extract, view, result)
        return result
    entries = read_meta(extract.meta)
    if entries is None:
        result.issues.append(issue("meta-damaged", sheet=META_SHEET))
        return result
    seen: set[str] = set()
    listed = {entry.sheet for entry in entries}
    if any(entry.identity.kind == HANDBOOK for entry in entries):
        result.forms.append(_validate_handbook(entries, extract, view))
        entries = [entry for entry in entries if entry.identity.kind != HANDBOOK]
    for entry in entries:
        if entry.identity.form_id in seen:
            result.issues.append(issue("duplicate-form", sheet=META_SHEET, cell=entry.address,
                                       form_id=entry.identity.form_id))
            continue
        seen.add(entry.identity.form_id)
        result.forms.append(_validate_entry(entry, extract, view))
    for name in [*extract.grids, *extract.heads]:
        if name not in listed:
            result.issues.append(issue("extra-sheet-ignored", sheet=name))
    if result.forms and all(f.status == BLANK for f in result.forms):
        result.issues.append(issue("nothing-filled"))
    return result


def _validate_handbook(entries: list[MetaEntry], extract: Extract, view: RoundView,
                       ) -> FormResult:
    """The handbook a file carries (``_meta`` lists each of its sheets with one identity)."""
    own = [entry for entry in entries if entry.identity.kind == HANDBOOK]
    identity = own[0].identity
    form = FormResult(identity.form_id, own[0].sheet, identity.role, identity.rater,
                      identity.target)
    checked = validate_handbook(own, extract.grids, view.handbook, extract.dates)
    form.issues = checked.issues
    form.records = checked.records.to_payload() if checked.records is not None else {}
    errors = any(i.severity is Severity.ERROR for i in form.issues)
    form.status = (BLANK if checked.blank else REJECTED if errors
                   else WITH_WARNINGS if form.issues else ACCEPTED)
    return form


def _report_lost_identity(extract: Extract, view: RoundView, result: WorkbookResult) -> None:
    lang = view.config.language
    for name, grid in {**extract.grids, **extract.heads}.items():
        guess = _guess_form(grid, lang)
        if guess is not None:
            result.issues.append(issue("form-without-identity", sheet=name, guess=guess))
    if not result.issues:
        result.issues.append(issue("no-forms"))


_FORM_ID_LABEL: Final = re.compile(r"(?:表格编号：|Form: )\s*(\S+)")
_FORM_ID: Final = re.compile(r"(?:self|peer|inspector)-\S+")  # form_id_for's ids


def shown_form_id(grid: list[list[Any]]) -> str | None:
    """Return the form id a form sheet holds: in the hidden cell of its parties row, or (forms
    generated by earlier versions) after the label in the parties row (``表格编号：self-0101``).
    """
    hidden = cell_text(value_at(grid, PARTIES_ROW, COL_FORM_ID)).strip()
    if hidden:
        return hidden
    found = _FORM_ID_LABEL.findall(cell_text(value_at(grid, PARTIES_ROW, 0)))
    return found[-1] if found else None


def _guess_form(grid: list[list[Any]], lang: str) -> str | None:
    """Say what a sheet without identity probably is, or None if it does not look like a form."""
    texts = [cell_text(value) for row in grid[:8] for value in row]
    headers = {text(lang, "form.col.score"), "得分", "Score"}
    if not any(t in headers for t in texts):
        return None
    form_id = shown_form_id(grid)
    if form_id and _FORM_ID.fullmatch(form_id):
        return text(lang, "collect.guess.form", form_id=form_id)
    for value in texts:
        match = _FORM_ID_LABEL.search(value)
        if match:
            return text(lang, "collect.guess.form", form_id=match.group(1))
    return text(lang, "collect.guess.scoresheet")


def _validate_entry(entry: MetaEntry, extract: Extract, view: RoundView) -> FormResult:
    identity = entry.identity
    form = FormResult(identity.form_id, entry.sheet, identity.role, identity.rater,
                      identity.target)

    def reject(code: str, **params: Any) -> FormResult:
        form.issues.append(issue(code, sheet=entry.sheet, form_id=identity.form_id, **params))
        form.status = REJECTED
        return form

    lang = view.config.language
    if identity.round_id != view.config.id:
        return reject("wrong-round", other=identity.round_id, round=view.config.id)
    if identity.kind != SCORESHEET or not verify_identity(view.key, identity, entry.sheet,
                                                          entry.signature):
        return reject("signature-invalid")
    expected = view.expected.get(identity.form_id)
    if expected is None:
        return reject("unknown-form")
    if (expected.role, expected.rater, expected.target) != (identity.role, identity.rater,
                                                              identity.target):
        return reject("unassigned-pair", rater=identity.rater, target=identity.target,
                      role=text(lang, f"role.{identity.role}"))
    if identity.scheme_hash != view.scheme.hash:
        return reject("scheme-mismatch",
                      scheme=f"{identity.scheme_id} {identity.scheme_version}")
    grid = extract.grids.get(entry.sheet)
    if grid is None:
        return reject("form-sheet-missing")
    shown = shown_form_id(grid)
    if shown != identity.form_id:
        # A signed _meta row copied from another workbook onto a sheet named alike.
        return reject("form-sheet-mismatch", shown=shown or UNKNOWN)
    cells = read_form_cells(grid, view.layouts[identity.role], view.scheme)
    if cells.misplaced:
        return reject("form-structure-changed", start=cells.misplaced[0])
    _validate_cells(form, cells.scores, cells.notes, cells.vetoes, cells.veto_notes, view,
                    extract.dates, extract.formulas.get(form.sheet, {}))
    if form.status != BLANK:
        _check_cached_totals(form, cells.cached_subtotals, cells.cached_total, view)
        errors = any(i.severity is Severity.ERROR for i in form.issues)
        form.status = REJECTED if errors else WITH_WARNINGS if form.issues else ACCEPTED
    return form


def _is_blank(read: CellRead) -> bool:
    return read.value is None or (isinstance(read.value, str) and not read.value.strip())


def _validate_cells(
    form: FormResult,
    scores: Mapping[str, CellRead],
    notes: Mapping[str, CellRead],
    vetoes: Mapping[str, CellRead],
    veto_notes: Mapping[str, CellRead],
    view: RoundView,
    dates: DateSystem = EXCEL_1900,
    formulas: Mapping[str, tuple[str, bool]] | None = None,
) -> None:
    if all(_is_blank(c) for group in (scores, notes, vetoes, veto_notes)
           for c in group.values()):
        form.status = BLANK
        form.issues.append(issue("form-not-filled", sheet=form.sheet, form_id=form.form_id))
        return
    note_severity = Severity.ERROR if view.config.note_below_max == "error" else None
    for item in view.items:
        read = scores[item.id]
        noted = notes[item.id].value
        note = noted.strip() if type(noted) is str else cell_text(noted)
        if note:
            form.notes[item.id] = note
        formula = formulas.get(read.address) if formulas else None
        if formula is not None:
            located: dict[str, Any] = {
                "sheet": form.sheet, "cell": read.address, "form_id": form.form_id,
                "item": view.item_labels[item.id], "formula": formula[0]}
            if not formula[1] or _is_blank(read):
                # Never computed by the program that saved it: there is no score to read.
                form.issues.append(issue("score-formula-no-value", **located))
                continue
            form.issues.append(issue("score-formula", value=_shown(read.value), **located))
        score = _score(form, item, read, view, dates)
        if score is None:
            continue
        form.scores[item.id] = score
        if score < item.max and not note:
            form.issues.append(issue(
                "note-missing", sheet=form.sheet, cell=notes[item.id].address,
                form_id=form.form_id, severity=note_severity, item=view.item_labels[item.id],
                value=plain_number(score), max=plain_number(item.max)))
    for veto in view.scheme.vetoes if vetoes else ():
        read = vetoes[veto.id]
        answer = unicodedata.normalize("NFKC", cell_text(read.value)).strip().casefold()
        where: dict[str, Any] = {"sheet": form.sheet, "cell": read.address,
                                 "form_id": form.form_id}
        detail = cell_text(veto_notes[veto.id].value)
        if detail:
            form.veto_notes[veto.id] = detail
        if not answer:
            form.issues.append(issue("veto-missing", veto=veto.text, **where))
        elif answer in YES:
            form.vetoes[veto.id] = True
            if not detail:
                form.issues.append(issue("veto-note-missing", veto=veto.text, **where))
        elif answer in NO:
            form.vetoes[veto.id] = False
        else:
            form.issues.append(issue("veto-invalid", veto=veto.text, value=cell_text(read.value),
                                     **where))


def _score(form: FormResult, item: Item, read: CellRead, view: RoundView,
           dates: DateSystem) -> Decimal | None:
    """:func:`_check_score`, remembering the float cells found clean for each item."""
    value = read.value
    if type(value) is not float:
        return _check_score(form, item, read, view.item_labels[item.id], dates)
    key = (item.id, value)
    score = view.clean_scores.get(key)
    if score is None:
        score = _check_score(form, item, read, view.item_labels[item.id])
        if score is not None:  # a float cell is either clean or has an issue
            view.clean_scores[key] = score
    return score


def _check_score(form: FormResult, item: Item, read: CellRead, label: str,
                 dates: DateSystem = EXCEL_1900) -> Decimal | None:
    number, code = read_number(read.value, dates)
    if code is None and number is not None and 0 <= number <= item.max and (
            number % item.step == 0):
        return number  # the usual case: a clean number in range, on the step
    where: dict[str, Any] = {"sheet": form.sheet, "cell": read.address,
                             "form_id": form.form_id, "item": label}
    if number is None:
        if code == "score-not-number":
            form.issues.append(issue(code, value=_shown(read.value), **where))
        else:
            form.issues.append(issue("score-missing", **where))
        return None
    if code is not None:
        form.issues.append(issue(code, value=_shown(read.value), reading=plain_number(number),
                                 **where))
    if not 0 <= number <= item.max:
        form.issues.append(issue("score-out-of-range", value=plain_number(number),
                                 max=plain_number(item.max), **where))
        return None
    if number % item.step != 0:
        form.issues.append(issue("score-step", value=plain_number(number),
                                 step=plain_number(item.step), **where))
        return None
    return number


def _check_cached_totals(
    form: FormResult,
    cached_subtotals: Mapping[str, CellRead],
    cached_total: CellRead,
    view: RoundView,
) -> None:
    """Warn where the file's own subtotal/total disagrees with the recomputed one."""
    if len(form.scores) != len(view.items):
        return
    lang = view.config.language
    # (cell, recomputed value, the total's name as a message shows it: built only when needed)
    checks: list[tuple[CellRead, Decimal, Callable[[], str]]] = [
        (cached_subtotals[s.id], sum((form.scores[i.id] for i in s.items), Decimal(0)),
         partial(text, lang, "form.subtotal", section=s.title))
        for s in view.scheme.sections
    ]
    checks.append((cached_total, sum(form.scores.values(), Decimal(0)),
                   partial(text, lang, "form.total")))
    for read, actual, what in checks:
        value = read.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                claimed: int | float | str = cell_text(value)  # a crafted file's nan or inf
            else:
                number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
                if number == actual:
                    continue
                claimed = plain_number(number)
            form.issues.append(issue(
                "total-mismatch", sheet=form.sheet, cell=read.address, form_id=form.form_id,
                what=what(), claimed=claimed, actual=plain_number(actual)))
