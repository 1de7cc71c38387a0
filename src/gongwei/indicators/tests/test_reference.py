"""Our indicators and an independent DuckDB computation agree on the hand-built county."""

import duckdb

from gongwei.care.periods import quarter, year
from gongwei.indicators import reference
from gongwei.programmes.chronic import indicators
from gongwei.programmes.chronic.tests.test_indicators import hand_built  # noqa: F401  (fixture)


def test_duckdb_reference_agrees_with_the_engine(hand_built):
    duck = duckdb.connect()
    reference.load_rows(duck)
    for period in (quarter(2026, 2), year(2026)):
        ours = indicators.by_village("htn", period)
        theirs = reference.chronic(duck, "htn", period)
        for village in set(ours) | set(theirs):
            mine = ours.get(village, indicators.Counts())
            other = theirs.get(village, {"managed": 0, "standard": 0, "controlled": 0, "population_35": 0})
            assert (mine.managed, mine.standard, mine.controlled, mine.population_35) == (
                other["managed"], other["standard"], other["controlled"], other["population_35"]), village
