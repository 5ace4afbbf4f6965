"""Vietnamese keyword rules: a Boolean query language, versioned rule packs, one-pass batch matching.

The pipeline compiles the packs once and matches posts in batches::

    from postwatch.rules import Matcher, load_ruleset

    matcher = Matcher(load_ruleset())          # every enabled rule of include/config/rules/*.yaml
    hits = matcher.match_batch(posts)          # mappings with title, text, platform, post_id, ...

Each Hit carries the post key, rule id, pack id and version, category, severity, owning unit
and the matched spans (field, start, end, text) in the text as given.
"""

from postwatch.rules.compile import RuleInfo, RuleSet, compile_query, compile_rules
from postwatch.rules.match import Hit, Matcher, Span, match_batch, post_key, try_query
from postwatch.rules.packs import (
    Category,
    ExampleFailure,
    Rule,
    RulePack,
    Severity,
    load_pack,
    load_packs,
    load_ruleset,
    pack_rules,
    run_examples,
)
from postwatch.rules.parse import RuleSyntaxError, parse

__all__ = [
    "Category",
    "ExampleFailure",
    "Hit",
    "Matcher",
    "Rule",
    "RuleInfo",
    "RulePack",
    "RuleSet",
    "RuleSyntaxError",
    "Severity",
    "Span",
    "compile_query",
    "compile_rules",
    "load_pack",
    "load_packs",
    "load_ruleset",
    "match_batch",
    "pack_rules",
    "parse",
    "post_key",
    "run_examples",
    "try_query",
]
