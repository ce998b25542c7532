"""A build from scratch at 2,040 cases split them into 21 batches for two workers: the 21st
ran alone for 3 s at the end while the other worker waited. The batches now come in whole
rounds of equal size."""

from __future__ import annotations

import pytest

from ekipgraph.compiled import CASES_PER_BATCH, case_batches


@pytest.mark.parametrize("cases", [2040, 2000, 131, 64, 7])
@pytest.mark.parametrize("workers", [2, 3, 4])
def test_case_batches_come_in_whole_rounds_of_equal_size(cases: int, workers: int) -> None:
    names = [f"case-{index:05d}.yaml" for index in range(cases)]
    batches = case_batches(names, workers)
    assert sorted(name for batch in batches for name in batch) == names
    sizes = [len(batch) for batch in batches]
    assert max(sizes) - min(sizes) <= 1
    if cases >= 2 * workers:
        assert len(batches) % workers == 0 and len(batches) >= 2 * workers
    assert max(sizes) <= max(CASES_PER_BATCH, -(-cases // (2 * workers)))
