"""The shared register: agency, landlords, buildings, units, households and their members."""
