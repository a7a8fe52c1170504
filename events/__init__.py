"""The events app: the record of dated events, their actors and sources, and the services on it."""
