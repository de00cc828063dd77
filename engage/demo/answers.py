"""Realistic demo answers for a survey, for demonstrations and load tests.

Pure: no web framework, no database. `generate_answers(survey, rng)` walks the survey's path like
a resident would and returns complete, valid answers (question id → answer). Each simulated
resident has a ward, an age, a background and one or two main concerns, and those concerns colour
both the closed answers and the free text, so that 2,000 responses show clear themes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from engage.demo import phrases as ph
from engage.demo.residents import (
    DISTRICT,
    MUSLIM_MAJORITY,
    POSTCODE_LETTERS,
    PRIORITY_FOR,
    Resident,
    make_resident,
    pick,
)
from surveys import Answer, Question, Survey, next_page, path, prune, visible_questions
from surveys import types as t

# ---------------------------------------------------------------- free text


def _typos(text: str, rate: float, rng: random.Random) -> str:
    if rate <= 0:
        return text
    chars = list(text)
    i = 0
    while i < len(chars) - 1:
        if chars[i].isalpha() and chars[i + 1].isalpha() and rng.random() < rate:
            kind = rng.randrange(3)
            if kind == 0:
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            elif kind == 1:
                del chars[i]
            else:
                chars.insert(i, chars[i])
                i += 1
        i += 1
    out = "".join(chars)
    if rng.random() < rate * 15:
        out = out.lower()
    return out


def _sentence(text: str, rng: random.Random, first: bool) -> str:
    text = text.replace("{place}", rng.choice(ph.PLACES))
    if first:
        roll = rng.random()
        prefix = rng.choice(ph.PERSONAL) if roll < 0.08 else rng.choice(ph.OPENERS)
        if prefix and not text.startswith("I "):
            text = prefix + text[0].lower() + text[1:]
        elif prefix:
            text = prefix + text
    return text + rng.choice([".", ".", ".", ".", ".", "", "!", ".."])


def _sentences(themes: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """`count` different sentences, taking turns over the themes."""
    pools = {th: rng.sample(ph.SENTENCES[th], len(ph.SENTENCES[th])) for th in themes}
    out: list[str] = []
    for i in range(count):
        pool = pools[themes[i % len(themes)]]
        if pool:
            out.append(_sentence(pool.pop(), rng, first=not out))
    return out


def free_text(
    rng: random.Random,
    resident: Resident,
    themes: Sequence[str],
    max_words: int | None = None,
    max_chars: int | None = None,
) -> str:
    """A free-text answer about the given themes, of varied length, style and quality."""
    roll = rng.random()
    if resident.bengali and roll < 0.7:
        if rng.random() < 0.07:
            text = rng.choice(ph.BENGALI_NOTHING)
        else:
            text = " ".join(rng.choice(ph.BENGALI[th]) for th in themes[:2])
    elif roll < 0.06:
        text = rng.choice(ph.NOTHING)
    elif roll < 0.30:
        text = rng.choice(ph.SHORT[themes[0]])
        if len(themes) > 1 and rng.random() < 0.4:
            text += rng.choice([" and ", ", ", " & "]) + rng.choice(ph.SHORT[themes[1]])
        text = text[0].upper() + text[1:] if rng.random() < 0.6 else text
    else:
        count = rng.choice([1, 1, 1, 1, 2, 2, 2, 3, 4])
        text = " ".join(_sentences(themes, count, rng)) + rng.choice(ph.CLOSERS)
    text = _typos(" ".join(text.split()), resident.typo_rate, rng)
    if max_words is not None and len(text.split()) > max_words:
        text = " ".join(text.split()[:max_words])
    if max_chars is not None and len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0] or text[:max_chars]
    return text.strip() or "Not sure"


# ---------------------------------------------------------------- closed answers


def _ids(q: Question) -> list[str]:
    return list(q.option_ids)


def _agreement(rng: random.Random, q: Question, lean: float) -> str:
    """An agreement-scale answer; lean > 0 tends to agree, < 0 to disagree."""
    scale = ["strongly-agree", "agree", "neither", "disagree", "strongly-disagree"]
    centre = 2 - 2 * lean + rng.gauss(0, 0.9)
    choice = scale[min(4, max(0, round(centre)))]
    if "dont-know" in q.option_ids and rng.random() < 0.07:
        return "dont-know"
    return choice if choice in q.option_ids else rng.choice(_ids(q))


def _number(rng: random.Random, q: Question) -> int | float:
    low = q.min_value if q.min_value is not None else 0
    high = q.max_value if q.max_value is not None else max(low, 0) + 50
    if q.decimal:
        return round(rng.uniform(low, high), min(q.decimal_places, 2))
    low_i, high_i = int(-(-low // 1)), int(high // 1)
    return rng.randint(low_i, max(low_i, high_i))


def _date(rng: random.Random, q: Question) -> str:
    low = dt.date.fromisoformat(q.min_date) if q.min_date else dt.date(1990, 1, 1)
    high = dt.date.fromisoformat(q.max_date) if q.max_date else dt.date(2026, 11, 1)
    high = min(high, max(low, dt.date(2026, 11, 15)))
    return (low + dt.timedelta(days=rng.randint(0, max(0, (high - low).days)))).isoformat()


def _generic(rng: random.Random, q: Question, resident: Resident) -> Answer:
    """A valid answer for any question, used when no special rule applies."""
    ids = _ids(q)
    if q.type in (t.SINGLE_CHOICE,):
        return rng.choice(ids)
    if q.type == t.AGREEMENT:
        return _agreement(rng, q, rng.uniform(-0.5, 0.8))
    if q.type == t.MULTIPLE_CHOICE:
        plain = [o.id for o in q.options if not o.exclusive]
        exclusive = [o.id for o in q.options if o.exclusive]
        limit = min(q.max_choices or len(plain), len(plain))
        if exclusive and (rng.random() < 0.08 or not plain or limit < 1):
            return [exclusive[0]]
        chosen = set(rng.sample(plain, rng.randint(1, max(1, min(limit, 3)))))
        return [i for i in ids if i in chosen]
    if q.type == t.RATING:
        return min(10, max(0, round(rng.gauss(6.5, 2.0))))
    if q.type == t.NUMBER:
        return _number(rng, q)
    if q.type == t.DATE:
        return _date(rng, q)
    if q.type == t.SHORT_TEXT:
        return _short(rng, q, resident)
    if q.type == t.LONG_TEXT:
        return free_text(rng, resident, resident.concerns, q.max_words, q.max_length)
    if q.type == t.RANKING:
        count = q.top if q.top is not None else len(ids)
        return rng.sample(ids, count)
    if q.type == t.GRID:
        return {s.id: rng.choice(ids) for s in q.statements}
    if q.type == t.WARD_POSTCODE:
        return _ward(rng, q, resident)
    return None


def _short(rng: random.Random, q: Question, resident: Resident) -> str:
    bank = ph.BENGALI_LIKE_MOST if resident.bengali and rng.random() < 0.6 else ph.LIKE_MOST
    text = _typos(rng.choice(bank), resident.typo_rate, rng)
    limit = q.max_length or 200
    return " ".join(text.split())[:limit].strip() or "Not sure"


def _ward(rng: random.Random, q: Question, resident: Resident) -> dict[str, str]:
    if resident.ward in q.option_ids and rng.random() < 0.85:
        return {"ward": resident.ward}
    if resident.ward not in DISTRICT:
        return {"ward": rng.choice(_ids(q))}
    district = DISTRICT[resident.ward]
    inward = f"{rng.randint(0, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
    return {"postcode": f"{district} {inward}"}


def _demographic(rng: random.Random, q: Question, resident: Resident) -> Answer:
    ids = _ids(q)
    if rng.random() < 0.04:
        return None
    if rng.random() < 0.04 and "prefer-not-to-say" in ids:
        return "prefer-not-to-say"
    name = q.demographic
    if name == "age":
        value = resident.age
    elif name == "sex":
        value = rng.choice(["female", "male"])
    elif name == "gender-identity":
        value = "yes" if rng.random() < 0.985 else "no"
    elif name == "ethnicity":
        value = resident.ethnicity
    elif name == "religion":
        value = _religion(rng, resident.ethnicity)
    elif name == "disability":
        roll = rng.random() + (0.15 if resident.age in ("55-64", "65-plus") else 0)
        value = "limited-a-lot" if roll > 0.95 else "limited-a-little" if roll > 0.86 else "no"
    elif name == "carer":
        value = (
            "no"
            if rng.random() < 0.9
            else rng.choice(
                ["up-to-9-hours", "10-19-hours", "20-34-hours", "35-49-hours", "50-plus-hours"]
            )
        )
    else:
        value = rng.choice(ids)
    return value if value in ids else rng.choice(ids)


def _religion(rng: random.Random, ethnicity: str) -> str:
    if ethnicity in MUSLIM_MAJORITY:
        return "muslim" if rng.random() < 0.95 else "no-religion"
    if ethnicity == "indian":
        return rng.choice(["hindu", "hindu", "muslim", "sikh", "christian", "no-religion"])
    if ethnicity == "chinese":
        return rng.choice(["no-religion", "no-religion", "buddhist", "christian"])
    if ethnicity in ("african", "caribbean", "other-black"):
        return rng.choice(["christian", "christian", "christian", "muslim", "no-religion"])
    weights = {
        "no-religion": 50,
        "christian": 38,
        "muslim": 5,
        "jewish": 2,
        "buddhist": 2,
        "other-religion": 3,
    }
    return pick(rng, weights, list(weights))


def _demo_answer(rng: random.Random, q: Question, resident: Resident) -> Answer:
    """Answers for the demo survey's own questions, shaped by the resident's concerns."""
    concerns = resident.concerns
    ids = _ids(q)
    if q.id == "years-lived" and q.type == t.NUMBER:
        cap = {"16-24": 24, "25-34": 34, "35-44": 44, "45-54": 54, "55-64": 64}.get(
            resident.age, 80
        )
        value = min(cap, int(rng.expovariate(1 / 11)))
        return (
            value
            if q.min_value is None or q.max_value is None or (q.min_value <= value <= q.max_value)
            else _number(rng, q)
        )
    if q.id == "children" and q.type == t.NUMBER:
        return resident.children if (q.max_value or 20) >= resident.children else 0
    if q.id == "area-rating" and q.type == t.RATING:
        penalty = sum(1.2 for c in concerns if c in ("crime", "cleanliness", "housing"))
        return min(10, max(0, round(rng.gauss(7.0 - penalty, 1.8))))
    if q.id == "area-statements" and q.type == t.GRID:
        lean = {
            "get-on-well": 0.6 - (0.8 if "cohesion" in concerns else 0),
            "safe-after-dark": 0.1 - (1.2 if "crime" in concerns else 0),
            "clean-streets": -0.1 - (1.3 if "cleanliness" in concerns else 0),
            "influence": -0.4,
        }
        return {s.id: _agreement(rng, q, lean.get(s.id, 0.0)) for s in q.statements}
    if q.id == "services-used" and q.type == t.MULTIPLE_CHOICE:
        odds = {
            "idea-store": 0.35,
            "parks": 0.65,
            "leisure": 0.3,
            "youth": 0.08,
            "gp": 0.7,
            "advice": 0.12 + (0.2 if "cost_of_living" in concerns else 0),
        }
        if resident.children:
            odds["youth"] = 0.3
        chosen = [i for i in ids if rng.random() < odds.get(i, 0.2) and i != "none"]
        return chosen or (["none"] if "none" in ids else [ids[0]])
    if q.id == "crime-asb" and q.type == t.AGREEMENT:
        return _agreement(rng, q, -0.9 if "crime" in concerns else 0.1)
    if q.id == "priorities" and q.type == t.RANKING:
        wanted = [PRIORITY_FOR[c] for c in concerns if PRIORITY_FOR.get(c) in ids]
        rest = [i for i in ids if i not in wanted]
        rng.shuffle(rest)
        order = list(dict.fromkeys(wanted + rest))
        return order[: q.top if q.top is not None else len(ids)]
    if q.id in ("improve", "top-priority") and q.type == t.LONG_TEXT:
        themes = concerns if q.id == "improve" else list(reversed(concerns))
        if q.id == "top-priority" and rng.random() < 0.3:
            themes = [rng.choice(ph.THEMES)]
        return free_text(rng, resident, themes, q.max_words, q.max_length)
    if q.id == "attended" and q.type == t.SINGLE_CHOICE and "yes" in ids:
        return "yes" if rng.random() < 0.3 else ("no" if "no" in ids else rng.choice(ids))
    return _generic(rng, q, resident)


def _answer(rng: random.Random, q: Question, resident: Resident) -> Answer:
    if q.demographic:
        return _demographic(rng, q, resident)
    if q.write_in_for is not None:
        return None  # demo residents choose a listed group (and no random draw is used)
    if not q.required and rng.random() < (0.25 if q.type == t.SHORT_TEXT else 0.08):
        return None
    return _demo_answer(rng, q, resident)


def generate_response(survey: Survey, rng: random.Random) -> dict[str, object]:
    """A complete response: {"answers": ..., "language": "en" or "bn", "ward": ward id}."""
    wards: list[str] = []
    for q in survey.questions:
        if q.type == t.WARD_POSTCODE:
            wards = list(q.option_ids)
            break
    resident = make_resident(rng, wards)
    answers: dict[str, object] = {}
    ids = path(survey, answers)
    page: str | None = ids[0] if ids else None
    while page is not None:
        for qid in visible_questions(survey, page, answers):
            answers[qid] = _answer(rng, survey.question(qid), resident)
        page = next_page(survey, answers, page)
    language = "bn" if resident.bengali and "bn" in survey.languages else survey.language
    return {"answers": prune(survey, answers), "language": language, "ward": resident.ward}


def generate_answers(survey: Survey, rng: random.Random) -> dict[str, object]:
    """Complete, valid, on-path answers (question id → answer) of one simulated resident."""
    answers = generate_response(survey, rng)["answers"]
    assert isinstance(answers, dict)
    return answers
