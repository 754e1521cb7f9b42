"""A draft event from a plain-text press release (`communique draft`): layout, dates, places, source,
agenda and documents.
"""
