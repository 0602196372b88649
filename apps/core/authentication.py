"""API authentication that does not let anyone guess tokens at full speed."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled

from .throttling import ScopedPerAccountThrottle


class ThrottledTokenAuthentication(TokenAuthentication):
    """A wrong token counts against its address at the anonymous rate: past it, 429.

    DRF authenticates before it throttles, so without this every wrong token would get
    its 401 however fast they come.
    """

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle = ScopedPerAccountThrottle()
            if not throttle.allow("anonymous", throttle.get_ident(request)):
                raise Throttled(throttle.wait()) from None
            raise
