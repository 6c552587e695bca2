"""The pretrained word vectors behind the intent classifier (addons/word_vector_featurizer.py)."""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pytest

from addons.word_vector_featurizer import VECTORS_DIR, WordVectorError, WordVectorFeaturizer, load_vectors

# The copies must stay byte for byte what vectors/README.md says they are.
SHA256 = {
    "embeddings.safetensors": "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5",
    "tokenizer.json": "bf467c9e0f536bda271283c6ef85eb1a943e3196b621c8a912d64953b205df83",
}


@pytest.mark.parametrize("name", sorted(SHA256))
def test_shipped_vector_files_are_the_documented_copies(name):
    assert hashlib.sha256((VECTORS_DIR / name).read_bytes()).hexdigest() == SHA256[name]


def _similarity(a: str, b: str) -> float:
    vectors = load_vectors()
    return float(vectors.sentence_vector(a) @ vectors.sentence_vector(b))


@pytest.mark.parametrize(
    "text,near,far",
    [
        # Words the intent data may never use still land near what they mean.
        ("I can't feel my toes", "my feet are numb", "how long does a turkey take to cook"),
        ("cheerio then", "goodbye for now", "my legs are tingling"),
        ("what tablets help nerve pain", "which medicine treats neuropathy", "are you a robot"),
        ("start over please", "restart the chat", "my calf is swollen"),
    ],
)
def test_messages_that_mean_the_same_are_closer_than_unrelated_ones(text, near, far):
    assert _similarity(text, near) > _similarity(text, far)


def test_sentence_vectors_are_unit_length_case_blind_and_zero_for_blank_text():
    vectors = load_vectors()
    assert np.linalg.norm(vectors.sentence_vector("pins and needles")) == pytest.approx(1.0, abs=1e-5)
    assert np.allclose(vectors.sentence_vector("HELP ME"), vectors.sentence_vector("help me"))
    assert not vectors.sentence_vector("").any()


def test_featurizer_adds_one_weighted_row_per_message_and_skips_messages_without_text():
    from rasa.shared.nlu.training_data.message import Message

    featurizer = WordVectorFeaturizer({"alias": None, "weight": 2.0}, "vectors")
    messages = featurizer.process([Message(data={"text": "my feet are numb"}), Message(data={})])
    _, sentence = messages[0].get_sparse_features("text")
    assert sentence is not None and sentence.features.shape == (1, 256)
    assert np.linalg.norm(sentence.features.toarray()) == pytest.approx(2.0, abs=1e-4)
    assert messages[1].get_sparse_features("text") == (None, None)
    with pytest.raises(ValueError, match="weight"):
        WordVectorFeaturizer.validate_config({"weight": 0})


def test_a_missing_or_broken_vector_file_fails_naming_the_file(tmp_path):
    with pytest.raises(WordVectorError, match="embeddings.safetensors: file is missing"):
        load_vectors(tmp_path)
    shutil.copy(VECTORS_DIR / "tokenizer.json", tmp_path / "tokenizer.json")
    (tmp_path / "embeddings.safetensors").write_bytes(b"not a tensor file")
    with pytest.raises(WordVectorError, match="embeddings.safetensors: not a readable safetensors file"):
        load_vectors(tmp_path)
    shutil.copy(VECTORS_DIR / "embeddings.safetensors", tmp_path / "embeddings.safetensors")
    (tmp_path / "tokenizer.json").write_text("{", encoding="utf-8")
    with pytest.raises(WordVectorError, match="tokenizer.json: not a readable tokenizer file"):
        load_vectors(tmp_path)
