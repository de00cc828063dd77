"""The borough's population by ward × age band × sex: a CSV loader that checks every row,
margins for raking, and cell quotas for fieldwork."""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from surveys.builtins import default_wards, demographics_data

COLUMNS = ("ward", "age_band", "sex", "population")
"""The CSV's columns, in any order (other columns are refused)."""
DIMENSIONS = ("ward", "age", "sex")
"""The dimensions of a cell, named as in `surveys.respondent_profile`."""
ILLUSTRATIVE = "population-illustrative.csv"
Cell = tuple[str, str, str]
_NUMBER = re.compile(r"^[0-9][0-9,]*$")


@dataclass(frozen=True)
class RowProblem:
    """A bad row of a population file: line number (1 = first line), column, value and why."""

    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row is not None else "File"
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass(frozen=True)
class Population:
    """People per cell (ward, age band, sex)."""

    cells: Mapping[Cell, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def total(self) -> int:
        """Everyone in the population."""
        return sum(self.cells.values())

    def margins(self) -> dict[str, dict[str, int]]:
        """{"ward": {...}, "age": {...}, "sex": {...}}: people per category, for `rake`."""
        out: dict[str, dict[str, int]] = {d: {} for d in DIMENSIONS}
        for cell, people in self.cells.items():
            for dim, category in zip(DIMENSIONS, cell, strict=True):
                out[dim][category] = out[dim].get(category, 0) + people
        return out

    def quotas(self, sample_size: int) -> dict[Cell, int]:
        """Interviews per cell in proportion to the population, adding up to `sample_size`.

        Largest-remainder rounding: each cell gets the whole part of its share, then the cells
        with the largest fractions get one more each (ties in file order).
        """
        total = self.total
        if sample_size <= 0 or total <= 0:
            return dict.fromkeys(self.cells, 0)
        exact = {cell: people * sample_size / total for cell, people in self.cells.items()}
        quotas = {cell: int(value) for cell, value in exact.items()}
        left = sample_size - sum(quotas.values())
        order = sorted(exact, key=lambda c: quotas[c] - exact[c])
        for cell in order[:left]:
            quotas[cell] += 1
        return quotas


@dataclass(frozen=True)
class PopulationResult:
    """A loaded population (None if any row was bad) and every problem found."""

    population: Population | None
    problems: tuple[RowProblem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the file had no problems."""
        return not self.problems


def default_categories() -> dict[str, tuple[str, ...]]:
    """Allowed categories per dimension: the package's wards and the demographics block's
    age bands and sexes (without "prefer not to say")."""
    questions = demographics_data()["questions"]

    def ids(name: str) -> tuple[str, ...]:
        return tuple(o["id"] for o in questions[name]["options"] if o["id"] != "prefer-not-to-say")

    return {"ward": tuple(w.id for w in default_wards()), "age": ids("age"), "sex": ids("sex")}


def _lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of the lines that are not blank and not # comments."""
    return [(i, line) for i, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")]


def _header(row: list[str], line: int) -> tuple[dict[str, int], list[RowProblem]]:
    names = [name.strip().lower() for name in row]
    problems = [RowProblem(line, name, name, f"Unknown column '{name}': the columns are "
                           f"{', '.join(COLUMNS)}.") for name in names if name not in COLUMNS]
    problems += [RowProblem(line, c, None, f"The column '{c}' is missing.")
                 for c in COLUMNS if c not in names]
    problems += [RowProblem(line, c, c, f"The column '{c}' appears more than once.")
                 for c in COLUMNS if names.count(c) > 1]
    return {c: names.index(c) for c in COLUMNS if c in names}, problems


def _row(row: list[str], line: int, columns: Mapping[str, int],
         allowed: Mapping[str, Collection[str]]) -> tuple[Cell | None, int, list[RowProblem]]:
    problems: list[RowProblem] = []
    if len(row) != len(columns):
        problems.append(RowProblem(line, None, ",".join(row)[:80], f"This row has {len(row)} "
                                   f"values; it needs {len(columns)}."))
        return None, 0, problems
    values = {c: row[i].strip() for c, i in columns.items()}
    for column, dim in zip(COLUMNS, DIMENSIONS, strict=False):
        value = values[column][:80]
        if value not in allowed[dim]:
            close = difflib.get_close_matches(value, list(allowed[dim]), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(RowProblem(line, column, value, f"'{value}' is not a known "
                                       f"{column.replace('_', ' ')}.{hint}"))
    raw = values["population"]
    people = int(raw.replace(",", "")) if _NUMBER.match(raw) else -1
    if people < 0:
        problems.append(RowProblem(line, "population", raw[:80], "The population must be a whole"
                                   " number, 0 or more (e.g. 1234)."))
    cell = (values["ward"], values["age_band"], values["sex"])
    return (None if problems else cell), people, problems


def load_population(text: str, categories: Mapping[str, Collection[str]] | None = None,
                    max_rows: int = 100_000) -> PopulationResult:
    """Read a population CSV (ward,age_band,sex,population; # comment lines allowed).

    Every bad row is reported (line number, column, value, why), and so is every missing cell
    and duplicate; the population is returned only when there are no problems.
    """
    allowed = categories if categories is not None else default_categories()
    lines = _lines(text)
    if not lines:
        return PopulationResult(None, (RowProblem(None, None, None, "The file is empty."),))
    if len(lines) > max_rows + 1:
        return PopulationResult(None, (RowProblem(None, None, None, f"The file has more than "
                                                  f"{max_rows:,} rows."),))
    rows = [next(csv.reader([line])) for _, line in lines]
    columns, problems = _header(rows[0], lines[0][0])
    if problems:
        return PopulationResult(None, tuple(problems))
    cells: dict[Cell, int] = {}
    first_seen: dict[Cell, int] = {}
    for (line, _), row in zip(lines[1:], rows[1:], strict=True):
        cell, people, row_problems = _row(row, line, columns, allowed)
        problems += row_problems
        if cell is not None and cell in cells:
            problems.append(RowProblem(line, None, ",".join(cell), f"This cell is already given on"
                                       f" row {first_seen[cell]}."))
        elif cell is not None:
            cells[cell], first_seen[cell] = people, line
    if not problems:
        problems += [
            RowProblem(None, None, ",".join((w, a, s)), f"There is no row for ward {w}, age band "
                       f"{a}, sex {s}. Add it (with population 0 if nobody lives there).")
            for w in allowed["ward"] for a in allowed["age"] for s in allowed["sex"]
            if (w, a, s) not in cells]
    if not problems and sum(cells.values()) == 0:
        problems.append(RowProblem(None, "population", "0", "Every population is 0."))
    if problems:
        return PopulationResult(None, tuple(problems))
    return PopulationResult(Population(MappingProxyType(cells)))


def load_population_file(
    path: str | Path, categories: Mapping[str, Collection[str]] | None = None
) -> PopulationResult:
    """Read a population CSV file (UTF-8, with or without a byte order mark)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        why = f"The file cannot be read as UTF-8 text ({type(error).__name__})."
        return PopulationResult(None, (RowProblem(None, None, None, why),))
    return load_population(text, categories)


def illustrative_population() -> Population:
    """The bundled ILLUSTRATIVE (not official) population of Tower Hamlets, for demos and tests."""
    text = resources.files("surveys").joinpath("data", ILLUSTRATIVE).read_text("utf-8")
    result = load_population(text)
    if result.population is None:
        raise ValueError("; ".join(str(p) for p in result.problems))
    return result.population
