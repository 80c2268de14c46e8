"""Reports: read the vault and present it. They never change what is stored."""

# A finding's current review state: the latest of its decisions (a decision is never edited,
# so a reviewer changing their mind adds a newer one). Use with the findings table as `f`.
LATEST_DECISION = (
    "(SELECT d.decision FROM decisions d WHERE d.finding_id = f.id "
    "ORDER BY d.time DESC, d.rowid DESC LIMIT 1)"
)
