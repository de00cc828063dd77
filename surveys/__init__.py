"""Pure Python survey engine: definitions, routing, validation, weighting."""
