"""``Idempotency-Key`` on POST: a client retrying a create after a timeout gets the first response again."""

import hashlib
import json
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from apitokens.models import APIToken
from timetracker.models import IdempotencyKey

from .exceptions import APIError

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def _fingerprint(request) -> str:
    data = request.data
    if hasattr(data, "lists"):
        data = dict(data.lists())
    payload = json.dumps([request.method, request.path, data], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


class IdempotentCreateMixin:
    """Replays the stored response when the same token POSTs the same key within 24 hours.

    The key and the created resource are written in one transaction, so two concurrent requests with
    one key cannot both create: the second fails on the unique key and changes nothing.
    """

    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        token = request.auth
        if not key or not isinstance(token, APIToken):
            return super().create(request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise APIError(
                f"Idempotency-Key must be at most {MAX_KEY_LENGTH} printable characters.", status_code=400
            )

        fingerprint = _fingerprint(request)
        with transaction.atomic():
            stored = IdempotencyKey.objects.filter(token=token, key=key).first()
            if stored and stored.created_at > timezone.now() - KEY_LIFETIME:
                if stored.request_fingerprint != fingerprint:
                    raise APIError(
                        "This Idempotency-Key was used for a different request.", status_code=422,
                        error="Idempotency key reused", error_code="idempotency_key_reused",
                    )
                return Response(stored.response_body, status=stored.status_code, headers={"Idempotent-Replayed": "true"})
            # Expired keys may be used afresh; clearing them as we go keeps the table small.
            IdempotencyKey.objects.filter(created_at__lte=timezone.now() - KEY_LIFETIME).delete()
            response = super().create(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                IdempotencyKey.objects.create(
                    token=token, key=key, request_fingerprint=fingerprint,
                    status_code=response.status_code,
                    response_body=json.loads(JSONRenderer().render(response.data)),  # exactly what was sent
                )
            return response
