"""Type stub of the compiled ``textclean`` module (source: textclean.pyx)."""

TONED_AE: str
TONED_Y: str
TONED_MULTI: str

def strip_action_of(code_point: int) -> int: ...
def clean_text(s: str) -> str | None: ...
