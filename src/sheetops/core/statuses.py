"""What a returned form or file comes to: the statuses validation gives and the ledger keeps."""

from __future__ import annotations

from typing import Final

ACCEPTED: Final = "accepted"
WITH_WARNINGS: Final = "accepted-with-warnings"
REJECTED: Final = "rejected"
# Valid, but from an address that is not its recipient's: kept and shown, counted only once
# staff accept it (``sheetops accept``).
HELD: Final = "held"
