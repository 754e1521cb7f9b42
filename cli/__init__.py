"""The `communique` command line: parses arguments and calls `store/` or `tui/`, nothing more."""
