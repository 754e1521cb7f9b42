"""The index: which events hold which words and field values, their order, and the counts the panes
show (aggregates, timeline).
"""
