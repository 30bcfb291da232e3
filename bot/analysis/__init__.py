"""Claim analysis, pure: the rule engine over the YAML tables in bot/rules/ (rulebook), claim extraction
(claims), fiscal periods (periods) and the verdict of a claim against the ledger (compare).
"""
