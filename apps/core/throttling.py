"""API rate limits: per account (a platform's token is one account) and per scope."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ScopedPerAccountThrottle(SimpleRateThrottle):
    """``view.throttle_scope`` (default ``read``) at the rate of ``API_THROTTLE_RATES``.

    The rates are read from the settings at each request, not at import as DRF's own
    throttles do, so they can be changed by environment and in tests.
    """

    def __init__(self):
        pass  # the rate depends on the view: parsed in allow_request

    def allow_request(self, request, view):
        if request.user and request.user.is_authenticated:
            scope = getattr(view, "throttle_scope", None) or "read"
            return self.allow(scope, f"user-{request.user.pk}")
        return self.allow("anonymous", self.get_ident(request))

    def allow(self, scope: str, ident: str) -> bool:
        """Count one request of ``ident`` in ``scope``; False once over the rate."""
        self.scope = scope
        self.rate = settings.API_THROTTLE_RATES.get(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.cache_format % {"scope": self.scope, "ident": ident}
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()
