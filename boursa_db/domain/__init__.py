"""The domain: attrs classes validated at construction; knows nothing of the database."""
