"""Checksum validators: table-driven, valid numbers and near misses for every scheme."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qalxan.analysis.pii import validators as v

CASES: list[tuple[Callable[[str], bool], str, bool]] = [
    (v.luhn_ok, "4111 1111 1111 1111", True),
    (v.luhn_ok, "4111 1111 1111 1112", False),
    (v.luhn_ok, "5018 0000 0009", True),  # 12-digit Maestro
    (v.luhn_ok, "4000 0000 0002", False),  # 12 digits outside Maestro ranges
    (v.luhn_ok, "0000 0000 0000 0000", False),  # one repeated digit
    (v.iban_ok, "GB82 WEST 1234 5698 7654 32", True),
    (v.iban_ok, "GB82 WEST 1234 5698 7654 33", False),
    (v.iban_ok, "AZ21NABZ00000000137010001944", True),
    (v.iban_ok, "XX82WEST12345698765432", False),  # unknown country
    (v.iban_ok, "GB82WEST123456987654", False),  # wrong length
    (v.tckn_ok, "10000000146", True),
    (v.tckn_ok, "10000000147", False),
    (v.tckn_ok, "01234567890", False),  # leading zero
    (v.inn_ok, "7707083893", True),  # 10-digit (organisation)
    (v.inn_ok, "500100732259", True),  # 12-digit (person)
    (v.inn_ok, "500100732258", False),
    (v.inn_ok, "12345", False),
    (v.snils_ok, "112-233-445 95", True),
    (v.snils_ok, "112-233-445 96", False),
    (v.snils_ok, "112-233-445", False),
    (v.dni_nie_ok, "12345678Z", True),
    (v.dni_nie_ok, "12345678A", False),
    (v.dni_nie_ok, "X1234567L", True),
    (v.dni_nie_ok, "Y-1234567-X", True),
    (v.dni_nie_ok, "W1234567L", False),
    (v.az_fin_ok, "5ZJ8K2L", True),
    (v.az_fin_ok, "ZSBPTMW", True),
    (v.az_fin_ok, "1234567", False),  # digits only: a number, not a FIN
    (v.az_fin_ok, "5zj8k2l", False),  # FINs are upper case
    (v.nir_ok, "1 85 05 78 006 084 91", True),
    (v.nir_ok, "1 85 05 78 006 084 92", False),
    (v.nir_ok, "2 69 05 2A 123 456 ", False),
    (v.iran_national_code_ok, "0499370899", True),
    (v.iran_national_code_ok, "0499370898", False),
    (v.iran_national_code_ok, "1111111111", False),
    (v.us_ssn_ok, "536-90-4399", True),
    (v.us_ssn_ok, "666-12-3456", False),
    (v.us_ssn_ok, "912-12-3456", False),
    (v.us_ssn_ok, "123-00-4567", False),
]


@pytest.mark.parametrize(("validator", "value", "expected"), CASES)
def test_validator(validator: Callable[[str], bool], value: str, expected: bool) -> None:
    assert validator(value) is expected
