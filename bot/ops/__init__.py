"""Running it: health verdict (health), Prometheus /metrics and /healthz (metrics), admin notices and the
upkeep job (upkeep), `sources check` (source_check).
"""
