"""People and relations: mentions as written (`people`), the resolution of mentions into persons
(`person_resolution`), and the ranked related events of one event (`cross_references`).
"""
