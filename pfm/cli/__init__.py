"""The command line: typer and rich live here and nowhere else in pfm."""

from pfm.cli.app import app, main

__all__ = ["app", "main"]
