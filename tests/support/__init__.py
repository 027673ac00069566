"""Test support shared by tests/ and bench/: generators and fakes that never ship in ``src/``."""
