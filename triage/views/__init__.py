"""Triage pages, one module per concern; triage/urls.py names each view by its module."""
