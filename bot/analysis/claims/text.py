"""Text and sentences: the normalised text, and its sentences, segments and clauses as byte spans.

Normalising maps full-width forms and odd spaces one character for one character, so an offset
in the normalised text is an offset in the original; a period after a known abbreviation does
not end a sentence; run-on text is cut into bounded pieces.
"""

from __future__ import annotations

import functools
import re as pyre  # only for a fixed character class, never on rule data
from dataclasses import dataclass

import re2  # type: ignore[import-untyped]

from bot.analysis.rulebook import grammar_terms, has_word, iter_spans
from bot.model import Article

# Full-width ASCII, ideographic and no-break spaces, and the minus sign mapped one char to one
# char, so offsets in the normalised text are offsets in the original.
_NORMALISE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_NORMALISE.update({0x3000: 0x20, 0xA0: 0x20, 0x202F: 0x20, 0x2009: 0x20, 0x2007: 0x20, 0x2212: 0x2D})
_SENTENCE_END = re2.compile(
    "[.!?]+[\"')\\]”’]*\\s+|[。！？]+[”」』\"]*|\n+".encode()
)


# Clause breaks: semicolons, colons, commas not inside a number, CJK commas, spaced dashes.
CLAUSE_BREAK = re2.compile("[;:；：、]|,[^0-9]|\\s[-–—]+\\s|—|\\(|\\)".encode())
SEGMENT_MARKS = (b";", "；".encode())  # where a sentence's segments end
SPACE_BYTES = frozenset(b" \t\n\r\x0b\x0c")  # the bytes bytes.isspace() (and bytes.strip()) take
_MAX_SENTENCE = 1200  # bytes; longer runs are cut (real sentences are far shorter)
_MAX_SENTENCES = 2000  # an article has a few dozen
_PERIOD = ord(".")


# Not frozen (nothing changes one), but hashed and compared as a frozen one is: a frozen
# dataclass sets each field through object.__setattr__, which made a sentence cost several times
# as much to build, and every article builds dozens.
@dataclass(slots=True, unsafe_hash=True)
class Sentence:
    start: int  # byte offsets in the normalised UTF-8 text
    end: int
    paragraph: int
    index: int


# Characters `normalise` maps: most texts have none, and a C-speed search is far cheaper than
# a translate that looks every character up.
_NEEDS_NORMALISING = pyre.compile("[\uff01-\uff5e\u3000\u00a0\u202f\u2009\u2007\u2212]")


def normalise(text: str) -> str:
    """Full-width forms and odd spaces to ASCII, one char for one char (offsets are kept).

    A text holds few distinct characters to map (a Chinese one: its commas and brackets), so
    each is replaced over the whole text at C speed; a translate looks up every character of
    the text in the table, which cost a Chinese article more than finding its claims."""
    if text.isascii():
        return text
    found = _NEEDS_NORMALISING.search(text)
    while found is not None:
        char = found.group()
        # Every target is ASCII, which needs no mapping itself: the order of replacing is free.
        text = text.replace(char, chr(_NORMALISE[ord(char)]))
        found = _NEEDS_NORMALISING.search(text, found.start() + 1)
    return text


def split_sentences(data: bytes, abbreviations: frozenset[str]) -> list[Sentence]:
    """Sentences as byte spans; a period after a known abbreviation does not end one.

    The loop runs for every sentence end of every article, so it is written flat: the word
    before a period is cut out here, and a sentence of common length is added without a call
    (_add_sentence cuts the long ones)."""
    out: list[Sentence] = []
    start = 0
    paragraph = 0
    for stop_start, stop_end in iter_spans(_SENTENCE_END, data):
        if len(out) >= _MAX_SENTENCES:
            break  # the rest is cut into bounded pieces below
        if data[stop_start] == _PERIOD:
            # The word before the period: after the last blank, newline or bracket, within a
            # few bytes (abbreviations are short; never look back further).
            lookback = max(0, stop_start - 24)
            word = data[max(lookback, data.rfind(b" ", lookback, stop_start) + 1):stop_start + 1]
            if b"\n" in word or b"(" in word:
                word = word[max(word.rfind(b"\n"), word.rfind(b"(")) + 1:]
            if _is_abbreviation(word, abbreviations) and not _capital_cyrillic(data, stop_end):
                continue
        first, end = start, stop_end
        while first < end and data[first] in SPACE_BYTES:
            first += 1
        while end > first and data[end - 1] in SPACE_BYTES:
            end -= 1
        if end - first > _MAX_SENTENCE:
            _add_sentence(out, data, first, end, paragraph)
        elif end > first:
            out.append(Sentence(first, end, paragraph, len(out)))
        if data.find(b"\n", stop_start, stop_end) >= 0 and not _list_goes_on(data, start, stop_start, stop_end):
            paragraph += 1
        start = stop_end
    _add_sentence(out, data, start, len(data), paragraph)
    return out


_BULLETS = (b"- ", b"* ", "•".encode(), "・".encode(), "– ".encode())


def opens_bullet(data: bytes, pos: int) -> bool:
    """Whether a bullet item ("- ", "• ", "・") starts at `pos`."""
    return data[pos:pos + 4].startswith(_BULLETS)


def _list_goes_on(data: bytes, start: int, stop_start: int, stop_end: int) -> bool:
    """A bulleted list continues the paragraph that introduced it ("through three projects:"
    and then "- a 200 MW wind farm", "- a 50 MWh battery"): its items are that paragraph's, and so
    is the company it spoke of."""
    if not opens_bullet(data, stop_end):
        return False
    line = data[start:stop_start].rstrip()
    return line.endswith((b":", "：".encode())) or data[start:start + 4].lstrip().startswith(_BULLETS)


def _capital_cyrillic(data: bytes, pos: int) -> bool:
    """'…составили $34,9 млрд. Аналитики ожидают…': after an abbreviation, a capital in Cyrillic
    opens a new sentence (Russian writes its nouns in lower case, "млрд. долларов"; German, whose
    nouns are all capitalised, "Mrd. Dollar", is not read so)."""
    return pos + 1 < len(data) and data[pos] == 0xD0 and 0x80 <= data[pos + 1] <= 0xAF


@functools.lru_cache(maxsize=4096)
def _is_abbreviation(raw: bytes, abbreviations: frozenset[str]) -> bool:
    """Whether the word before a period (and the period) is an abbreviation or an initial; the
    same few words come back in every text, so the answer is remembered."""
    word = raw.decode("utf-8", "ignore").casefold()
    if word in abbreviations:
        return True
    bare = word.rstrip(".").replace(".", "")
    # An initial ("J. Smith") or dotted capitals ("U.S.") do not end a sentence.
    return (len(bare) == 1 and bare.isalpha()) or (word.count(".") >= 2 and bare.isalpha() and len(bare) <= 4)


def _add_sentence(out: list[Sentence], data: bytes, start: int, end: int, paragraph: int) -> None:
    while start < end and data[start] in SPACE_BYTES:
        start += 1
    while end > start and data[end - 1] in SPACE_BYTES:
        end -= 1
    # A run-on "sentence" (a table, a list without stops, hostile text) is cut into pieces so
    # that the per-sentence work stays bounded.
    while end - start > _MAX_SENTENCE:
        cut = data.rfind(b" ", start + _MAX_SENTENCE // 2, start + _MAX_SENTENCE)
        if cut <= start:
            cut = start + _MAX_SENTENCE
            while cut > start and 0x80 <= data[cut] < 0xC0:  # not inside a UTF-8 character
                cut -= 1
        out.append(Sentence(start, cut, paragraph, len(out)))
        start = cut
        while start < end and data[start] in SPACE_BYTES:
            start += 1
    if end > start:
        out.append(Sentence(start, end, paragraph, len(out)))


def segment_breaks(data: bytes) -> list[int]:
    """The offsets of the segment marks (';', '；') in order. Each is one character, and in UTF-8
    no character's bytes hold another's, so a byte search finds exactly them: no engine call
    per mark (an RE2 call costs as much as a few hundred bytes of search)."""
    out: list[int] = []
    for mark in SEGMENT_MARKS:
        pos = data.find(mark)
        while pos >= 0:
            out.append(pos)
            pos = data.find(mark, pos + 1)
    if len(out) > 1 and SEGMENT_MARKS[1] in data:
        out.sort()  # both marks in one text (rare): merge them
    return out


def span_text(data: bytes, start: int, end: int) -> str:
    return data[start:end].decode("utf-8", "ignore")


def span_distance(a0: int, a1: int, b0: int, b1: int) -> int:
    if a1 <= b0:
        return b0 - a1
    if b1 <= a0:
        return a0 - b1
    return 0


_CYRILLIC_LEADS = (b"\xd0", b"\xd1", b"\xd2", b"\xd3")  # first bytes of the Cyrillic letters in UTF-8


def within_letters(data: bytes, a0: int, a1: int, b0: int, b1: int, reach: int) -> bool:
    """span_distance(...) <= reach, with a Cyrillic letter counted as one byte, not two: the reaches
    measured in bytes were set on Latin text, and a Russian phrase of the same words is twice as
    long. (Letters are counted only for a gap between reach and twice reach: the cheap cases first.)"""
    gap = span_distance(a0, a1, b0, b1)
    if gap <= reach:
        return True
    if gap > 2 * reach:
        return False
    lo = a1 if a1 <= b0 else b1
    return gap - sum(data.count(lead, lo, lo + gap) for lead in _CYRILLIC_LEADS) <= reach


# Short words a headline leaves in lower case ("Doubling the Data Centre Footprint").
_HEADLINE_LOWER = frozenset({"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with",
                             "from", "as", "vs", "vs.", "de", "du", "des", "la", "le", "les", "et", "und", "der",
                             "die", "das", "y", "el", "en"})


_FINAL_BYTES = frozenset(b".!?;:\"')")  # the ASCII marks of is_heading's sentence-final test


def heading_at(data: bytes, sentence: Sentence) -> bool:
    """is_heading of a sentence's text; one that ends on an ASCII full stop (most) is no
    heading, told from its last byte before anything is decoded."""
    if data[sentence.end - 1] in _FINAL_BYTES:
        return False
    return is_heading(span_text(data, sentence.start, sentence.end))


# From the CJK radicals up: scripts without capital letters.
_NO_CAPITALS = pyre.compile("[\u2e80-\U0010ffff]")


def is_heading(text: str) -> bool:
    """A subheading inside an article ('Doubling the Data Centre Footprint'): two to twelve
    words, every word but the short ones capitalised, and no sentence-final punctuation. Scripts
    without capitals never look like one."""
    words = text.split()
    if not 2 <= len(words) <= 12 or text.rstrip()[-1:] in ".!?;:\"'”’)»。！？":
        return False  # (the cheap tests first: this runs on every sentence with a cue)
    if _NO_CAPITALS.search(text):
        return False  # CJK and kana: no capitals to read ("MicrosoftがShizen Energyから…" is a line)
    content = [w for w in words if w.casefold() not in _HEADLINE_LOWER]
    return bool(content) and all(w[:1].isupper() or w[:1].isdigit() or w[:1] in "$€£¥-–&" for w in content) \
        and any(w[:1].isupper() for w in content)


# A year at the head of a sentence ("In 2010 ...", "2009年，...", "Im Jahr 2012 ..."): within
# the first words, not after "since" (a total counted from then is news).
_OPENING_YEAR = re2.compile(rb"^[^0-9]{0,14}?((?:19|20)[0-9][0-9])(?:[^0-9]|$)")
# The since rules of every table ("since", "seit", "с", "以来"), each read as a whole word.
_SINCE = grammar_terms("since")
HISTORY_YEARS = 10  # a year a decade or more before the article's is history


def article_year(article: Article) -> int | None:
    """The year of the article's date, when it has one."""
    date = article.date or ""
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


def retrospective(data: bytes, sentence: Sentence, year: int) -> bool:
    """Whether a sentence opens on a year at least HISTORY_YEARS before `year` (the article's)."""
    head = data[sentence.start:min(sentence.end, sentence.start + 48)]
    found = _OPENING_YEAR.search(head)
    if found is None or int(found.group(1)) > year - HISTORY_YEARS:
        return False
    text = span_text(data, sentence.start, sentence.end).casefold()
    return not any(has_word(text, word) for word in _SINCE)
