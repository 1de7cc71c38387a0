"""Generator step: compute the demo year's indicators, so dashboards open with figures."""

import time

from gongwei.care import periods

from . import engine


def run(ctx) -> None:
    started = time.perf_counter()
    year = ctx.today.year
    todo = [periods.month(year, m) for m in range(1, ctx.today.month + 1)]
    todo += [periods.quarter(year, q) for q in range(1, (ctx.today.month - 1) // 3 + 2)]
    todo += [periods.year_to_date(ctx.today)]
    for period in todo:
        engine.compute(period)
    ctx.say(f"指标：已计算 {year} 年 {len(todo)} 个统计期（{time.perf_counter() - started:.1f} s）")
