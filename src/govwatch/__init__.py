"""govwatch: monitoring and scoring of government portal websites."""

__version__ = "0.1.0"
