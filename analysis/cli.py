"""Command line: ``python -m analysis themes ...``, ``evaluate ...`` and ``simulate-coding ...``."""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from analysis.result import MAX_THEMES, MIN_THEMES, ThemeResult
from analysis.vectors import CHOICES, NOTES


def decode_csv(data: bytes, path: str = "input") -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in.

    UTF-8 (with or without a byte-order mark), UTF-16 (with a byte-order mark) and
    Windows-1252 (which covers Latin-1's letters) are read; anything else stops with one line
    naming the problem and the line of the file where it is.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise SystemExit(
                f"{path}: not valid UTF-16 at byte {exc.start} "
                "(save the file as CSV UTF-8 and try again)"
            ) from None
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if b"\x00" in data:
            raise SystemExit(
                f"{path}: line {line}: the file looks like UTF-16 without a byte-order "
                "mark (save the file as CSV UTF-8 and try again)"
            ) from None
        try:
            return data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as bad:
            line = data[: bad.start].count(b"\n") + 1
            raise SystemExit(
                f"{path}: line {line}: byte 0x{data[bad.start]:02x} is not UTF-8, UTF-16 "
                "or Windows-1252 text (save the file as CSV UTF-8 and try again)"
            ) from None


def read_csv(path: str, columns: Sequence[str]) -> dict[str, list[str]]:
    """Columns of a CSV file (encodings: see :func:`decode_csv`; a missing column is an
    error naming the columns found)."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SystemExit(f"{path}: cannot read the file ({exc.strerror})") from None
    text, encoding = decode_csv(data, path)
    if encoding != "UTF-8":
        print(f"{path}: read as {encoding}", file=sys.stderr)
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        found = reader.fieldnames or []
        missing = [c for c in columns if c not in found]
        if missing:
            raise SystemExit(
                f"{path}: no column {', '.join(missing)} (columns: {', '.join(found)})"
            )
        out: dict[str, list[str]] = {c: [] for c in columns}
        try:
            for row in reader:
                for c in columns:
                    out[c].append(row[c] or "")
        except csv.Error as exc:
            raise SystemExit(f"{path}: line {reader.line_num}: {exc}") from None
    return out


def _n_themes(value: str) -> int | str:
    """Parse ``--n-themes``: a positive integer or ``auto``."""
    if value == "auto":
        return value
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("enter a whole number or 'auto'") from None
    if k < 1:
        raise argparse.ArgumentTypeError("enter a number of themes of 1 or more")
    return k


def summary(result: ThemeResult, out: TextIO) -> None:
    """Print a readable summary of themes, sizes, sentiment and one quote each."""
    n = len(result.assignments)
    out.write(
        f"{len(result.themes)} themes from {n} texts; unthemed {100 * result.unthemed_share:.1f}%"
        f" (of which {result.non_answers} non-answers such as N/A or don't know)\n"
    )
    vectors = result.params.get("vectors")
    if vectors:
        note = NOTES.get(str(result.params.get("vectors_reason")), "")
        out.write(f"Text vectors: {vectors} ({note})\n")
    if result.k_curve is not None:
        curve = ", ".join(
            f"{k}: {s:.3f}"
            for k, s in zip(result.k_curve.candidates, result.k_curve.scores, strict=False)
        )
        out.write(f"Number of themes chosen by {result.k_curve.criterion}\n  {curve}\n")
    for t in result.themes:
        people = "" if t.respondents is None else f"{t.respondents} people, "
        mood = (
            "sentiment not scored"
            if t.mean_sentiment is None
            else f"sentiment {t.mean_sentiment:+.2f} over {t.sentiment_scored} texts"
        )
        out.write(
            f"\n[{t.id}] {t.label}  ({people}{t.size} texts, "
            f"{100 * t.weighted_share:.1f}% weighted, {mood})\n"
        )
        out.write(
            textwrap.fill(
                t.description, 96, initial_indent="    ", subsequent_indent="    "
            )
            + "\n"
        )
        out.write(f"    key phrases: {', '.join(t.key_phrases)}\n")
        out.writelines(
            textwrap.fill(
                f'"{q.text}"',
                96,
                initial_indent="    - ",
                subsequent_indent="      ",
            )
            + "\n"
            for q in t.quotes[:2]
        )


def _check_embedding(name: str) -> None:
    """Stop with the install command when the optional sentence model is chosen but missing."""
    if name in ("minilm", "e5"):
        from analysis.sentence_model import EmbeddingsUnavailable, e5_encoder, model_dir

        try:
            e5_encoder() if name == "e5" else model_dir()
        except EmbeddingsUnavailable as exc:
            raise SystemExit(str(exc)) from None


def cmd_themes(args: argparse.Namespace) -> int:
    """Run ``themes``: fit, write JSON, print a summary."""
    from analysis.themes import ThemeModel

    _check_embedding(args.embedding)
    columns = [args.text_column] + ([args.id_column] if args.id_column else [])
    if args.weight_column:
        columns.append(args.weight_column)
    if args.respondent_column:
        columns.append(args.respondent_column)
    data = read_csv(args.input, columns)
    texts = data[args.text_column]
    ids = data[args.id_column] if args.id_column else None
    weights = None
    if args.weight_column:
        try:
            weights = [float(v or 0) for v in data[args.weight_column]]
        except ValueError:
            raise SystemExit(
                f"{args.input}: column {args.weight_column} must hold numbers"
            ) from None
    start = time.perf_counter()
    model = ThemeModel(
        n_themes=args.n_themes,
        min_themes=args.min_themes,
        max_themes=args.max_themes,
        random_state=args.seed,
        n_jobs=args.jobs,
        embedding=args.embedding,
    ).fit(
        texts,
        ids=ids,
        weights=weights,
        respondents=data[args.respondent_column] if args.respondent_column else None,
    )
    seconds = time.perf_counter() - start
    Path(args.out).write_text(model.result_.to_json(), encoding="utf-8")
    summary(model.result_, sys.stdout)
    print(f"\nWrote {args.out} in {seconds:.1f} s")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Run ``evaluate``: scores at the true number of themes and with auto, over several seeds."""
    from analysis.evaluate import evaluate

    _check_embedding(args.embedding)
    data = read_csv(args.data, [args.text_column, args.label_column])
    texts, gold = data[args.text_column], data[args.label_column]
    k = len(set(gold))
    seeds = list(range(args.seeds))
    print(f"{args.data}: {len(texts)} texts, {k} labels, seeds {seeds}")
    settings: list[tuple[str, int | str, dict[str, int]]] = [("true k", k, {})]
    if not args.true_k_only:
        settings.append(
            (
                "auto",
                "auto",
                {"min_themes": args.min_themes, "max_themes": args.max_themes},
            )
        )
    for name, n_themes, extra in settings:
        result = evaluate(
            texts,
            gold,
            n_themes,
            seeds=seeds,
            setting=name,
            embedding=args.embedding,
            **extra,
        )
        print(result.line(), flush=True)
    return 0


def _per_code(value: str) -> int:
    """Parse ``--per-code``: a whole number of 1 or more."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("enter a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("enter a number of texts per code of 1 or more")
    return n


def cmd_simulate_coding(args: argparse.Namespace) -> int:
    """Run ``simulate-coding``: code the texts the tool asks about, predict the rest, score."""
    import json

    from analysis.simulate import simulate

    _check_embedding(args.embedding)
    data = read_csv(args.data, [args.text_column, args.label_column])
    texts, gold = data[args.text_column], data[args.label_column]
    if len(set(gold)) < 2:
        raise SystemExit(f"{args.data}: column {args.label_column} needs two labels or more")
    start = time.perf_counter()
    sim = simulate(
        texts, gold, args.per_code, random_state=args.seed, embedding=args.embedding
    )
    seconds = time.perf_counter() - start
    assignments = [
        {"coded": bool(c), "code": label}
        for c, label in zip(sim.coded, sim.labels, strict=True)
    ]
    Path(args.out).write_text(
        json.dumps({"assignments": assignments}, ensure_ascii=False), encoding="utf-8"
    )
    n_coded = int(sim.coded.sum())
    print(
        f"{args.data}: {len(texts)} texts, {len(set(gold))} labels; coded {n_coded} chosen "
        f"by the tool (at most {args.per_code} per label), {sim.refits} model updates"
    )
    print(
        f"On the {len(texts) - n_coded} uncoded texts: micro-F1 {sim.micro_f1:.3f}, "
        f"macro-F1 {sim.macro_f1:.3f}"
    )
    print(f"Wrote {args.out} in {seconds:.1f} s")
    return 0


_EMBEDDING_HELP = (
    "text vectors: auto (default: the multilingual e5 model for texts in several "
    "languages up to 5,000 distinct texts, MiniLM for one language up to 20,000, "
    "word co-occurrence beyond), or one of them named"
)

def _themes_arguments(themes: argparse.ArgumentParser) -> None:
    themes.add_argument(
        "input",
        help="CSV file with a header row (UTF-8, UTF-16 with a byte-order mark, or "
        "Windows-1252)",
    )
    themes.add_argument("--text-column", default="text")
    themes.add_argument("--id-column", default=None)
    themes.add_argument(
        "--respondent-column",
        default=None,
        help="optional column naming who wrote each text, so that themes count people",
    )
    themes.add_argument(
        "--weight-column", default=None, help="optional survey weight per row"
    )
    themes.add_argument(
        "--n-themes", type=_n_themes, default="auto", help="a number, or auto (default)"
    )
    themes.add_argument("--min-themes", type=int, default=MIN_THEMES)
    themes.add_argument("--max-themes", type=int, default=MAX_THEMES)
    themes.add_argument("--seed", type=int, default=0)
    themes.add_argument(
        "--jobs", type=int, default=-1, help="processes for sentiment (-1: all cores)"
    )
    themes.add_argument(
        "--embedding", choices=list(CHOICES), default="auto", help=_EMBEDDING_HELP
    )
    themes.add_argument("--out", required=True, help="where to write the JSON result")
    themes.set_defaults(func=cmd_themes)


def _evaluate_arguments(ev: argparse.ArgumentParser) -> None:
    ev.add_argument("data")
    ev.add_argument("--text-column", default="text")
    ev.add_argument("--label-column", default="label")
    ev.add_argument("--seeds", type=int, default=5)
    ev.add_argument("--min-themes", type=int, default=MIN_THEMES)
    ev.add_argument("--max-themes", type=int, default=MAX_THEMES)
    ev.add_argument("--true-k-only", action="store_true")
    ev.add_argument("--embedding", choices=list(CHOICES), default="auto", help=_EMBEDDING_HELP)
    ev.set_defaults(func=cmd_evaluate)


def _simulate_coding_arguments(sim: argparse.ArgumentParser) -> None:
    sim.add_argument("data", help="CSV file with a header row (encodings as for themes)")
    sim.add_argument("--text-column", default="text")
    sim.add_argument("--label-column", default="label")
    sim.add_argument(
        "--per-code",
        type=_per_code,
        required=True,
        help="code at most this many texts times the number of labels",
    )
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument(
        "--embedding",
        choices=list(CHOICES),
        default="auto",
        help="text vectors beside TF-IDF (as for themes; default auto)",
    )
    sim.add_argument("--out", required=True, help="where to write the JSON assignments")
    sim.set_defaults(func=cmd_simulate_coding)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``python -m analysis``: one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis", description="Themes and assisted coding of free text."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _themes_arguments(
        sub.add_parser("themes", help="find themes in a CSV column and write JSON")
    )
    _evaluate_arguments(
        sub.add_parser("evaluate", help="score themes against gold labels (columns text,label)")
    )
    _simulate_coding_arguments(
        sub.add_parser(
            "simulate-coding",
            help="simulate assisted coding on labelled data: the tool asks, the label answers",
        )
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))
