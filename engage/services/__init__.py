"""Use cases: one function each; they commit or roll back and never read the request."""
