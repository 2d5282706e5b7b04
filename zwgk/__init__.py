"""zwgk: 政务公开 compliance crawler and auditor."""
__version__ = "0.1.0"
