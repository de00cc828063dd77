# Type information for the parts of Flask-Login that Engage uses (Flask-Login ships none).
# Written here from its documentation; mypy reads it through `mypy_path` in setup.cfg.
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask

_Loader = TypeVar("_Loader", bound=Callable[[str], Any])

current_user: Any
"""The signed-in user (an engage.models.User) or Flask-Login's anonymous user."""

class LoginManager:
    login_view: str | None
    login_message: Any
    login_message_category: str
    session_protection: str | None
    anonymous_user: type[Any]
    def __init__(self, app: Flask | None = ..., add_context_processor: bool = ...) -> None: ...
    def init_app(self, app: Flask, add_context_processor: bool = ...) -> None: ...
    def user_loader(self, callback: _Loader) -> _Loader: ...
    def unauthorized_handler(self, callback: Callable[[], Any]) -> Callable[[], Any]: ...
    def request_loader(self, callback: _Loader) -> _Loader: ...
    def unauthorized(self) -> Any: ...

def login_user(user: Any, remember: bool = ..., duration: Any = ..., force: bool = ...,
               fresh: bool = ...) -> bool: ...
def logout_user() -> bool: ...
