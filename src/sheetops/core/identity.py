"""Form identity and its signature.

Every generated form carries its identity (round, form, role, rater, target, scheme, time) as
text in the workbook's hidden ``_meta`` sheet, signed with HMAC-SHA256 by the round's secret
key together with the name of the sheet that holds it. A copied, edited or last-year form fails
verification on receipt, and so does a ``_meta`` row moved onto another sheet.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Final

SIGNATURE_CONTEXT: Final = "sheetops-form-v2"
# Forms generated before the signature covered the sheet name. They are still accepted, so a
# round under way keeps its returns; the form sheet must then show its own form id.
LEGACY_CONTEXT: Final = "sheetops-form-v1"
META_SHEET: Final = "_meta"
KEY_BYTES: Final = 32


@dataclass(frozen=True)
class FormIdentity:
    """Who fills a form about whom, in which round, under which scheme."""

    round_id: str
    form_id: str
    kind: str
    role: str
    rater: str
    target: str
    scheme_id: str
    scheme_version: str
    scheme_hash: str
    generated_at: str

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Return the identity's field names in signing order."""
        return tuple(f.name for f in fields(cls))

    def canonical(self, sheet: str | None) -> bytes:
        """Return the exact bytes that are signed: the identity bound to the sheet holding it.

        Args:
            sheet: the name of the worksheet the form is on; None for the legacy
                (``sheetops-form-v1``) bytes, which do not name it.
        """
        lines = [SIGNATURE_CONTEXT if sheet is not None else LEGACY_CONTEXT]
        lines += [f"{name}={getattr(self, name)}" for name in _FIELD_NAMES]
        if sheet is not None:
            lines.append(f"sheet={sheet}")
        return "\n".join(lines).encode("utf-8")


_FIELD_NAMES: Final = FormIdentity.field_names()


def form_id_for(role: str, rater: str, target: str) -> str:
    """Return the stable id of a form: the same assignment always gets the same id."""
    return f"{role}-{rater}-{target}" if role != "self" else f"self-{target}"


def sign_identity(key: bytes, identity: FormIdentity, sheet: str) -> str:
    """Return the hex HMAC-SHA256 of ``identity`` on sheet ``sheet`` under ``key``."""
    return hmac.new(key, identity.canonical(sheet), hashlib.sha256).hexdigest()


def verify_identity(key: bytes, identity: FormIdentity, sheet: str, signature: str) -> bool:
    """Return whether ``signature`` is the valid signature of ``identity`` on sheet ``sheet``
    (constant time), or its legacy signature from before signatures named the sheet."""
    given = signature.strip().lower()
    legacy = hmac.new(key, identity.canonical(None), hashlib.sha256).hexdigest()
    current = hmac.compare_digest(sign_identity(key, identity, sheet), given)
    return hmac.compare_digest(legacy, given) | current


def create_key(path: Path) -> None:
    """Create a new random round key at ``path``, readable by its owner only (mode 0600).

    Raises:
        FileExistsError: a key already exists (a round's key is never replaced).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")


def read_key(path: Path) -> bytes:
    """Return the round key stored at ``path``.

    Raises:
        OSError: the key file is missing or unreadable.
        ValueError: the file does not hold a hex key.
    """
    return bytes.fromhex(path.read_text(encoding="ascii").strip())
