"""sources.yaml parsing: the shipped file, and one test per kind of mistake a user makes."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import pytest

from bot.ingest.sources import Source, SourcesError, enabled, google_news_url, load_sources, parse_sources

REPO = Path(__file__).resolve().parent.parent

GOOD = textwrap.dedent("""\
    sources:
      - id: heise
        name: heise online
        url: https://www.heise.de/rss/heise-atom.xml
        lang: de
        kind: press
        poll_minutes: 30
      - id: gn-microsoft-dc
        name: 'Google News: Microsoft'
        query: >-
          Microsoft ("data center" OR datacenter)
          (billion OR gigawatt OR megawatt OR "power purchase") when:7d
        hl: en-US
        gl: US
        ceid: US:en
        lang: en
        kind: aggregator
        poll_minutes: 60
        companies: [microsoft]
      - id: bloomberg-tech
        name: Bloomberg Technology
        url: https://feeds.bloomberg.com/technology/news.rss
        lang: en
        kind: press
        poll_minutes: 30
        paywall: true
        enabled: false
    """)


def test_good_file_gives_sources_in_order() -> None:
    sources = parse_sources(GOOD)
    assert sources == [
        Source(id="heise", name="heise online", url="https://www.heise.de/rss/heise-atom.xml", lang="de",
               poll_minutes=30, kind="press"),
        Source(id="gn-microsoft-dc", name="Google News: Microsoft",
               url="https://news.google.com/rss/search?q=Microsoft%20%28%22data%20center%22%20OR%20datacenter"
                   "%29%20%28billion%20OR%20gigawatt%20OR%20megawatt%20OR%20%22power%20purchase%22%29"
                   "%20when%3A7d&hl=en-US&gl=US&ceid=US:en",
               lang="en", poll_minutes=60, kind="aggregator", companies=("microsoft",)),
        Source(id="bloomberg-tech", name="Bloomberg Technology",
               url="https://feeds.bloomberg.com/technology/news.rss", lang="en", poll_minutes=30,
               kind="press", enabled=False, paywall=True),
    ]
    assert [s.id for s in enabled(sources)] == ["heise", "gn-microsoft-dc"]
    assert sources[0].poll_seconds == 1800.0


def test_google_news_url_encodes_non_ascii_query() -> None:
    assert google_news_url("阿里云 数据中心", "zh-CN", "CN", "CN:zh-Hans") == (
        "https://news.google.com/rss/search?q=%E9%98%BF%E9%87%8C%E4%BA%91%20%E6%95%B0%E6%8D%AE%E4%B8%AD%E5%BF%83"
        "&hl=zh-CN&gl=CN&ceid=CN:zh-Hans")


def test_shipped_sources_file_is_valid_and_broad() -> None:
    sources = load_sources(REPO / "sources.yaml")
    on = enabled(sources)
    assert len(on) >= 20
    assert {"en", "zh", "fr", "de", "ja"} <= {s.lang for s in on}
    kinds = Counter(s.kind for s in on)
    assert kinds["first_party"] >= 3 and kinds["aggregator"] >= 4
    assert sum(s.url.startswith("https://news.google.com/rss/search?q=") for s in on) >= 4
    assert all(s.url.startswith("https://") for s in sources)


def _one(fields: str) -> str:
    body = textwrap.indent(textwrap.dedent(fields), "    ")
    return "sources:\n  - " + body.lstrip()


BASE = """\
    id: heise
    name: heise online
    url: https://www.heise.de/rss/heise-atom.xml
    lang: de
    kind: press
    poll_minutes: 30
"""


def _with(**changes: str | None) -> str:
    lines = []
    for line in BASE.splitlines():
        key = line.split(":", 1)[0].strip()
        if key in changes:
            value = changes.pop(key)
            if value is not None:
                lines.append(f"    {key}: {value}")
        else:
            lines.append(line)
    lines += [f"    {key}: {value}" for key, value in changes.items() if value is not None]
    return _one("\n".join(lines) + "\n")


@pytest.mark.parametrize(("text", "message"), [
    (_with(poll_minutes="0"),
     "sources.yaml: source 'heise': poll_minutes must be a positive integer up to 10080 (got 0)"),
    (_with(poll_minutes="'30'"),
     "sources.yaml: source 'heise': poll_minutes must be a positive integer up to 10080 (got '30')"),
    (_with(poll_minutes="true"),
     "sources.yaml: source 'heise': poll_minutes must be a positive integer up to 10080 (got True)"),
    (_with(poll_minutes=None), "sources.yaml: source 'heise': poll_minutes is missing"),
    (_with(kind="blog"),
     "sources.yaml: source 'heise': kind must be one of press, trade, first_party, filing, aggregator "
     "(got 'blog')"),
    (_with(lang="no"),  # YAML 1.1 reads a bare `no` as false
     "sources.yaml: source 'heise': lang must be a non-empty string (got False; quote it in YAML)"),
    (_with(lang="German"),
     "sources.yaml: source 'heise': lang 'German' is not a language code like 'en', 'zh' or 'zh-Hans'"),
    (_with(url="ftp://example.org/feed"),
     "sources.yaml: source 'heise': url must be an http:// or https:// URL (got 'ftp://example.org/feed')"),
    (_with(url=None),
     "sources.yaml: source 'heise': url is missing (give either url, or query with hl, gl and ceid)"),
    (_with(query="x"), "sources.yaml: source 'heise': url and query are both given (give one of them)"),
    (_with(name=None), "sources.yaml: source 'heise': name is missing"),
    (_with(enabled="yes please"),
     "sources.yaml: source 'heise': enabled must be true or false (got 'yes please')"),
    (_with(paywall="1"), "sources.yaml: source 'heise': paywall must be true or false (got 1)"),
    (_with(companies="[amazon]"),
     "sources.yaml: source 'heise': companies 'amazon' is not one of "
     "alibaba, tencent, baidu, microsoft, google"),
    (_with(companies="microsoft"),
     "sources.yaml: source 'heise': companies must be a list of names (got 'microsoft')"),
    (_with(pol_minutes="30"),
     "sources.yaml: source 'heise': pol_minutes is not a known field (known: ceid, companies, enabled, "
     "gl, hl, id, kind, lang, name, paywall, poll_minutes, query, url)"),
    (_with(id=None), "sources.yaml: source #1: id is missing (lower-case letters, digits, '-' and '_')"),
    (_with(id="Heise Online"),
     "sources.yaml: source #1: id 'Heise Online' is not valid (lower-case letters, digits, '-' and '_')"),
    (_with(url=None, query="'x'", hl="en-US", gl="US", ceid="DE:de"),
     "sources.yaml: source 'heise': ceid must be '<gl>:<language>' with gl 'US' (got 'DE:de')"),
    (_with(url=None, query="'x'", hl="en-US", gl="US"), "sources.yaml: source 'heise': ceid is missing"),
    (_with(hl="en-US"),
     "sources.yaml: source 'heise': hl only goes with query (a Google News search), not with url"),
])
def test_bad_field_names_file_source_and_field(text: str, message: str) -> None:
    with pytest.raises(SourcesError) as caught:
        parse_sources(text)
    assert str(caught.value) == message


def test_duplicate_id_is_rejected() -> None:
    text = _with() + _with(url="https://other.example/feed").split("\n", 1)[1]
    with pytest.raises(SourcesError,
                       match=r"^sources.yaml: source 'heise': id is used twice \(sources #1 and #2\)$"):
        parse_sources(text)


def test_duplicate_url_is_rejected() -> None:
    text = _with() + _with(id="heise-again").split("\n", 1)[1]
    with pytest.raises(SourcesError,
                       match=r"^sources.yaml: source 'heise-again': url is already used by source 'heise'$"):
        parse_sources(text)


def test_key_given_twice_in_one_source_is_rejected() -> None:
    text = _with() + "    poll_minutes: 60\n"
    with pytest.raises(SourcesError, match=r"^my.yaml: line 8: key 'poll_minutes' is given twice$"):
        parse_sources(text, origin="my.yaml")


@pytest.mark.parametrize(("text", "message"), [
    ("sources: [\n", "sources.yaml: line 2: expected the node content, but found '<stream end>'"),
    ("- id: x\n", "sources.yaml: expected a mapping with a 'sources:' list at the top"),
    ("sources: []\n", "sources.yaml: 'sources' must be a non-empty list"),
    ("sources:\n  - just a string\n",
     "sources.yaml: source #1: must be a mapping of fields (id, name, url, ...)"),
    ("sources: [{id: a}]\nsettings: {}\n",
     "sources.yaml: unknown top-level key 'settings' (only 'sources' is allowed)"),
])
def test_bad_file_shape(text: str, message: str) -> None:
    with pytest.raises(SourcesError) as caught:
        parse_sources(text)
    assert str(caught.value) == message


def test_load_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match=r"nowhere.yaml: cannot read: No such file or directory$"):
        load_sources(tmp_path / "nowhere.yaml")


def test_load_names_the_path_it_was_given(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(_with(kind="blog"), encoding="utf-8")
    with pytest.raises(SourcesError, match=rf"^{path}: source 'heise': kind must be one of"):
        load_sources(path)
