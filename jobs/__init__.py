"""Time: the scheduler and reminder delivery (claim → send → record)."""
