"""The curation desk: the Django admin for the record, with history and revert on every model.

Every ModelAdmin is a :class:`~events.admin.history.HistoryAdmin` (django-simple-history): a history
page per object with the user, time and field-by-field changes of each version, a revert view, and the
version check that refuses a lost update. Dates are typed as people write them and stored as EDTF
(:mod:`events.admin.dates`); search matches Chinese in either script (:mod:`events.admin.search`);
writes go through :mod:`events.services`. Importing this package registers every admin.
"""

from django.contrib import admin

from events.admin import actors, events, sources, vocabulary

admin.site.site_header = "Timeline curation"
admin.site.site_title = "Timeline curation"
admin.site.index_title = "The record"

__all__ = ["actors", "events", "sources", "vocabulary"]
