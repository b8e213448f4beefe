"""Repositories: collection-like access to each aggregate, records mapped to domain objects."""
