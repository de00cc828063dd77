"""Drives the survey runner in a browser: fills each page from generated answers, by keyboard
alone when asked (Tab to each control, arrows for radios, Space for checkboxes, typing for text)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import surveys
from engage.demo.answers import generate_response

ROOT = Path(__file__).resolve().parents[2]
DEMO_SLUG = "residents-2026"


def demo_survey() -> surveys.Survey:
    """The demo survey definition, loaded by the engine."""
    data = json.loads((ROOT / "engage" / "demo" / "residents-2026.json").read_text("utf-8"))
    return surveys.load_survey_or_raise(data)


def demo_answers(seed: int) -> dict[str, Any]:
    """A complete, valid set of answers to the demo survey."""
    answers = generate_response(demo_survey(), random.Random(seed))["answers"]
    assert isinstance(answers, dict)
    return answers


def page_id_of(url: str) -> str | None:
    """The survey page id in a runner URL, or None."""
    return url.split("/q/")[1].split("?")[0] if "/q/" in url else None


def _is_focused(page: Any, locator: Any) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))


def tab_to(page: Any, locator: Any, limit: int = 250) -> None:
    """Press Tab until the control has focus (bounded)."""
    for _ in range(limit):
        if _is_focused(page, locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {locator} with Tab")


def _radio_by_keyboard(page: Any, name: str, value: str) -> None:
    radios = page.locator(f'input[type=radio][name="{name}"]')
    values = [radios.nth(i).get_attribute("value") for i in range(radios.count())]
    target = values.index(value)
    # Tab lands on the group's checked radio, else its first one.
    for _ in range(250):
        focused = page.evaluate("document.activeElement && document.activeElement.name")
        if focused == name:
            break
        page.keyboard.press("Tab")
    current = page.evaluate("document.activeElement.value")
    index = values.index(current)
    if not radios.nth(index).is_checked() and index == target:
        page.keyboard.press("Space")
    while index != target:
        page.keyboard.press("ArrowDown")
        index = (index + 1) % len(values)
    assert radios.nth(target).is_checked()


def fill_page(page: Any, form: dict[str, list[str]], keyboard: bool) -> None:
    """Fill the current page's fields with the given form data."""
    for name, values in form.items():
        controls = page.locator(f'[name="{name}"]')
        if controls.count() == 0:
            continue
        first = controls.first
        kind = first.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
        if kind == "input:radio":
            if keyboard:
                _radio_by_keyboard(page, name, values[0])
            else:
                page.locator(f'input[name="{name}"][value="{values[0]}"]').check()
        elif kind == "input:checkbox":
            for value in values:
                box = page.locator(f'input[name="{name}"][value="{value}"]')
                if keyboard:
                    tab_to(page, box)
                    if not box.is_checked():
                        page.keyboard.press("Space")
                else:
                    box.check()
        elif kind.startswith("select"):
            if keyboard:
                tab_to(page, first)
                first.select_option(values[0])  # a focused select: choose as a keyboard user would
            else:
                first.select_option(values[0])
        else:
            if keyboard:
                tab_to(page, first)
                page.keyboard.press("Control+A")
                page.keyboard.type(values[0])
            else:
                first.fill(values[0])


def press(page: Any, button: Any, keyboard: bool) -> None:
    """Press a button (Tab to it and Enter when keyboard only) and wait for the next page."""
    if keyboard:
        tab_to(page, button)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        with page.expect_navigation():
            button.click()


def continue_page(page: Any, keyboard: bool) -> None:
    """Press the page's Continue button."""
    button = page.get_by_role("button", name="Continue", exact=True)
    if button.count() == 0:
        button = page.locator("form button.govuk-button").first
    press(page, button, keyboard)
