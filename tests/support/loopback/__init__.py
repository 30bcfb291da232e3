"""Real servers on 127.0.0.1 for offline tests (see feed_server.py)."""
