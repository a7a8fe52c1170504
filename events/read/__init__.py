"""The read side's declarations and the adapters it relies on: fields, the event query, library glue."""
