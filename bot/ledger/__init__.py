"""The baseline ledger: what was known at Apsara 2025 (baseline.yaml) and the entries confirmed since.
Pure apart from reading the YAML file.
"""
