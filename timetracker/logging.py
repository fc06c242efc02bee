"""Structured logs on stdout: one JSON object a line, each carrying the id of the request it belongs to."""

import contextvars
import json
import logging
import time
import uuid

request_id_var = contextvars.ContextVar("request_id", default="-")
REQUEST_ID_HEADER = "X-Request-ID"
request_logger = logging.getLogger("timetracker.request")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


class JSONFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)

    converter = time.gmtime


def _incoming_request_id(request) -> str:
    # Keep a proxy's id when it is sane, so one id follows the request through every hop.
    given = request.headers.get(REQUEST_ID_HEADER, "")
    if given and len(given) <= 100 and given.replace("-", "").isalnum():
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id (``X-Request-ID``, kept from the proxy or made here), puts it on every log
    line written while the request is served and on the response, and logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_request_id(request)
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            request_logger.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"fields": {
                    "method": request.method, "path": request.path, "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                }},
            )
            return response
        finally:
            request_id_var.reset(token)
