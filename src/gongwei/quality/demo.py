"""Generator step: run the data-quality checks once, so the findings list is not empty."""

from .run import run as run_checks


def run(ctx) -> None:
    result = run_checks("")
    ctx.say(f"数据质量：发现 {result.opened} 条问题")
