"""Theme analysis in the platform: sources, runs (background jobs), review edits, equity lens."""
