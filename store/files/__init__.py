"""Files to events: which files hold events, reading them (on every core for big folders), walking the
folder and watching it. It knows nothing of the index: it hands `EventStore` what files say.
"""
