"""docs/kpis.md defines every KPI exactly as `sparkads.reporting.kpis.KPIS` computes it, every
attribute metric as `sparkads.reporting.attributes.ATTRIBUTES` reads it, and lists the metrics
sparkads refuses to compute (`kpis.NOT_COMPUTED`) with the code's reasons."""

from __future__ import annotations

from pathlib import Path

from sparkads.campaigns.enums import OptimizationGoal
from sparkads.reporting.attributes import ATTRIBUTES, levels_text
from sparkads.reporting.kpis import KPIS, NOT_COMPUTED, ZERO
from sparkads.reporting.report import RESULT_EVENT

DOC = Path(__file__).resolve().parents[2] / "docs" / "kpis.md"


def _kpi_table() -> dict[str, list[str]]:
    """The rows of the table under '## KPIs': metric name -> its cells (formula first)."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index("## KPIs")
    rows: dict[str, list[str]] = {}
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        name = cells[0].strip("`")
        assert name not in rows, f"{name} is defined twice in docs/kpis.md"
        rows[name] = cells[1:]
    return rows


def test_every_kpi_is_in_the_doc_table_with_the_code_formula() -> None:
    table = _kpi_table()
    for kpi in KPIS:
        assert kpi.name in table, f"{kpi.name} is missing from docs/kpis.md"
        assert table[kpi.name][0] == kpi.formula, kpi.name


def test_doc_table_lists_only_kpis_of_the_code_in_the_code_order() -> None:
    assert list(_kpi_table()) == [kpi.name for kpi in KPIS]


def test_doc_unit_column_names_the_kind_of_each_kpi() -> None:
    table = _kpi_table()
    for kpi in KPIS:
        assert table[kpi.name][-1].startswith(f"{kpi.kind}:"), kpi.name


def _table(section: str) -> dict[str, list[str]]:
    """The rows of the first table under a '## ' heading: `name` -> its other cells."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    rows: dict[str, list[str]] = {}
    for line in lines[lines.index(section) + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            assert cells[0].strip("`") not in rows, f"{cells[0]} is listed twice in {section}"
            rows[cells[0].strip("`")] = cells[1:]
    return rows


def test_doc_attribute_table_is_the_code_table() -> None:
    assert _table("## Attribute metrics") == {
        attribute.name: [attribute.value, levels_text(attribute)] for attribute in ATTRIBUTES
    }


def test_doc_lists_every_metric_not_computed_with_its_reason() -> None:
    assert _table("## Metrics not computed") == {
        name: [reason] for name, reason in NOT_COMPUTED.items()
    }


def test_no_metric_is_both_computed_and_listed_as_not_computed() -> None:
    assert not set(NOT_COMPUTED) & ({kpi.name for kpi in KPIS} | {a.name for a in ATTRIBUTES})


def test_doc_lists_every_zero_metric_with_its_kind_and_reason() -> None:
    assert _table("## Metrics that are always zero") == {
        name: [kind, why] for name, (kind, why) in ZERO.items()
    }
    computed = {kpi.name for kpi in KPIS} | {a.name for a in ATTRIBUTES} | set(NOT_COMPUTED)
    assert not set(ZERO) & computed


def test_doc_lists_the_result_event_of_every_optimization_goal() -> None:
    assert _table("## Results") == {goal: [f"`{event}`"] for goal, event in RESULT_EVENT.items()}
    assert set(RESULT_EVENT) == {goal.value for goal in OptimizationGoal}
