"""`python -m bench [--quick] [--only decisions,caps,http,events,pacing,reports] [--profile]`

Runs the delivery benchmarks of issue 4 and the report benchmark of issue 6, each against a
baseline measured in the same process and run, prints one table and saves everything to
bench/results/latest.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.common import FULL, QUICK, Row, Section, machine, progress

RESULTS = Path(__file__).resolve().parent / "results"
BENCHES = ("decisions", "caps", "http", "events", "pacing", "reports")


def _number(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "µs" and value >= 10_000:
        return f"{value / 1_000:,.1f} ms"
    if unit in ("%", "events"):
        return f"{value:,.{2 if unit == 'events' else 1}f}{' ' + unit if unit else ''}"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def _ratio(row: Row) -> str:
    if row.ratio is None:
        return ""
    text = f"{row.ratio:.2f}" if row.ratio < 10 else f"{row.ratio:,.1f}"
    return f"{text}× ({row.ratio_name})" if row.ratio_name else f"{text}×"


def table(sections: list[Section]) -> Table:
    out = Table(title="sparkads delivery benchmarks", show_lines=False, expand=False)
    for column in ("bench", "case", "metric", "value", "baseline", "ratio", "target", "holds"):
        out.add_column(column, overflow="fold")
    for section in sections:
        for row in section.rows:
            baseline = ""
            if row.baseline is not None:
                baseline = f"{_number(row.baseline, row.unit)} {row.baseline_name}".strip()
            holds = "" if row.holds is None else ("[green]yes[/]" if row.holds else "[red]NO[/]")
            out.add_row(
                row.bench,
                row.case,
                row.metric,
                _number(row.value, row.unit),
                baseline,
                _ratio(row),
                row.target,
                holds,
            )
        out.add_section()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller run (about a minute)")
    parser.add_argument(
        "--only", default=",".join(BENCHES), help=f"comma-separated subset of {', '.join(BENCHES)}"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also write cProfile reports of decide() and event ingest to bench/results/",
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    chosen = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(chosen) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    scale = QUICK if args.quick else FULL
    started, load_before = time.monotonic(), os.getloadavg()
    sections: list[Section] = []

    def attempt(name: str, job: Callable[[], Section]) -> None:
        """Run one benchmark; a failure is reported and the others still run."""
        try:
            sections.append(job())
        except Exception as error:
            progress(f"{name} FAILED: {error!r}")
            failed = Section(name, notes=[f"{name}: FAILED: {error!r}"])
            failed.data["traceback"] = traceback.format_exc()
            sections.append(failed)

    world: Any = None
    with tempfile.TemporaryDirectory(prefix="sparkads-bench-") as tmp:
        workdir = Path(tmp)
        if "decisions" in chosen:
            from bench import decisions

            attempt("decisions", lambda: decisions.run(scale))
        if "caps" in chosen:
            from bench import caps

            attempt("caps", lambda: caps.run(scale))
        if "http" in chosen or "events" in chosen:
            from bench.db_world import build
            from bench.world import load_catalogue
            from sparkads.clock import SystemClock

            cat = load_catalogue()
            progress(f"building a database world of {scale.http_groups:,} ad groups")
            begin = time.monotonic()
            try:
                world, _ = build(
                    f"sqlite:///{workdir / 'world.db'}", scale.http_groups, SystemClock(), cat
                )
            except Exception as error:
                progress(f"world FAILED: {error!r}")
                for name in ("http", "events"):
                    if name in chosen:
                        failed = Section(
                            name, notes=[f"{name}: FAILED building the world: {error!r}"]
                        )
                        failed.data["traceback"] = traceback.format_exc()
                        sections.append(failed)
            else:
                progress(f"  built in {time.monotonic() - begin:.1f} s")
                built = world
                if "http" in chosen:

                    def http() -> Section:
                        from bench import http_load

                        return http_load.run(scale, built, cat, workdir)

                    attempt("http", http)
                if "events" in chosen:
                    from bench import events_http, events_ingest

                    attempt("events", lambda: events_ingest.run(scale, built, cat, workdir))
                    attempt("events_http", lambda: events_http.run(scale, built, cat, workdir))
        if "pacing" in chosen:
            from bench import pacing_day

            attempt("pacing", lambda: pacing_day.run(scale))
        if "reports" in chosen:
            from bench import reports

            attempt("reports", lambda: reports.run(scale, workdir))
            from bench import reports_folder  # reports while events arrive, with the folder

            attempt("reports with the folder", lambda: reports_folder.run(scale, workdir))
        if args.profile:
            from bench import decisions

            RESULTS.mkdir(parents=True, exist_ok=True)
            progress("profiling decide() at 10k ad groups")
            (RESULTS / "profile_decide_10k.txt").write_text(decisions.profile())
            if world is not None:
                from bench import events_ingest

                progress("profiling event ingest in batches of 1,000")
                text = events_ingest.profile(world, cat, workdir)
                (RESULTS / "profile_ingest_1000.txt").write_text(text)
    elapsed = time.monotonic() - started
    load_after = os.getloadavg()
    console = Console(width=200) if not sys.stdout.isatty() else Console()
    console.print(table(sections))
    for section in sections:
        for note in section.notes:
            console.print(f"[yellow]note[/] {note}")
    rows = [r for s in sections for r in s.rows if r.holds is not None]
    held = sum(1 for r in rows if r.holds)
    console.print(
        f"targets held: {held}/{len(rows)}; run took {elapsed:.0f} s"
        f" ({'quick' if scale.quick else 'full'}); load average {load_before[0]:.1f} → "
        f"{load_after[0]:.1f} on {os.cpu_count()} CPUs"
    )
    if max(load_before[0], load_after[0]) > (os.cpu_count() or 1):
        console.print(
            "[yellow]note[/] the machine was busy with other work: absolute figures are noisy, "
            "the same-run ratios much less so"
        )
    report: dict[str, Any] = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": scale.quick,
        "seconds": elapsed,
        "machine": machine(),
        "load_average": {"before": load_before, "after": load_after},
        "scale": scale.__dict__,
        "targets": {"held": held, "checked": len(rows)},
        **{s.name: s.as_json() for s in sections},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str))
    console.print(f"saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
