"""Reading what comes back: sources, safe pre-checks, parsing, form extraction."""
