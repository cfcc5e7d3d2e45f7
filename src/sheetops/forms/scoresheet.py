"""Write a recipient's pack of scoresheets (XlsxWriter).

The cells go where :mod:`sheetops.layout.scoresheet` says; the readers use the same layout.
Only score, note and veto cells are unlocked; every formula is written with its cached value so
clients that do not recalculate (LibreOffice on load, most readers) show the right numbers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import BinaryIO, Final

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from sheetops.core.i18n import long_date, text
from sheetops.core.identity import sign_identity
from sheetops.forms.formats import (
    CALCULATED_FILL,
    DEFAULT_ROW_POINTS,
    INPUT_FILL,
    FormFormats,
    header_text,
    new_workbook,
    page_breaks,
    row_height,
    setup_print,
    write_meta,
)
from sheetops.forms.handbook import write_record_references
from sheetops.forms.stamp import (
    Slots,
    Stamper,
    quoted_in_references,
    stampable,
    valid_sheet_name,
)
from sheetops.layout.packs import FormPlan, PackPlan
from sheetops.layout.scoresheet import (
    COL_FORM_ID,
    COL_MAX,
    COL_NOTE,
    COL_NUMBER,
    COL_RULE,
    COL_SCORE,
    COL_SECTION,
    COL_TARGET,
    FIRST_ITEM_ROW,
    HEADER_ROW,
    LAST_COL,
    PARTIES_ROW,
    WIDTHS,
    FormLayout,
    scoresheet_layout,
)
from sheetops.model.round import RoundConfig
from sheetops.model.scheme import Item, Scheme, plain_number


class _Formats(FormFormats):
    """The formats one pack uses, created once."""

    def __init__(self, book: Workbook, lang: str) -> None:
        super().__init__(book, lang, subtitle_size=12)
        base = self.base
        self.number = book.add_format({**base, "align": "center"})
        self.input_number = book.add_format({**base, "align": "center", "num_format": "0.0#",
                                             "locked": False, "bg_color": INPUT_FILL})
        self.input_choice = book.add_format({**base, "align": "center", "locked": False,
                                             "bg_color": INPUT_FILL})
        self.subtotal = book.add_format({**base, "bold": True, "bg_color": CALCULATED_FILL})
        self.subtotal_number = book.add_format({**base, "bold": True, "align": "center",
                                                "bg_color": CALCULATED_FILL,
                                                "num_format": "0.0#"})


def deadline_text(lang: str, deadline: dt.date) -> str:
    """Return the deadline as people write it in ``lang``."""
    return long_date(lang, deadline)


def instructions_text(plan: FormPlan, scheme: Scheme, config: RoundConfig) -> str:
    """Return the instruction line of a form (row 4): whom it rates, how, and by when."""
    lang = config.language
    target = text(lang, "form.party", name=plan.target_name, code=plan.identity.target)
    steps = {item.step for item in scheme.items}
    step = plain_number(min(steps)) if steps else 0.5
    return " ".join((
        text(lang, f"form.intro.{plan.identity.role}", target=target),
        text(lang, "form.instructions", step=step,
             deadline=deadline_text(lang, config.deadline)),
    ))


HEADER_LIMIT: Final = 255  # characters (UTF-16) Excel keeps of a page header


def form_name(plan: FormPlan, lang: str) -> str:
    """Return the form's name as people call it (``…党支部自评表``): role, rater and target by
    name, never by id."""
    return text(lang, f"form.name.{plan.identity.role}", rater=plan.rater_name,
                target=plan.target_name)


def _named_header(role: str, rater: str, target: str, lang: str) -> str:
    """A page header naming the form, centred, from names already written as headers write
    them (see :func:`header_text`)."""
    return "&C" + text(lang, f"form.name.{role}", rater=rater, target=target)


def _fits(header: str) -> bool:
    return len(header.encode("utf-16-le")) // 2 <= HEADER_LIMIT


def page_header(plan: FormPlan, lang: str) -> str:
    """Return the header every printed page of a form carries: the form's name, centred; the
    role's name alone when the names are too long for a header."""
    header = _named_header(plan.identity.role, header_text(plan.rater_name),
                           header_text(plan.target_name), lang)
    return header if _fits(header) else "&C" + text(lang, f"role.{plan.identity.role}")


def header_stampable(plan: FormPlan, lang: str) -> bool:
    """Return whether a prototype's header stamps into this form's: it holds the names (the
    form's name is not too long for a header)."""
    return _fits(_named_header(plan.identity.role, header_text(plan.rater_name),
                               header_text(plan.target_name), lang))


def instructions_height(plan: FormPlan, scheme: Scheme, config: RoundConfig) -> float:
    """Return the height of a form's instruction row, in points."""
    return row_height([(instructions_text(plan, scheme, config), sum(WIDTHS))])


def write_form_sheet(
    book: Workbook,
    formats: _Formats,
    plan: FormPlan,
    scheme: Scheme,
    config: RoundConfig,
    references: Mapping[str, str] | None = None,
    instructions_points: float | None = None,
    header: str | None = None,
) -> FormLayout:
    """Add one protected, printable form sheet to ``book``.

    Args:
        book: the pack being written.
        formats: the pack's formats.
        plan: the form (identity, sheet name, names shown).
        scheme: the round's scheme.
        config: the round's settings (title, deadline, password, language).
        references: what the branch's handbook records say about linked items, by item id:
            shown in a read-only column after the notes (inspector forms), or None.
        instructions_points: the instruction row's height (default: measured from its text;
            a stamping prototype passes the real form's).
        header: the printed pages' header (default: :func:`page_header`; a stamping
            prototype passes its placeholders').

    Returns:
        Where the form's cells are.
    """
    lang = config.language
    identity = plan.identity
    sheet = book.add_worksheet(plan.sheet)
    heights: dict[int, float] = {}  # the rows given a height, in points (to plan the pages)

    def tall(row: int, points: float) -> None:
        sheet.set_row(row, points)
        heights[row] = points
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)

    role = text(lang, f"role.{identity.role}")
    rater = text(lang, "form.party", name=plan.rater_name, code=identity.rater)
    target = text(lang, "form.party", name=plan.target_name, code=identity.target)
    instructions = instructions_text(plan, scheme, config)
    full_width = sum(WIDTHS)
    sheet.merge_range(0, 0, 0, LAST_COL, config.title, formats.title)
    tall(0, 28)
    sheet.merge_range(1, 0, 1, LAST_COL, text(lang, "form.subtitle", scheme=scheme.title,
                                               role=role), formats.subtitle)
    tall(1, 20)
    sheet.merge_range(PARTIES_ROW, 0, PARTIES_ROW, LAST_COL,
                      text(lang, "form.parties", rater=rater, target=target), formats.info)
    # The form id, for the reader only: hidden, outside the print area.
    sheet.write_string(PARTIES_ROW, COL_FORM_ID, identity.form_id)
    sheet.set_column(COL_FORM_ID, COL_FORM_ID, None, None, {"hidden": True})
    sheet.merge_range(3, 0, 3, LAST_COL, instructions, formats.note)
    tall(3, instructions_points if instructions_points is not None
                  else row_height([(instructions, full_width)]))
    tall(4, 6)

    headers = ("number", "section", "target", "rule", "max", "score", "note")
    for col, name in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, text(lang, f"form.col.{name}"), formats.header)
    tall(HEADER_ROW, 20)

    layout = scoresheet_layout(scheme, identity.role)
    number = 0
    for section in scheme.sections:
        first, last, subtotal = layout.subtotal_rows[section.id]
        for item in section.items:
            number += 1
            item_row = layout.score_rows[item.id]
            tall(item_row, _write_item(book, sheet, formats, plan, item, item_row, number, lang))
        label = text(lang, "form.subtotal", section=section.title)
        sheet.merge_range(subtotal, COL_NUMBER, subtotal, COL_RULE, label, formats.subtotal)
        span = f"{xl_rowcol_to_cell(first, COL_MAX)}:{xl_rowcol_to_cell(last, COL_MAX)}"
        sheet.write_formula(subtotal, COL_MAX, f"=SUM({span})", formats.subtotal_number,
                            plain_number(section.max))
        span = f"{xl_rowcol_to_cell(first, COL_SCORE)}:{xl_rowcol_to_cell(last, COL_SCORE)}"
        sheet.write_formula(subtotal, COL_SCORE, f"=SUM({span})", formats.subtotal_number, 0)
        sheet.write_blank(subtotal, COL_NOTE, None, formats.subtotal)

    row = layout.total_row
    sheet.merge_range(row, COL_NUMBER, row, COL_RULE, text(lang, "form.total"), formats.subtotal)
    for col, value in ((COL_MAX, scheme.total), (COL_SCORE, Decimal(0))):
        refs = ",".join(xl_rowcol_to_cell(rows[2], col) for rows in layout.subtotal_rows.values())
        sheet.write_formula(row, col, f"=SUM({refs})", formats.subtotal_number,
                            plain_number(value))
    sheet.write_blank(row, COL_NOTE, None, formats.subtotal)
    tall(row, 20)

    if layout.veto_head_row is not None:
        row = layout.veto_head_row
        sheet.merge_range(row, COL_NUMBER, row, COL_MAX, text(lang, "form.veto.head"),
                          formats.header)
        sheet.write_string(row, COL_SCORE, text(lang, "form.veto.answer"), formats.header)
        sheet.write_string(row, COL_NOTE, text(lang, "form.veto.note"), formats.header)
        choices = [text(lang, "form.veto.yes"), text(lang, "form.veto.no")]
        for index, veto in enumerate(scheme.vetoes, start=1):
            row = layout.veto_rows[veto.id]
            sheet.write_number(row, COL_NUMBER, index, formats.center)
            sheet.merge_range(row, COL_SECTION, row, COL_MAX, veto.text, formats.text)
            sheet.write_blank(row, COL_SCORE, None, formats.input_choice)
            sheet.write_blank(row, COL_NOTE, None, formats.input_text)
            sheet.data_validation(row, COL_SCORE, row, COL_SCORE, {
                "validate": "list",
                "source": choices,
                "input_title": text(lang, "form.veto.prompt-title"),
                "input_message": text(lang, "form.veto.prompt"),
                "error_title": text(lang, "form.veto.error-title"),
                "error_message": text(lang, "form.veto.error"),
            })
            _define(book, plan.sheet, f"veto_{veto.id}", row, COL_SCORE)
            _define(book, plan.sheet, f"vetonote_{veto.id}", row, COL_NOTE)
            width = sum(WIDTHS[COL_SECTION:COL_MAX + 1])
            tall(row, row_height([(veto.text, width)]))
        row += 1
        explain = text(lang, "form.veto.explain")
        sheet.merge_range(row, COL_NUMBER, row, LAST_COL, explain, formats.note)
        tall(row, row_height([(explain, full_width)]))

    row = layout.last_row
    sheet.merge_range(row, COL_NUMBER, row, LAST_COL, text(lang, "form.signature"), formats.info)
    tall(row, 24)

    if references:
        write_record_references(sheet, formats.header, formats.text, lang, HEADER_ROW,
                                LAST_COL + 1, layout.score_rows, references)
    sheet.protect(config.password, {"select_locked_cells": True, "select_unlocked_cells": True})
    # The pages are planned here, so that a section's name (考核项目) prints on every page
    # its items do: where a page breaks inside a section, the name is written again above
    # its rest (…（续）). A page breaks before an item, never before a subtotal alone, and the
    # total, the veto questions and the signature stay together. The form is printed one page
    # wide, which clients reach by shrinking it (by how much depends on their fonts), so the
    # pages are planned at full size: shrunk, each still holds its planned rows.
    rows = [heights.get(r, DEFAULT_ROW_POINTS) for r in range(row + 1)]
    units = [item_row for first, last, _ in layout.subtotal_rows.values()
             for item_row in range(first, last + 1)]
    breaks = page_breaks(rows, [*units, layout.total_row], repeated=rows[HEADER_ROW], scale=100)
    for section in scheme.sections:
        first, last, _ = layout.subtotal_rows[section.id]
        starts = [first, *(b for b in breaks if first < b <= last)]
        for part, start in enumerate(starts):
            end = starts[part + 1] - 1 if part + 1 < len(starts) else last
            title = (section.title if part == 0
                     else text(lang, "form.section.continued", section=section.title))
            if end > start:
                sheet.merge_range(start, COL_SECTION, end, COL_SECTION, title, formats.center)
            else:
                sheet.write_string(start, COL_SECTION, title, formats.center)
    setup_print(sheet, header_rows=(HEADER_ROW, HEADER_ROW), footer=text(lang, "form.page"))
    sheet.set_h_pagebreaks(breaks)
    # Each form is its own paper: its name on every page, its pages numbered from 1 (a pack
    # printed whole would otherwise count on from the form before).
    sheet.set_header(page_header(plan, lang) if header is None else header)
    sheet.set_start_page(1)
    sheet.print_area(0, 0, row, LAST_COL + (1 if references else 0))
    sheet.freeze_panes(FIRST_ITEM_ROW, 0)
    first_score = min(layout.score_rows.values(), default=FIRST_ITEM_ROW)
    sheet.set_selection(first_score, COL_SCORE, first_score, COL_SCORE)
    return layout


def _write_item(
    book: Workbook,
    sheet: Worksheet,
    formats: _Formats,
    plan: FormPlan,
    item: Item,
    row: int,
    number: int,
    lang: str,
) -> float:
    """Write one item's row; return the height (points) it needs."""
    maximum, step = plain_number(item.max), plain_number(item.step)
    sheet.write_number(row, COL_NUMBER, number, formats.center)
    sheet.write_string(row, COL_TARGET, item.target, formats.text)
    sheet.write_string(row, COL_RULE, item.rule, formats.text)
    sheet.write_number(row, COL_MAX, maximum, formats.number)
    sheet.write_blank(row, COL_SCORE, None, formats.input_number)
    sheet.write_blank(row, COL_NOTE, None, formats.input_text)
    sheet.data_validation(row, COL_SCORE, row, COL_SCORE, {
        "validate": "decimal",
        "criteria": "between",
        "minimum": 0,
        "maximum": maximum,
        "input_title": text(lang, "form.score.prompt-title"),
        "input_message": text(lang, "form.score.prompt", max=maximum, step=step),
        "error_title": text(lang, "form.score.error-title"),
        "error_message": text(lang, "form.score.error", max=maximum),
    })
    _define(book, plan.sheet, f"score_{item.id}", row, COL_SCORE)
    _define(book, plan.sheet, f"note_{item.id}", row, COL_NOTE)
    return row_height([(item.target, WIDTHS[COL_TARGET]), (item.rule, WIDTHS[COL_RULE])])


def _define(book: Workbook, sheet_name: str, name: str, row: int, col: int) -> None:
    """Define a sheet-scoped name for one cell."""
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    book.define_name(f"{quoted}!{name}",
                     f"={quoted}!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}")


def write_pack(
    path: Path | BinaryIO, pack: PackPlan, scheme: Scheme, config: RoundConfig, key: bytes,
    references: Mapping[str, Mapping[str, str]] | None = None,
    *,
    signatures: Sequence[str] | None = None,
    instructions_points: Sequence[float] | None = None,
    headers: Sequence[str] | None = None,
) -> dict[str, FormLayout]:
    """Write one recipient's workbook: its form sheets and the signed ``_meta`` sheet.

    Args:
        path: where to write the .xlsx (a path or a binary stream).
        pack: the recipient and its forms.
        scheme: the round's scheme.
        config: the round's settings.
        key: the round's signing key.
        references: per branch, what its handbook records say about linked items (shown on
            inspector forms), or None.
        signatures: each form's signature, when already known (default: signed with key).
        instructions_points: each form's instruction row height (default: measured).
        headers: each form's page header (default: :func:`page_header`).

    Returns:
        Each form's layout by form id.

    Raises:
        OSError: the file cannot be written.
    """
    lang = config.language
    book = new_workbook(path if not isinstance(path, Path) else str(path), lang)
    generated = dt.datetime.fromisoformat(pack.forms[0].identity.generated_at)
    book.set_properties({
        "title": f"{config.title} - {pack.recipient_name}",
        "subject": scheme.title,
        "author": "sheetops",
        "comments": config.id,
        "created": generated.replace(tzinfo=None),
    })
    formats = _Formats(book, lang)
    layouts = {
        plan.identity.form_id: write_form_sheet(
            book, formats, plan, scheme, config, _references(plan, references),
            None if instructions_points is None else instructions_points[index],
            None if headers is None else headers[index])
        for index, plan in enumerate(pack.forms)
    }
    write_meta(book, key, [(plan.sheet, plan.identity) for plan in pack.forms],
               password=config.password, signatures=signatures)
    book.close()
    return layouts


def _references(plan: FormPlan, references: Mapping[str, Mapping[str, str]] | None,
                ) -> Mapping[str, str] | None:
    """What the records say beside an inspector form's items, or None."""
    if plan.identity.role != "inspector" or not references:
        return None
    return references.get(plan.identity.target) or None


class PackWriter:
    """Writes a round's packs, each stamped from the prototype of its shape when it can be.

    The first pack of each shape is written by XlsxWriter, once as it is and once with
    placeholders (see :mod:`sheetops.forms.stamp`); packs of the same shape copy the
    prototype's parts with their own names, codes, form ids and signatures. Packs whose values
    cannot be stamped, and inspector packs that show handbook records, are written directly.
    """

    SLOTS_PER_FORM: Final = 9

    def __init__(self, scheme: Scheme, config: RoundConfig, key: bytes,
                 references: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.scheme = scheme
        self.config = config
        self.key = key
        self.references = references
        self.stamper = Stamper()

    def write(self, path: Path, pack: PackPlan) -> None:
        """Write ``pack`` to ``path``.

        Raises:
            OSError: the file cannot be written.
        """
        signatures = [sign_identity(self.key, plan.identity, plan.sheet) for plan in pack.forms]
        direct = partial(write_pack, pack=pack, scheme=self.scheme, config=self.config,
                         key=self.key, references=self.references, signatures=signatures)
        lang = self.config.language
        values = [pack.recipient_name]
        for plan, signature in zip(pack.forms, signatures, strict=True):
            identity = plan.identity
            # the names once more as the page header writes them (equal unless they hold &)
            values += [plan.sheet, identity.form_id, identity.rater, identity.target,
                       plan.rater_name, plan.target_name, signature,
                       header_text(plan.rater_name), header_text(plan.target_name)]
        if (any(_references(plan, self.references) for plan in pack.forms)
                or not all(map(stampable, values))
                or not all(header_stampable(plan, lang) for plan in pack.forms)
                or not all(valid_sheet_name(plan.sheet) for plan in pack.forms)):
            self.stamper.write_direct(path, direct)
            return
        slots = Slots.of(values)
        heights = tuple(instructions_height(plan, self.scheme, self.config)
                        for plan in pack.forms)
        bare = tuple(1 + self.SLOTS_PER_FORM * index for index, plan in enumerate(pack.forms)
                     if not quoted_in_references(plan.sheet))
        shape = (slots.pattern, tuple(plan.identity.role for plan in pack.forms), heights,
                 bare)

        def prototype(stream: BinaryIO) -> None:
            tokens = iter(slots.tokens(bare))
            recipient_name = next(tokens)
            forms: list[FormPlan] = []
            placeholders: list[str] = []
            headers: list[str] = []
            for plan in pack.forms:
                (sheet, form_id, rater, target, rater_name, target_name, signature,
                 header_rater, header_target) = (next(tokens) for _ in range(self.SLOTS_PER_FORM))
                headers.append(_named_header(plan.identity.role, header_rater, header_target,
                                             lang))
                identity = dataclasses.replace(plan.identity, form_id=form_id, rater=rater,
                                               target=target)
                forms.append(FormPlan(identity, sheet, rater_name, target_name))
                placeholders.append(signature)
            write_pack(stream, dataclasses.replace(pack, recipient_name=recipient_name,
                                                   forms=tuple(forms)),
                       self.scheme, self.config, self.key, signatures=placeholders,
                       instructions_points=heights, headers=headers)

        self.stamper.write(path, shape, slots.values, direct, prototype)
