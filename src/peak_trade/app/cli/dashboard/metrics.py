"""`/metrics`: Prometheus text exposition of every run the dashboard serves.

A custom Collector turns the plain metric families of `app.monitoring.metrics` into
prometheus_client families on each scrape; it lives in its own CollectorRegistry, never in the
process-global one. A session's own exporter can reuse `FamiliesCollector` with a callable
that returns `run_families([(run_id, summary_mapping)])`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from peak_trade.app.monitoring.metrics import Family, run_families
from peak_trade.app.monitoring.monitor import RunMonitor

CONTENT_TYPE = CONTENT_TYPE_LATEST


class FamiliesCollector(Collector):
    """Collects whatever `families()` returns at scrape time."""

    def __init__(self, families: Callable[[], Sequence[Family]]) -> None:
        self._families = families

    def collect(self) -> Iterator[Metric]:
        for family in self._families():
            labels = sorted({name for sample, _ in family.samples for name in sample})
            metric: GaugeMetricFamily | CounterMetricFamily
            if family.kind == "counter":
                metric = CounterMetricFamily(family.name, family.help, labels=labels)
            else:
                metric = GaugeMetricFamily(family.name, family.help, labels=labels)
            for sample, value in family.samples:
                metric.add_metric([sample.get(name, "") for name in labels], value)
            yield metric


def registry_for(families: Callable[[], Sequence[Family]]) -> CollectorRegistry:
    """A fresh registry holding only a FamiliesCollector over `families`."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(FamiliesCollector(families))
    return registry


def exposition(monitor: RunMonitor) -> bytes:
    """The text exposition of every run under the monitor's archive."""
    return generate_latest(registry_for(lambda: run_families(monitor.metrics_inputs())))
