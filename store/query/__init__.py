"""The filter language: the field table, parsing text into a plan, and answering a plan against an
index or against a few events alone (alerts). The dashboard, the command line and alerts all go through it.
"""
