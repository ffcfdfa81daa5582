"""Settings: `base` holds everything; `local`, `test` and `production` adjust it.

All configuration comes from environment variables (see `.env.example`).
"""
