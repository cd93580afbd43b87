"""Runs every contract test against every venue harness, validate-only and executing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import count

import pytest

from peak_trade.domain.ids import client_order_id
from tests.contract.harness import HarnessFactory, VenueHarness
from tests.contract.harnesses import HARNESS_FACTORIES

_PARAMS = [
    pytest.param(
        (factory, validate_only), id=f"{name}-{'validate' if validate_only else 'execute'}"
    )
    for name, factory in HARNESS_FACTORIES
    for validate_only in (True, False)
]


@pytest.fixture(params=_PARAMS)
def harness(request: pytest.FixtureRequest) -> Iterator[VenueHarness]:
    factory: HarnessFactory
    factory, validate_only = request.param
    with factory(validate_only) as venue:
        yield venue


@pytest.fixture
def next_client_id(request: pytest.FixtureRequest) -> Callable[[], str]:
    """Fresh deterministic client order ids (UUIDs, as Kraken's cl_ord_id accepts)."""
    numbers = count(1)
    return lambda: client_order_id(request.node.nodeid, next(numbers))
