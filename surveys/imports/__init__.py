"""File import: read CSV and XLSX exports as untrusted input, map columns and values to a survey,
and turn rows into answers with the engine's own validation (pure; no web, no database).

```python
table = read_table(stream, "export.csv")              # raises FileProblem
available = targets(survey)
plan = ImportPlan(suggest_columns(table.headers, available))
problems = check_plan(available, table.headers, plan)
converter = RowConverter(survey, available, table.headers, plan)
for result in convert_rows(converter, table.rows):    # RowResult(row, answers, errors)
    ...
```
"""

from surveys.imports.mapping import (
    CHOICE,
    DATE,
    MULTI,
    VALUE,
    WARD,
    ImportPlan,
    PlanProblem,
    Target,
    check_plan,
    choice_values,
    normalise,
    split_multi,
    suggest_columns,
    suggest_value,
    targets,
    value_key,
)
from surveys.imports.reading import (
    FileProblem,
    Limits,
    Table,
    cell_text,
    clean_cell,
    neutralise,
    read_csv,
    read_table,
    read_xlsx,
)
from surveys.imports.rows import RowConverter, RowError, RowResult, convert_rows, date_parts

__all__ = [
    "CHOICE",
    "DATE",
    "MULTI",
    "VALUE",
    "WARD",
    "FileProblem",
    "ImportPlan",
    "Limits",
    "PlanProblem",
    "RowConverter",
    "RowError",
    "RowResult",
    "Table",
    "Target",
    "cell_text",
    "check_plan",
    "choice_values",
    "clean_cell",
    "convert_rows",
    "date_parts",
    "neutralise",
    "normalise",
    "read_csv",
    "read_table",
    "read_xlsx",
    "split_multi",
    "suggest_columns",
    "suggest_value",
    "targets",
    "value_key",
]
