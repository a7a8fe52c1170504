"""Feeds: every event matching the API's filters, rendered for timeline libraries, calendars and spreadsheets."""
