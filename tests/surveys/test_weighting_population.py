"""Population targets: the CSV loader, the illustrative file, quotas and fieldwork progress."""

from __future__ import annotations

from pathlib import Path

import surveys
from surveys.weighting import (
    default_categories,
    fieldwork_progress,
    illustrative_population,
    load_population,
    load_population_file,
)

SMALL = {"ward": ("a", "b"), "age": ("young", "old"), "sex": ("f", "m")}


def _csv(*rows: str, header: str = "ward,age_band,sex,population") -> str:
    return "\n".join([header, *rows]) + "\n"


def _full(**override: str) -> list[str]:
    rows = {f"{w},{a},{s}": "10" for w in SMALL["ward"] for a in SMALL["age"] for s in SMALL["sex"]}
    rows.update(override)
    return [f"{cell},{people}" for cell, people in rows.items()]


def test_illustrative_file_is_complete_and_labelled() -> None:
    population = illustrative_population()
    categories = default_categories()
    assert len(categories["ward"]) == 20 and len(categories["age"]) == 6
    assert categories["sex"] == ("female", "male")
    assert len(population.cells) == 20 * 6 * 2
    assert 150_000 < population.total < 350_000
    margins = population.margins()
    assert set(margins["ward"]) == {w.id for w in surveys.default_wards()}
    text = (Path(surveys.__file__).parent / "data" / "population-illustrative.csv").read_text()
    assert "ILLUSTRATIVE, NOT OFFICIAL" in text.splitlines()[0]


def test_small_file_loads_with_margins_and_quotas() -> None:
    result = load_population(_csv(*_full(**{"a,young,f": '"1,000"'})), SMALL)
    assert result.ok and result.population is not None
    assert result.population.total == 1000 + 7 * 10
    assert result.population.margins()["ward"] == {"a": 1030, "b": 40}
    quotas = result.population.quotas(100)
    assert sum(quotas.values()) == 100
    # 1000/1070·100 = 93.46 → 93; each 10/1070·100 = 0.93 → 0; the 7 largest remainders
    # (0.93 each, then 0.46) get one more: the seven small cells.
    assert quotas[("a", "young", "f")] == 93
    assert all(q == 1 for cell, q in quotas.items() if cell != ("a", "young", "f"))


def test_quotas_of_nothing() -> None:
    population = load_population(_csv(*_full()), SMALL).population
    assert population is not None
    assert set(population.quotas(0).values()) == {0}


def test_every_bad_row_is_reported_with_row_column_value_and_why() -> None:
    rows = _full()
    rows[0] = "a,young,f,-5"
    rows[1] = "c,young,m,10"
    rows[2] = "a,middle,f,ten"
    rows[3] = "a,old"
    rows.append("b,old,m,10")  # a duplicate of the last row
    text = "# a comment line\n" + _csv(*rows)
    result = load_population(text, SMALL)
    assert not result.ok and result.population is None
    found = {(p.row, p.column, p.value) for p in result.problems}
    assert (3, "population", "-5") in found  # line 1 is the comment, line 2 the header
    assert (4, "ward", "c") in found
    assert (5, "age_band", "middle") in found and (5, "population", "ten") in found
    assert (6, None, "a,old") in found
    assert any(p.row == 11 and "already given on row 10" in p.message for p in result.problems)
    assert all(str(p).startswith("Row ") for p in result.problems)


def test_header_and_missing_cells() -> None:
    bad = load_population(_csv("a,young,f,1", header="ward,age,sex,people"), SMALL)
    messages = [p.message for p in bad.problems]
    assert "Unknown column 'age': the columns are ward, age_band, sex, population." in messages
    assert "The column 'population' is missing." in messages
    short = load_population(_csv(*_full()[:-1]), SMALL)
    assert [p.message for p in short.problems] == [
        "There is no row for ward b, age band old, sex m. Add it (with population 0 if nobody "
        "lives there)."]
    assert not load_population("", SMALL).ok
    assert not load_population(_csv(*_full(), "a,young,f,1"), SMALL, max_rows=3).ok
    zero = load_population(_csv(*[r.rsplit(",", 1)[0] + ",0" for r in _full()]), SMALL)
    assert [p.message for p in zero.problems] == ["Every population is 0."]


def test_unknown_ward_suggests_the_nearest(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text(_csv("mile-nd,16-24,female,12"), "utf-8-sig")
    result = load_population_file(path)
    assert "Did you mean 'mile-end'?" in result.problems[0].message
    (tmp_path / "bad.csv").write_bytes(b"\xff\xfe\x00")
    assert "UTF-8" in load_population_file(tmp_path / "bad.csv").problems[0].message


def test_fieldwork_progress_per_cell_and_margin() -> None:
    quotas = {("a", "f"): 3, ("a", "m"): 2, ("b", "f"): 0, ("b", "m"): 5}
    profiles = [{"ward": "a", "sex": "f"}] * 4 + [{"ward": "b", "sex": "m"}] * 2 + [
        {"ward": "a", "sex": None}, {"ward": "z", "sex": "m"}]
    progress = fieldwork_progress(profiles, quotas, ("ward", "sex"))
    cells = {c.cell: c for c in progress.cells}
    assert cells[("a", "f")].achieved == 4 and cells[("a", "f")].short_by == 0
    assert cells[("a", "m")].short_by == 2 and cells[("a", "m")].percent == 0
    assert cells[("b", "f")].percent is None
    assert cells[("b", "m")].short_by == 3 and cells[("b", "m")].percent == 40
    margins = {(m.dimension, m.category): m for m in progress.margins}
    assert margins[("ward", "a")].achieved == 5 and margins[("ward", "a")].target == 5
    assert margins[("ward", "a")].achieved_share == 5 / 7
    assert margins[("sex", "m")].achieved == 3 and margins[("sex", "m")].short_by == 4
    assert margins[("sex", "m")].target_share == 0.7
    assert (progress.achieved, progress.target, progress.unplaced) == (8, 10, 2)


def test_fieldwork_progress_on_the_illustrative_quotas(demo_profiles: dict) -> None:
    quotas = illustrative_population().quotas(3000)
    progress = fieldwork_progress(demo_profiles.values(), quotas)
    assert len(progress.cells) == 240 and progress.target == 3000
    assert sum(c.achieved for c in progress.cells) == 3000 - progress.unplaced
    assert any(c.short_by > 0 for c in progress.cells)
