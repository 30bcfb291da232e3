"""From assessed claims to alert intents, pure: one story per statement across outlets (stories), which
claims become alerts (judge), and the headline of a change (headline).
"""
