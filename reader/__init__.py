"""reader: read articles with their people, places and organizations highlighted."""

__version__ = "0.1.0"
