"""Getting articles in: the sources file (sources), when to poll (schedule, pure), HTTP (fetch, the only
network I/O of this stage), feed parsing (feeds) and article text (extract), OPML import/export (opml).
"""
