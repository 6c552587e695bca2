"""Clinical language understanding for the numbness assistant (plain Python, no Rasa).

``get_nlp()`` builds the spaCy pipeline from ``lexicon/`` once; ``extract(text)`` returns
the mentions in a message (findings, descriptors, symptoms, causes, tests), each with its
assertion: present, absent, family, hypothetical or uncertain.
"""

from clinical_nlp.lexicon import Lexicon, LexiconError, load_lexicon
from clinical_nlp.mention import ASSERTIONS, Mention
from clinical_nlp.pipeline import Analysis, ClinicalNLP, extract, get_nlp

__all__ = [
    "ASSERTIONS",
    "Analysis",
    "ClinicalNLP",
    "Lexicon",
    "LexiconError",
    "Mention",
    "extract",
    "get_nlp",
    "load_lexicon",
]
