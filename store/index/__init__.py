"""The index and its engines: what answers filters, orders results and counts aggregates."""
