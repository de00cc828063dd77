"""What the tests' local servers (GOV.UK Notify fake, OpenID Connect provider) share:
each serves on 127.0.0.1 from a daemon thread while its `with` block runs."""

from __future__ import annotations

import socketserver
import threading
from types import TracebackType
from typing import Self


class LocalServer:
    """Call `self.serve(server)` in `__init__`; `with` starts it and shuts it down."""

    server: socketserver.BaseServer
    thread: threading.Thread

    def serve(self, server: socketserver.BaseServer) -> None:
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()
