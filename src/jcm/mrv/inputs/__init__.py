"""Input readers at the boundary of the MRV engine (files in, plain core values out)."""
