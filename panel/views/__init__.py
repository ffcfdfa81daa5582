"""Panel pages, one module per concern; panel/urls.py names each view by its module."""
