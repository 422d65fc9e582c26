"""The headless subcommands behind ``reader.cli``: no window, plain text or JSON on stdout."""
