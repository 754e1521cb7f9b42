"""Files to events: which files hold events, reading them (on every core for big folders) and walking the
folder. It knows nothing of the index: it hands `EventStore` what files say (`store.folder_watcher`, above
the store, turns changes on disk into the store's updates).
"""
