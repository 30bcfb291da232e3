"""Getting alerts out: alert text (render) and digest (digest), per-chat choices (preferences), all pure;
the outbox worker that sends them with pacing and retries (outbox).
"""
