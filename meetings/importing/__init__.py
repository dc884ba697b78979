"""Participant lists from a spreadsheet, in two steps free of writes.

1. ``files``: read a pasted table, a CSV or an XLSX file into ``SourceRow``s (no database).
2. ``rows``: check every row against the meeting's province (reads through selectors) into ``RowCheck``s.

The staging between preview and confirmation, and the write, are ``meetings.services.participant_import``.
"""
