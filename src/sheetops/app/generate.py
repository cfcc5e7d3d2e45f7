"""``sheetops generate``: write every recipient's pack and the manifest into ``outbox/``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sheetops.app.records import carry_over_records, record_references
from sheetops.core.files import replace_atomically
from sheetops.forms.handbook import HandbookWriter
from sheetops.forms.scoresheet import PackWriter
from sheetops.layout.packs import (
    HandbookPlan,
    PackPlan,
    plan_handbooks,
    plan_packs,
    write_manifest,
)
from sheetops.model.handbook import freeze_round_handbook
from sheetops.model.workspace import Round


@dataclass(frozen=True)
class GenerateResult:
    """What ``generate_scoresheets`` wrote."""

    packs: list[PackPlan]
    manifest: Path
    handbooks: list[HandbookPlan] = field(default_factory=list)  # one per branch
    carried_over: int = 0  # handbooks prefilled from a previous round

    @property
    def form_count(self) -> int:
        """How many forms the packs hold."""
        return sum(len(p.forms) for p in self.packs)

    def forms_by_role(self) -> Counter[str]:
        """Form counts per role."""
        return Counter(f.identity.role for p in self.packs for f in p.forms)


def generate_scoresheets(round_: Round, *, now: dt.datetime | None = None,
                         carry_over: Path | None = None) -> GenerateResult:
    """Write one workbook per recipient and ``outbox/manifest.csv``, and every branch's
    work handbook ``outbox/handbooks/<code>-<name>-工作手册.xlsx`` beside its pack.

    Regenerating gives every form the same id; each write replaces its file atomically.
    Inspector forms generated after handbooks were collected show what the records say
    beside each scheme item linked to a records metric.

    Args:
        round_: the opened round.
        now: generation time (default: now, UTC), written into every identity.
        carry_over: a previous round's folder: each branch's last accepted handbook there
            prefills its new handbook's basic information and member roll.

    Returns:
        The packs and handbooks written and the manifest path.

    Raises:
        OSError: the outbox cannot be written.
        RoundError: ``carry_over`` holds no round.
        HandbookError, HandbookFileError: the round's handbook definition is damaged.
    """
    generated_at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    config = round_.config
    packs = plan_packs(config, round_.scheme, round_.roster, generated_at)
    carried = carry_over_records(carry_over) if carry_over is not None else {}
    references = record_references(round_)
    outbox = round_.paths.outbox
    pack_writer = PackWriter(round_.scheme, config, round_.key, references)
    for folder in {(outbox / pack.file).parent for pack in packs}:
        folder.mkdir(parents=True, exist_ok=True)
    for pack in packs:
        replace_atomically(outbox / pack.file, partial(pack_writer.write, pack=pack))
    handbook = freeze_round_handbook(round_.paths, config.language)
    handbooks = plan_handbooks(config, handbook, round_.roster, generated_at)
    handbook_writer = HandbookWriter(handbook, config, round_.key)
    for folder in {(outbox / plan.file).parent for plan in handbooks}:
        folder.mkdir(parents=True, exist_ok=True)
    for plan in handbooks:
        replace_atomically(outbox / plan.file, partial(handbook_writer.write, plan=plan,
                                                       prefill=carried.get(plan.code)))

    replace_atomically(round_.paths.manifest,
                       partial(write_manifest, packs=packs, lang=round_.lang))
    return GenerateResult(packs, round_.paths.manifest, handbooks,
                          sum(1 for plan in handbooks if plan.code in carried))
