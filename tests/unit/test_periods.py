from __future__ import annotations

import pytest

from pfm.periods import add_quarters, quarter_index, quarter_label, quarter_range


def test_quarters_order_across_years() -> None:
    assert quarter_index("2027-Q4") + 1 == quarter_index("2028-Q1")


def test_label_is_the_inverse_of_index() -> None:
    for label in ("2027-Q1", "2027-Q4", "2030-Q2"):
        assert quarter_label(quarter_index(label)) == label


def test_range_includes_both_ends() -> None:
    assert quarter_range("2027-Q3", "2028-Q2") == ["2027-Q3", "2027-Q4", "2028-Q1", "2028-Q2"]


def test_adding_quarters_rolls_the_year() -> None:
    assert add_quarters("2027-Q3", 3) == "2028-Q2"


def test_a_malformed_quarter_is_rejected() -> None:
    with pytest.raises(ValueError, match="2027-Q1"):
        quarter_index("2027Q1")
