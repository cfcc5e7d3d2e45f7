"""What a round received and decided: the SQLite ledger, the archive, the state of every form."""
