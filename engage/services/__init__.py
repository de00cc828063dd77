"""Use cases: one function each; they commit or roll back and never read the request.

Grouped along the line: `collect` -> `code` -> `decide` -> `report`, over `platform`
(transactions, jobs, audit, accounts), which imports no stage.
"""
