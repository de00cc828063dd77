"""A local fake of GOV.UK Notify's API on 127.0.0.1 for tests: it checks the JWT each request
carries (HS256 signed with the API key's secret, issued by its service id, issued within 30
seconds, as Notify does) and answers with the shapes Notify returns.

- POST /v2/notifications/email and /v2/notifications/sms: 201 with an id; a recipient at
  fail.example (or the mobile 07700900999) gets Notify's 400 BadRequestError.
- GET /v2/notifications/<id>: the notification with a status: "permanent-failure" for
  addresses at bounce.example, otherwise "delivered".
"""

from __future__ import annotations

import json
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt

from tests.local_server import LocalServer

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"engage_test-{SERVICE_ID}-{SECRET}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, kind: str, message: str) -> None:
        self._reply(status, {"status_code": status,
                             "errors": [{"error": kind, "message": message}]})

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            self._error(401, "AuthError", "Unauthorized: authentication token must be provided")
            return False
        try:
            claims = jwt.decode(header[7:], SECRET, algorithms=["HS256"],
                                options={"verify_iat": False, "require": ["iss", "iat"]})
        except jwt.PyJWTError:
            self._error(403, "AuthError", "Invalid token: signature, api token not found")
            return False
        if claims["iss"] != SERVICE_ID or abs(time.time() - int(claims["iat"])) > 30:
            self._error(403, "AuthError", "Invalid token: iss or iat")
            return False
        return True

    def do_POST(self) -> None:
        if not self._authorised():
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        kind = self.path.rsplit("/", 1)[-1]
        if kind not in ("email", "sms"):
            self._error(404, "NotFound", "Not found")
            return
        to = str(body.get("email_address") or body.get("phone_number") or "")
        if not to or not body.get("template_id"):
            self._error(400, "ValidationError", "template_id is a required property")
            return
        if to.endswith("@fail.example") or to.replace(" ", "").endswith("7700900999"):
            self._error(400, "BadRequestError",
                        "Can’t send to this recipient using a team-only API key")
            return
        notification_id = str(uuid.uuid4())
        self.server.sent[notification_id] = {"kind": kind, "to": to, "body": body}
        self._reply(201, {
            "id": notification_id, "reference": body.get("reference"),
            "content": {"subject": "Subject", "body": json.dumps(body.get("personalisation")),
                        "from_email": "engage@notifications.service.gov.uk"},
            "uri": f"/v2/notifications/{notification_id}",
            "template": {"id": body["template_id"], "version": 1,
                         "uri": f"/v2/template/{body['template_id']}"},
            "scheduled_for": None})

    def do_GET(self) -> None:
        if not self._authorised():
            return
        notification_id = self.path.rsplit("/", 1)[-1]
        found = self.server.sent.get(notification_id)
        if found is None:
            self._error(404, "NoResultFound", "No result found")
            return
        status = "permanent-failure" if found["to"].endswith("@bounce.example") else "delivered"
        self._reply(200, {"id": notification_id, "type": found["kind"], "status": status,
                          "email_address": found["to"] if found["kind"] == "email" else None,
                          "phone_number": found["to"] if found["kind"] == "sms" else None,
                          "template": {"id": found["body"]["template_id"], "version": 1},
                          "created_at": "2026-12-07T08:00:00.000000Z"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    sent: dict[str, dict[str, Any]]


class NotifyFake(LocalServer):
    """`with NotifyFake() as notify:` then notify.base_url, notify.sent (id → request)."""

    def __init__(self) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.sent = {}
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.serve(self.server)

    @property
    def sent(self) -> dict[str, dict[str, Any]]:
        """What was sent, by notification id."""
        return self.server.sent

