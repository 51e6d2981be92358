"""Asynchronous reports (report/task/create/, report/task/check/, the CSV download): the same
report as report/integrated/get/, every page of it, kept as a CSV file under a task id. Reports
here take milliseconds, so a task runs as it is created and is checked as SUCCESS at once; a
query the report refuses is refused at creation (40002), as TikTok validates it then."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id
from sparkads.reporting.csv_export import csv_text
from sparkads.reporting.models import ReportTask
from sparkads.reporting.report import ReportQuery, run

PAGE = 1000
MAX_ROWS = 200_000


@dataclass(frozen=True)
class TaskStatus:
    task_id: str
    status: str
    message: str
    rows: int
    file_name: str


def _rows(session: Session, query: ReportQuery) -> tuple[list[str], list[dict[str, str]]]:
    """Every row of the report, flattened: dimensions then metrics, as the CSV's columns."""
    fields: list[str] = list(query.dimensions)
    rows: list[dict[str, str]] = []
    page = 1
    while True:
        data = run(session, replace(query, page=page, page_size=PAGE, totals=False))
        for item in data["list"]:
            for name in item["metrics"]:
                if name not in fields:
                    fields.append(name)
            rows.append({**item["dimensions"], **item["metrics"]})
        if page >= data["page_info"]["total_page"] or len(rows) >= MAX_ROWS:
            return fields, rows[:MAX_ROWS]
        page += 1


def create(uow: UnitOfWorkFactory, clock: Clock, query: ReportQuery, *, file_name: str) -> str:
    """Run the report and keep its CSV; the task id."""
    with uow() as unit:
        fields, rows = _rows(unit.session, query)
        task = ReportTask(
            task_id=new_id(),
            advertiser_id=query.advertiser.advertiser_id,
            file_name=file_name or f"report-{query.advertiser.advertiser_id}",
            status="SUCCESS",
            message="",
            rows=len(rows),
            content=csv_text(fields, rows),
            created_at=clock.now(),
            finished_at=clock.now(),
        )
        unit.session.add(task)
        unit.commit()
        return task.task_id


def _task(session: Session, advertiser_id: str, task_id: str) -> ReportTask:
    task = session.get(ReportTask, str(task_id))
    if task is None or task.advertiser_id != advertiser_id:
        raise SparkadsError(
            "invalid_parameter", field="task_id", detail=LocalText(N_("no such report task"))
        )
    return task


def check(uow: UnitOfWorkFactory, *, advertiser_id: str, task_id: str) -> TaskStatus:
    with uow() as unit:
        task = _task(unit.session, advertiser_id, task_id)
        return TaskStatus(task.task_id, task.status, task.message, task.rows, task.file_name)


def content(uow: UnitOfWorkFactory, *, advertiser_id: str, task_id: str) -> tuple[str, str]:
    """(file name, CSV text) of a finished task."""
    with uow() as unit:
        task = _task(unit.session, advertiser_id, task_id)
        return task.file_name, task.content
