"""The kernel of the social rental agency platform: settings, database, identity, register."""
