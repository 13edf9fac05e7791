"""The watcher: command line, configuration, fetching, feeds, scheduling and alerts."""

__version__ = "0.1.0"
