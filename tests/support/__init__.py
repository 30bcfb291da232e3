"""Test helpers, in one place: the clock (clock.py), the bot as a subprocess with its environment, its
sources file and its command line (process.py), and the loopback servers it talks to (loopback/: a
feed and page server, a fake Telegram Bot API), and the floor checks of the never-tuned corpus gates
(eval_gate.py). Tests import these; none defines its own copy."""
