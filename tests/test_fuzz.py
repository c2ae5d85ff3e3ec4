"""Property: no damage to an archive makes a reading command fail with an internal error.

A few seconds in the suite, with a fixed seed (CI never flakes); `python tests/fuzzing.py
--examples 5000` searches longer and at random (tests/fuzzing.py says what it damages)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import SAMPLES, as_of_dates, damaged, exercise, sample_files

ARCHIVES = {name: sample_files(name) for name in SAMPLES}


@settings(max_examples=12, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(SAMPLES).flatmap(lambda name: damaged(ARCHIVES[name])), as_of_dates,
       st.one_of(st.none(), st.integers(0, 36500)))
def test_damaged_archives_never_cause_an_internal_error(damage, as_of, within):
    files, done = damage
    exercise(files, as_of, within)  # AssertionError naming the command on an internal error


def test_the_search_finds_what_it_is_for(monkeypatch):
    """The harness itself: a crash inside a rule is reported as an internal error, not swallowed."""
    from datetime import date

    import pytest

    from safetrain.rules import certstatus

    def broken(*args, **kwargs):
        raise ValueError("year 10000 is out of range")

    monkeypatch.setattr(certstatus, "certificate_state", broken)
    with pytest.raises(AssertionError, match="internal error ValueError: year 10000"):
        exercise(dict(ARCHIVES["hongshan-coal"]), date(2024, 6, 30))
