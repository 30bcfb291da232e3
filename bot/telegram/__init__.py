"""The Telegram side: the PTB Application and its ticks (application), thin command handlers (handlers),
the text of each answer (replies) and who may subscribe (access).
"""
