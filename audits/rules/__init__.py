"""Rule modules, one per area (the id's prefix): importing them registers their rules."""
from audits.rules import site, columns, documents, interpretations, annual_report, veto  # noqa: F401
