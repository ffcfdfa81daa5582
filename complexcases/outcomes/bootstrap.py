"""The 95% interval for a mean difference: a seeded percentile bootstrap over heard cases.

Resampling unit: the heard case, with its comparison people (their average is one number per
case), so cases matched to the same people are not treated as independent twice over. The
same resamples serve every measure of one group at one horizon. The random source is seeded
by a text naming the group and the horizon, so the same data give the same interval every
time (Python's `random.Random(text)` is the same on every machine and version since 3.2).

Written out so an analyst can repeat it by hand (docs/outcomes.md):

    rng = random.Random(seed)
    for each of `replicates` resamples:
        draw = rng.choices(range(n), k=n)        # n cases, with replacement
        for each measure: the mean of the drawn cases' differences where it applies
    interval = the 2.5th and 97.5th percentiles of those means (linear interpolation)
"""

import math
import random
from collections.abc import Sequence

REPLICATES = 1000
LEVEL = 0.95


def percentile(ordered: Sequence[float], q: float) -> float:
    """The q-th quantile (0 to 1) of sorted values, interpolating linearly (Excel's PERCENTILE.INC)."""
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _index_of(item: list, items: list[list]) -> int:
    """Where `item` is in `items`, adding it at the end if it is not there yet."""
    if item not in items:
        items.append(item)
    return items.index(item)


def bootstrap_intervals(
    differences: Sequence[Sequence[float | None]],
    *,
    seed: str,
    replicates: int = REPLICATES,
    level: float = LEVEL,
) -> list[tuple[float, float] | None]:
    """For each measure (a column of `differences`, one row per case, None where it does not
    apply), the percentile interval of the mean difference; None for a measure with no case."""
    n = len(differences)
    measures = len(differences[0]) if n else 0
    if n == 0:
        return [None] * measures
    columns = [tuple(row[m] for row in differences) for m in range(measures)]
    intervals: list[tuple[float, float] | None] = [None] * measures
    # The same work once: measures with the same column (criterion 1 and "ROSH high") share
    # their resampled means; a column with one value everywhere has no width to resample.
    distinct = {}
    for m, column in enumerate(columns):
        present = {value for value in column if value is not None}
        if len(present) == 1:
            value = present.pop()
            intervals[m] = (value, value)
        elif present:
            distinct.setdefault(column, []).append(m)
    if not distinct:
        return intervals
    # Per distinct column: its values (0 where it does not apply) and which cases it applies
    # to, as an index into `masks` (None: every case, so no count is needed).
    work = []
    masks: list[list[int]] = []
    for column in distinct:
        mask = None
        if None in column:
            mask = _index_of([int(v is not None) for v in column], masks)
        work.append(([0.0 if v is None else v for v in column], mask, []))
    rng = random.Random(seed)
    population = range(n)
    for _ in range(replicates):
        draw = rng.choices(population, k=n)
        counts = [sum(map(mask.__getitem__, draw)) for mask in masks]
        for values, mask, means in work:
            counted = n if mask is None else counts[mask]
            if counted:
                means.append(sum(map(values.__getitem__, draw)) / counted)
    tail = (1 - level) / 2
    for (_values, _mask, means), measures_of in zip(work, distinct.values(), strict=True):
        ordered = sorted(means)
        interval = (percentile(ordered, tail), percentile(ordered, 1 - tail))
        for m in measures_of:
            intervals[m] = interval
    return intervals
