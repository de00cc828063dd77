"""Pure Python text analysis: redaction, themes, sentiment."""
