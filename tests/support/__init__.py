"""Code the tests share: generators of synthetic tables and corpora (not tests themselves)."""
