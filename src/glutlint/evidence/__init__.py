"""Match each claim's values and named agents to passages of its cited sources.

The pipeline's evidence stage, in modules named for what they hold:

- `index`: each cited source indexed once (sentences, quantities, frames, mentions, passages);
- `binding`: which words, names and events each number is about;
- `values`: one claim value against its sources (supported, contradicted, misplaced, missing);
- `records`: what rules read (`Verdict`, `ValueCheck`, `AgentCheck`, `Status`);
- `verdicts`: `check_claim` and `verdict_of`, which make them.

Adding an evidence rule means reading these records in a rule module: nothing here changes.
"""

from .binding import Frame, Tag, Vocabulary, bind, comparable, contexts, tags_in, vocabulary
from .index import Passage, SourceIndex, SourceQuantity
from .records import AgentCheck, Status, ValueCheck, Verdict
from .verdicts import check_claim, verdict_of

__all__ = [
    "AgentCheck",
    "Frame",
    "Passage",
    "SourceIndex",
    "SourceQuantity",
    "Status",
    "Tag",
    "ValueCheck",
    "Verdict",
    "Vocabulary",
    "bind",
    "check_claim",
    "comparable",
    "contexts",
    "tags_in",
    "verdict_of",
    "vocabulary",
]
