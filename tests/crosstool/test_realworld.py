"""Issue #22: real-world files import without losing entries or words, measured against
independent parsers by `realworld.py` (run it directly for the table of files that fall short).

The thresholds are the measured numbers of the day, rounded down, so that a regression fails;
they meet the issue's goals (≥ 99 % of entries, ≥ 99.5 % agreement, no false merge)."""

import os
from pathlib import Path

import pytest

import realworld

ROOT = Path(__file__).resolve().parents[2]
CLI = os.environ.get("TOPICA_CLI", str(ROOT / "target" / "debug" / "topica-cli"))

# Measured 2026-12-05: 99.95 %, 99.92 %, 0 (after the lenient reader, DOI links and no merge of
# two works; the session's first build: 99.00 %, 99.04 %, 5).
MIN_IMPORTED_PCT = 99.9    # entries the reference parser reads that Topica imports
MIN_AGREEMENT_PCT = 99.9   # title, year, DOI, first author, author count, container, volume, pages
MAX_FALSE_MERGES = 0       # distinct entries merged into one paper
MIN_REAL_WORLD_FILES = 170  # tests/fixtures/real-world/ files measured (not refused by the reference)


@pytest.fixture(scope="module")
def measurement():
    return realworld.measure(CLI)


def summary(m):
    t = m["totals"]
    short = [f["path"] for f in m["files"] if f["lost"] or f["false_merges"] or f["differences"]]
    return (f"{t['imported']}/{t['entries']} entries ({t['importedPct']} %), "
            f"{t['fieldsAgreeing']}/{t['fieldsCompared']} fields ({t['agreementPct']} %), "
            f"{t['falseMerges']} false merges; files falling short: {short[:10]}")


def test_entries_imported(measurement):
    t = measurement["totals"]
    assert 100 * t["imported"] / t["entries"] >= MIN_IMPORTED_PCT, summary(measurement)


def test_fields_agree(measurement):
    t = measurement["totals"]
    assert 100 * t["fieldsAgreeing"] / t["fieldsCompared"] >= MIN_AGREEMENT_PCT, summary(measurement)


def test_no_more_false_merges(measurement):
    assert measurement["totals"]["falseMerges"] <= MAX_FALSE_MERGES, summary(measurement)


def test_real_world_set_is_measured(measurement):
    """The set is not silently shrinking: a file the reference parser cannot read any more (or
    that went missing) lowers this count."""
    assert measurement["totals"]["realWorld"]["files"] >= MIN_REAL_WORLD_FILES
