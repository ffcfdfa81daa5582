"""Joint case work pages, one module per concern; jcw/urls.py names each view by its module."""
