"""Clock times of the ÅMV within a round (R5) or on the doctor's ÅMV days (R6)."""

from __future__ import annotations

from datetime import time

import pytest

from lakarrond.services.clock import (
    first_review_time,
    review_times,
    reviews_at_rounds,
    sequence_times,
)
from lakarrond.services.errors import BadInput


def test_the_kth_review_starts_k_times_minutes_after_the_start():
    assert review_times(time(9, 0), 30, 3) == [
        (time(9, 0), time(9, 30)), (time(9, 30), time(10, 0)), (time(10, 0), time(10, 30))]
    assert review_times(time(13, 45), 25, 2) == [
        (time(13, 45), time(14, 10)), (time(14, 10), time(14, 35))]
    assert review_times(time(9, 0), 30, 0) == []


def test_units_of_one_review_day_follow_each_other():
    assert sequence_times(time(13, 0), [30, 45, 20]) == [
        (time(13, 0), time(13, 30)), (time(13, 30), time(14, 15)), (time(14, 15), time(14, 35))]


def test_past_midnight_and_bad_arguments():
    assert review_times(time(23, 0), 30, 2)[-1] == (time(23, 30), time(0, 0))  # ends at 24:00
    with pytest.raises(BadInput, match="Minuter per ÅMV: 3 ÅMV från 23:00 går över midnatt"):
        review_times(time(23, 0), 30, 3)
    with pytest.raises(ValueError):
        review_times(time(9, 0), 0, 2)
    with pytest.raises(ValueError):
        review_times(time(9, 0), 30, -1)


def test_first_review_time_r5_round_start_r6_day_start():
    assert reviews_at_rounds("Fysisk", None) is True
    assert reviews_at_rounds("Fysisk", False) is False
    assert reviews_at_rounds("Telefon", True) is False
    assert first_review_time(time(9, 0), "Fysisk", None) == time(9, 0)
    assert first_review_time(time(9, 0), "Telefon", None) == time(13, 0)
    assert first_review_time(time(14, 0), "Fysisk", False, time(12, 30)) == time(12, 30)
