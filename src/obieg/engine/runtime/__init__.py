"""Running cases: services that change them (one transaction each) and their machinery."""
