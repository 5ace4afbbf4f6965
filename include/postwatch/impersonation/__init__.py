"""Impersonation scan (R3, R6): pages that pass for our units' official pages, and the officer's decisions."""

from postwatch.impersonation.decisions import DecisionError, decide
from postwatch.impersonation.scan import ScanSummary, run_scan

__all__ = ["DecisionError", "ScanSummary", "decide", "run_scan"]
