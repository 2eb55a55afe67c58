"""`vardflode bench` part (5) times pages over HTTP through the real app: a resident signs in and
sends a step, the clinician signs in (password + TOTP) and opens the task list, a resident opens a
program page. At a tiny size here: the figures are there, positive, and the task-list views wrote
their PDL rows."""
from __future__ import annotations

from sqlalchemy import func, select

from access.records import PdlEntry
from cli import bench_pages
from engine.db import db

TINY = bench_pages.Sizes(caseload=15, stored=(20, 30, 40), completions=3, views=3, warmup=1)


def test_the_page_figures_are_measured_over_http_with_pdl_rows(ctx):
    report = bench_pages.run(ctx, quick=True, sizes=TINY)
    assert [row["stored"] for row in report["task_list"]] == [20, 30, 40]
    figures = [report[k] for k in ("completion_ms", "completion_get_ms", "completion_post_ms", "program_page_ms",
                                   "task_list_first_again_ms", "task_list_ratio_mid", "task_list_ratio_large",
                                   "list_per_completion")]
    assert all(value > 0 for value in figures + [row["ms"] for row in report["task_list"]])
    assert report["completions"] == 3 and report["clinician_tasks"] > 0
    # Every view of the list logged the residents it showed (PDL 4 kap. 3 §): at least a row a view.
    assert report["pdl_rows_per_task_list"] >= 1
    listed = db.session.scalar(select(func.count()).select_from(PdlEntry).where(
        PdlEntry.action == "list", PdlEntry.resource_type == "human_task", PdlEntry.actor_type == "staff"))
    assert listed >= 4 * (TINY.views + TINY.warmup)  # the three sizes, and the first again
