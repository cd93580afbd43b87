"""The results model every benchmark returns and its rendering to docs/benchmarks.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """A markdown table: optional caption, headers, rows of cells."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""


@dataclass(frozen=True)
class Target:
    """One target from the issue: what was asked, what was measured, met or not (None = n/a)."""

    name: str
    observed: str
    met: bool | None


@dataclass
class Section:
    """One benchmark's results as they appear in the report."""

    title: str
    intro: str = ""
    commands: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def verdict(met: bool | None) -> str:
    return {True: "met", False: "NOT met", None: "not measurable"}[met]


def render_table(table: Table) -> list[str]:
    lines = []
    if table.caption:
        lines += [table.caption, ""]
    lines.append("| " + " | ".join(table.headers) + " |")
    lines.append("|" + "|".join("---" for _ in table.headers) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |")
    lines.append("")
    return lines


def render_section(number: int, section: Section) -> list[str]:
    lines = [f"## {number}. {section.title}", ""]
    if section.intro:
        lines += [section.intro, ""]
    if section.commands:
        lines += ["Commands measured:", "", "```"]
        lines += section.commands
        lines += ["```", ""]
    for table in section.tables:
        lines += render_table(table)
    if section.targets:
        lines += render_table(
            Table(
                headers=("target (issue 6)", "measured", "verdict"),
                rows=[(t.name, t.observed, verdict(t.met)) for t in section.targets],
                caption="Targets:",
            )
        )
    if section.notes:
        lines += ["Notes:", ""]
        lines += [f"- {note}" for note in section.notes]
        lines.append("")
    return lines


def render_report(
    header: Sequence[str], sections: Sequence[Section], footer: Sequence[str] = ()
) -> str:
    """The whole document: header lines, a target summary, then one part per section."""
    lines = list(header)
    summary = [
        (f"{n}. {s.title}", t.name, t.observed, verdict(t.met))
        for n, s in enumerate(sections, start=1)
        for t in s.targets
    ]
    if summary:
        lines += render_table(
            Table(
                headers=("benchmark", "target", "measured", "verdict"),
                rows=summary,
                caption="## Summary of targets",
            )
        )
    for number, section in enumerate(sections, start=1):
        lines += render_section(number, section)
    lines += list(footer)
    return "\n".join(lines).rstrip() + "\n"
