"""Helpers of bench/web_load.py: the data set, the load driver and the profiler, each run
in its own process."""
