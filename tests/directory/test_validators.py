import pytest
from django.core.exceptions import ValidationError

from apps.directory.validators import (
    credit_code_check_character,
    validate_credit_code,
    validate_division_code,
    validate_hotline_numbers,
    validate_mobile,
    validate_phone,
)


@pytest.mark.parametrize("code", ["320600", "653024", "110000", "510400"])
def test_valid_division_codes(code):
    validate_division_code(code)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("32060", "必须是6位数字"),
        ("3206000", "必须是6位数字"),
        ("32o600", "必须是6位数字"),
        ("990600", "以 99 开头，不是有效的省级代码"),
    ],
)
def test_invalid_division_codes_say_why(code, reason):
    with pytest.raises(ValidationError) as exc:
        validate_division_code(code)
    assert reason in exc.value.messages[0]


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91330100799655058B"])
def test_credit_code_checksum_accepts_real_codes(code):
    validate_credit_code(code)


def test_credit_code_with_wrong_check_character_names_the_expected_one():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y44")
    assert exc.value.code == "credit_code_checksum"
    assert exc.value.params["expected"] == "3"


def test_credit_code_with_forbidden_letter_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100I43")
    assert exc.value.code == "credit_code_character"


def test_check_character_maps_31_to_zero():
    # A body whose weighted sum is divisible by 31 gets the check character 0.
    assert credit_code_check_character("00000000000000000") == "0"


@pytest.mark.parametrize("mobile", ["13812345678", "19912345678"])
def test_valid_mobiles(mobile):
    validate_mobile(mobile)


@pytest.mark.parametrize("mobile", ["12812345678", "1381234567", "138123456789", "+8613812345678"])
def test_malformed_mobiles_are_refused(mobile):
    with pytest.raises(ValidationError) as exc:
        validate_mobile(mobile)
    assert exc.value.code == "mobile_format"


@pytest.mark.parametrize(
    "phone",
    [
        "0513-85098110",
        "051385098110",
        "3324600",
        "12345",
        "95598",
        "13812345678",
        "0513-85098110-801",
    ],
)
def test_valid_phones(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["call me", "0513_85098110", "12"])
def test_invalid_phones(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_hotline_numbers_are_split_and_checked():
    validate_hotline_numbers("12369、95598")
    with pytest.raises(ValidationError) as exc:
        validate_hotline_numbers("12369、9559x")
    assert exc.value.params["number"] == "9559x"
