"""Rule modules, one per area (the id's prefix): importing them registers their rules."""
from audits.rules import (  # noqa: F401
    site, columns, documents, interpretations, annual_report, disclosure, guide, privacy, link, veto,
)
