"""The domain: tables, tracker operations, parsing and planning. Never imports Slack."""
