"""The Django project of cchc: storage, accounts, permissions, workflow, pages.

The domain core (`cchc/`) never imports this package; this package calls the core.
"""
