"""The printed table: one line per metric, then every budget with met / MISSED."""

from __future__ import annotations

from typing import Any


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return f"{value:.4g}"
    return str(value)


def table(results: dict[str, Any]) -> str:
    lines = [f"{'benchmark':<11} {'metric':<34} {'median':>10} {'min':>10} {'max':>10} {'n':>4}"]
    budgets = []
    for name, result in results["benchmarks"].items():
        if "error" in result:
            lines.append(f"{name:<11} ERROR {result['error']}")
            continue
        for metric, summary in result.get("metrics", {}).items():
            if not isinstance(summary, dict) or "median" not in summary:
                continue
            label = f"{metric} ({summary['unit']})"
            lines.append(
                f"{name:<11} {label:<34} {_fmt(summary['median']):>10} "
                f"{_fmt(summary['min']):>10} {_fmt(summary['max']):>10} {summary['n']:>4}"
            )
        for budget in result.get("budgets", []):
            budgets.append((name, budget))
    lines.append("")
    lines.append(f"{'benchmark':<11} {'budget':<44} {'limit':>12} {'value':>10}  verdict")
    for name, budget in budgets:
        verdict = "met" if budget["met"] else "MISSED"
        if budget["met"] is None:
            verdict = "n/a"
        lines.append(
            f"{name:<11} {budget['what']:<44} {budget['limit']:>12} "
            f"{_fmt(budget['value']):>10}  {verdict}"
        )
    return "\n".join(lines)
