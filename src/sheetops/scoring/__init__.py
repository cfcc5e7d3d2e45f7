"""Merge, veto, grade and rank (pure), rater analysis and handbook consolidation."""
