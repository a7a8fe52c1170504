"""The public timeline page at /: a vis-timeline view of the published events, fed by the API and feeds."""
