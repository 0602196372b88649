"""Validators for Chinese administrative and contact identifiers.

Each raises ``ValidationError`` with a message that says what is wrong, so the admin,
the API and the importers all report the same specific reason.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# First two digits of GB/T 2260 codes: the provinces, autonomous regions,
# municipalities and SARs/Taiwan.
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


def validate_division_code(value: str) -> None:
    if not re.fullmatch(r"\d{6}", value or ""):
        raise ValidationError(
            _("Division code “%(value)s” must be exactly 6 digits (GB/T 2260)."),
            code="division_code_format",
            params={"value": value},
        )
    if value[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("Division code “%(value)s” starts with %(prefix)s, which is no province code."),
            code="division_code_province",
            params={"value": value, "prefix": value[:2]},
        )


# GB 32100-2015: 18 characters from this 31-character alphabet (no I, O, S, V, Z).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w
        for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    if len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; “%(value)s” has %(n)d."),
            code="credit_code_length",
            params={"value": value, "n": len(value)},
        )
    bad = [ch for ch in value if ch not in CREDIT_CODE_ALPHABET]
    if bad:
        raise ValidationError(
            _(
                "Unified social credit code “%(value)s” contains “%(ch)s”, "
                "which GB 32100 does not allow."
            ),
            code="credit_code_character",
            params={"value": value, "ch": bad[0]},
        )
    expected = credit_code_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _(
                "Unified social credit code “%(value)s” has check character “%(got)s”; "
                "GB 32100 gives “%(expected)s”."
            ),
            code="credit_code_checksum",
            params={"value": value, "got": value[17], "expected": expected},
        )


MOBILE_RE = re.compile(r"1[3-9]\d{9}")


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.fullmatch(value):
        raise ValidationError(
            _("“%(value)s” is not a mainland mobile number (11 digits starting 13–19)."),
            code="mobile_format",
            params={"value": value},
        )


# Landline with optional area code and extension, a mobile, or a short service number
# such as 12345 or 95598.
PHONE_RE = re.compile(r"(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?|1[3-9]\d{9}|\d{3,6}")


def validate_phone(value: str) -> None:
    if not PHONE_RE.fullmatch(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a phone number: use a landline such as 0513-85098110, "
                "a mobile, or a service number such as 12345."
            ),
            code="phone_format",
            params={"value": value},
        )


HOTLINE_SEPARATORS = re.compile(r"[、,，;；\s]+")


def split_numbers(value: str) -> list[str]:
    return [part for part in HOTLINE_SEPARATORS.split(value or "") if part]


def validate_hotline_numbers(value: str) -> None:
    for number in split_numbers(value):
        if not re.fullmatch(r"\d{3,12}", number):
            raise ValidationError(
                _("Hotline number “%(number)s” must be 3 to 12 digits; separate numbers with 、"),
                code="hotline_format",
                params={"number": number},
            )
