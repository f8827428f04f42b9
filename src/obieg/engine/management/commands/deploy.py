"""`obieg deploy [--check] FILE…`: deploy (or only check) process and decision models.

Prints every refusal and warning as `file: element id (name): what`, all
at once. The files go together, as a solution's folder does (call
activities and DMN decisions resolve among them), and all or nothing:
one refused file deploys none. Exits 1 when a file is refused; warnings
alone exit 0.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from obieg.engine import deploy


class Command(BaseCommand):
    help = "Deploy BPMN/DMN files (or with --check only validate them), printing every problem."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help=".bpmn and .dmn files")
        parser.add_argument("--check", action="store_true", help="only validate; deploy nothing")
        parser.add_argument(
            "--solution", default="", help="the solution the definitions belong to (a label)"
        )

    def handle(self, *args, files: list[str], check: bool, solution: str, **options):
        paths = [Path(name) for name in files]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            if path.suffix.lower() not in (".bpmn", ".dmn", ".xml"):
                raise CommandError(f"{path}: not a .bpmn or .dmn file")
        names = [path.name for path in paths]
        if len(set(names)) != len(names):
            raise CommandError("two files have the same name; deploy them separately")
        report = deploy.deploy_report(paths, solution=solution, check_only=check)
        for finding in report.findings.items:
            stream = self.stderr if finding.refused else self.stdout
            stream.write(finding.line())
        refused_files = sorted({item.file for item in report.findings.refusals})
        for name in names:
            if name in refused_files:
                self.stdout.write(f"{name}: refused")
            elif report.refused:
                self.stdout.write(f"{name}: no refusal of its own (not deployed with the others)")
            elif check:
                self.stdout.write(f"{name}: can be deployed")
        for definition in report.definitions:
            self.stdout.write(
                f"{definition.source_name}: process {definition.key} version {definition.version}"
            )
        if report.refused:
            self.stderr.write(
                f"Nothing deployed: {len(refused_files)} file(s) refused, "
                f"{len(report.findings.refusals)} problem(s)."
            )
            raise SystemExit(1)
