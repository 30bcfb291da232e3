"""What the bot keeps on disk: all SQL (database) and the heartbeat file (heartbeat).
"""
