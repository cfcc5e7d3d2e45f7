"""What a returned form or file comes to: the statuses validation gives and the ledger keeps."""

from __future__ import annotations

from typing import Final

ACCEPTED: Final = "accepted"
WITH_WARNINGS: Final = "accepted-with-warnings"
REJECTED: Final = "rejected"
