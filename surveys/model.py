"""The immutable object model of a loaded survey."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from surveys.numerals import localise_digits
from surveys.text import Text, localise

Operand = None | str | int | float | tuple[str | int | float, ...]


@dataclass(frozen=True)
class Condition:
    """A node of a routing operator tree: a logical node or a test on one question's answer."""

    op: str
    question: str | None = None
    statement: str | None = None
    value: Operand = None
    compare: str | None = None
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Route:
    """A routing rule: when the condition holds (or always), go to a page, a section or the end."""

    when: Condition | None
    page: str | None = None
    section: str | None = None
    end: bool = False
    loc: str = field(default="", compare=False)


@dataclass(frozen=True)
class Option:
    """An answer option (also used for grid scale points and wards)."""

    id: str
    text: Text
    hint: Text | None = None
    exclusive: bool = False
    group: Text | None = None
    other: bool = False
    """An "Other, please specify" option: the build adds a write-in box for it."""


@dataclass(frozen=True)
class Statement:
    """One statement (row) of a grid question."""

    id: str
    text: Text


@dataclass(frozen=True)
class Question:
    """A question of any type; fields that do not apply to a type stay at their defaults."""

    id: str
    type: str
    title: Text
    hint: Text | None = None
    name: Text | None = None
    required: bool = True
    when: Condition | None = None
    options: tuple[Option, ...] = ()
    statements: tuple[Statement, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    decimal: bool = False
    decimal_places: int = 2
    suffix: Text | None = None
    min_label: Text | None = None
    max_label: Text | None = None
    min_date: str | None = None
    max_date: str | None = None
    max_length: int | None = None
    max_words: int | None = None
    max_choices: int | None = None
    top: int | None = None
    demographic: str | None = None
    write_in_for: tuple[str, str] | None = None
    """A write-in box: (choice question id, option id) it belongs to, on the same page."""
    loc: str = field(default="", compare=False)

    def option(self, option_id: str) -> Option | None:
        """Return the option with this id, or None."""
        for option in self.options:
            if option.id == option_id:
                return option
        return None

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The ids of the options, in order."""
        return tuple(option.id for option in self.options)


@dataclass(frozen=True)
class Page:
    """One page of the runner: one question, or a small group of questions."""

    id: str
    section_id: str
    questions: tuple[Question, ...]
    title: Text | None = None
    when: Condition | None = None
    routes: tuple[Route, ...] = ()
    loc: str = field(default="", compare=False)


@dataclass(frozen=True)
class Section:
    """A titled group of pages; may be skipped as a whole with `when`."""

    id: str
    title: Text
    pages: tuple[Page, ...]
    description: Text | None = None
    when: Condition | None = None
    demographics: bool = False
    loc: str = field(default="", compare=False)


@dataclass(frozen=True)
class Settings:
    """Survey-wide settings."""

    layout: str = "one-question"
    max_questions_per_page: int = 4


@dataclass(frozen=True)
class Survey:
    """A loaded, checked survey definition with lookups by id."""

    id: str
    title: Text
    language: str
    languages: tuple[str, ...]
    sections: tuple[Section, ...]
    description: Text | None = None
    estimated_minutes: int | None = None
    settings: Settings = field(default_factory=Settings)
    _pages: Mapping[str, Page] = field(init=False, repr=False, compare=False)
    _page_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _questions: Mapping[str, Question] = field(init=False, repr=False, compare=False)
    _question_page: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        return hash((self.id, self.language, self.languages, len(self._pages)))

    def __post_init__(self) -> None:
        pages: dict[str, Page] = {}
        questions: dict[str, Question] = {}
        question_page: dict[str, str] = {}
        for section in self.sections:
            for page in section.pages:
                pages.setdefault(page.id, page)
                for question in page.questions:
                    questions.setdefault(question.id, question)
                    question_page.setdefault(question.id, page.id)
        index = {page_id: i for i, page_id in enumerate(pages)}
        object.__setattr__(self, "_pages", MappingProxyType(pages))
        object.__setattr__(self, "_page_index", MappingProxyType(index))
        object.__setattr__(self, "_questions", MappingProxyType(questions))
        object.__setattr__(self, "_question_page", MappingProxyType(question_page))

    @property
    def pages(self) -> tuple[Page, ...]:
        """All pages in document order."""
        return tuple(self._pages.values())

    @property
    def questions(self) -> tuple[Question, ...]:
        """All questions in document order."""
        return tuple(self._questions.values())

    def page(self, page_id: str) -> Page:
        """Return the page with this id (KeyError if unknown)."""
        return self._pages[page_id]

    def question(self, question_id: str) -> Question:
        """Return the question with this id (KeyError if unknown)."""
        return self._questions[question_id]

    def section(self, section_id: str) -> Section:
        """Return the section with this id (KeyError if unknown)."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def has_page(self, page_id: str) -> bool:
        """Whether a page with this id exists."""
        return page_id in self._pages

    def page_index(self, page_id: str) -> int:
        """The position of a page in document order (KeyError if unknown)."""
        return self._page_index[page_id]

    def page_of(self, question_id: str) -> Page:
        """Return the page that holds a question (KeyError if unknown)."""
        return self._pages[self._question_page[question_id]]

    def demographic_question(self, name: str) -> Question | None:
        """Return the question of the demographics block for `name` (e.g. "age"), if included."""
        for question in self._questions.values():
            if question.demographic == name:
                return question
        return None

    def text(self, text: Text | None, language: str) -> str:
        """Return survey text in `language`, falling back to the survey's main language."""
        return localise(text, language, self.language)

    def answer_label(self, question: Question, category: str, language: str) -> str:
        """The words people read for a result's category: the option's text in `language`, or
        (a scale's point, a number) the category written in that language's digits."""
        for option in question.options:
            if option.id == category:
                return self.text(option.text, language)
        return localise_digits(category, language)
