"""Type stub of the compiled ``storykey`` module (source: storykey.pyx)."""

KEY_PUNCT: str
MAX_WORDS: int
TABLE_SIZE: int

def table_entry(code_point: int) -> int: ...
def story_text(basis: str) -> str | None: ...
