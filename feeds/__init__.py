"""Feeds: every event matching the API's filters, for timeline libraries, calendars and spreadsheets."""
