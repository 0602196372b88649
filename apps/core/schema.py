"""The OpenAPI schema describes every answer the API gives, errors included."""

from drf_spectacular.openapi import AutoSchema

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` says what is wrong; a 400 names each bad field with its errors.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
# Answers any operation may give, whatever it does.
COMMON_ERRORS = {
    "400": "Bad request: a parameter or the body is not valid (each bad field is named).",
    "401": "No credentials, or a wrong token.",
    "403": "The account may not do this.",
    "404": "No such object, page or cursor.",
    "406": "The Accept header asks for a format the API does not give (it gives JSON).",
    "429": "Over the account's rate: wait for the seconds in Retry-After.",
}
BODY_ERRORS = {
    "413": "The body is over API_MAX_BODY_BYTES (see the description above).",
    "415": "The body is not JSON.",
}


def _error(description):
    return {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}


class OfficeAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(COMMON_ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors |= BODY_ERRORS
        for code, description in errors.items():
            responses.setdefault(code, _error(description))
        return responses
