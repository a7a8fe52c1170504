"""Services: every write to the record goes through here, from the admin, the API and commands alike."""
