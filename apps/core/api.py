"""What every API answer shares: a body that fits, text that can be stored, JSON errors."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# What an object id in an API address looks like; anything else is answered 404 (a 64-bit
# id has at most 19 digits, and 18 always fit).
ID_PATTERN = r"[0-9]{1,18}"


def _unstorable(value) -> bool:
    """True for text no database stores: NUL, or a lone surrogate such as ``\\ud800``."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(v) for v in value)
    return False


class StoredTextJSONParser(JSONParser):
    """JSON, refusing text that could not be stored or hashed (400, not a server error)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _unstorable(data):
            raise ParseError(
                _(
                    "The body holds a character that is not valid text (NUL, or a lone "
                    "UTF-16 surrogate such as \\ud800)."
                )
            )
        return data


def body_too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {
            "detail": _(
                "The request body is larger than %(bytes)s bytes. Send at most "
                "%(tickets)s tickets per batch, each within the documented field sizes."
            )
            % {"bytes": f"{limit:,}", "tickets": f"{settings.TICKET_BATCH_LIMIT:,}"},
            "limit_bytes": limit,
            "limit_tickets": settings.TICKET_BATCH_LIMIT,
        },
        status=413,
    )


class ApiBodyLimitMiddleware:
    """Answers an API request whose body exceeds ``API_MAX_BODY_BYTES`` with a JSON 413,
    before anything reads it (Django would answer a bare HTML 400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            limit = settings.API_MAX_BODY_BYTES
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return body_too_large(limit)
        return self.get_response(request)


@csrf_exempt  # it changes nothing; CSRF's HTML 403 would hide the 404
def api_not_found(request, *args, **kwargs):
    """Any /api/ address that names nothing: a JSON 404, as the schema documents."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
