"""Claim extractor throughput, and its cost next to trafilatura extraction of the same pages.

Generates a few thousand articles from invented sentence templates (several languages, with
figures, estimates, other companies and filler), times `extract_claims` over all of them on
one core, then renders each article as a simple HTML page and times trafilatura's
`bare_extraction` on the same set. Targets: >= 1,000 articles/s, < 5 % of extraction time.
"""

from __future__ import annotations

import html
import random
import time

from bot.claims import extract_claims
from bot.model import Article

ARTICLES = 3000
SEED = 20250
TARGET_RATE = 1000.0
TARGET_SHARE = 0.05

COMPANIES = {
    "en": ["Alphabet", "Google", "Microsoft", "Alibaba", "Tencent", "Baidu", "Azure", "Alibaba Cloud"],
    "fr": ["Google", "Microsoft", "Alibaba", "Tencent", "Baidu"],
    "de": ["Google", "Microsoft", "Alibaba", "Tencent"],
    "zh": ["谷歌", "微软", "阿里巴巴", "腾讯", "百度", "阿里云"],
}
OTHERS = ["Meta", "Amazon", "Oracle", "OpenAI"]
TEMPLATES = {
    "en": [
        "{c} expects capex of about ${n} billion in {y}, up from ${m} billion a year earlier.",
        "{c} said cloud revenue rose {p}% to ${m} billion in the quarter.",
        "{c} will invest between ${m} billion and ${n} billion in new data centres over three years.",
        "Analysts expect {c} to spend ${n} billion on servers next year.",
        "{o}, like {c}, plans to spend ${n} billion on AI infrastructure.",
        "{c} signed a deal for {w} MW of wind power for its data centres.",
        "{c} plans to open {k} new cloud regions next year.",
        "The company's shares rose {p}% after the results, and the board approved a dividend.",
        "Executives spoke at length about products, customers and the coming holiday season.",
        "Collectively, the largest tech groups will spend ${n}0 billion this year.",
    ],
    "fr": [
        "{c} va investir {n} milliards de dollars dans ses centres de données en {y}.",
        "Les revenus cloud de {c} ont progressé de {p} % sur un an.",
        "Les analystes tablent sur {n} milliards de dollars de dépenses pour {c}.",
        "Le groupe a présenté de nouveaux produits lors de sa conférence annuelle.",
    ],
    "de": [
        "{c} wird in den kommenden Jahren {n},5 Milliarden Euro in Rechenzentren investieren.",
        "Der Cloud-Umsatz von {c} stieg um {p} Prozent.",
        "Analysten erwarten bei {c} Investitionen von {n} Mrd. Dollar.",
        "Das Unternehmen stellte neue Produkte auf einer Messe vor.",
    ],
    "zh": [
        "{c}计划在未来三年投入{n}00亿元建设云计算和AI基础设施。",
        "{c}云业务收入达{m}亿元，同比增长{p}%。",
        "分析师预计{c}今年资本支出将达到{n}0亿美元。",
        "{c}今天发布了新的手机应用和会员服务。",
    ],
}


OFF_TOPIC = {
    "en": ["A startup raised ${n} million to build delivery robots for {y}.",
           "The city council approved {k} new bus lines and a bike-sharing scheme.",
           "Smartphone shipments rose {p}% in the quarter, a market tracker said.",
           "The studio said its next game would arrive in {y} on consoles."],
    "fr": ["Une jeune pousse a levé {n} millions d'euros pour ses robots.",
           "Le salon a accueilli {k} mille visiteurs cette année."],
    "de": ["Ein Start-up sammelte {n} Millionen Euro für Lieferroboter ein.",
           "Die Messe zählte {k} tausend Besucher."],
    "zh": ["一家初创公司完成了{n}亿元融资，用于研发配送机器人。", "今年展会共吸引{k}万名观众。"],
}


def make_articles(count: int = ARTICLES, seed: int = SEED, on_topic_share: float = 1.0) -> list[Article]:
    """Invented articles of 8-20 templated sentences each, in four languages; a share of them
    about the five companies (dense with figures), the rest ordinary tech/business news."""
    rng = random.Random(seed)
    langs = list(TEMPLATES)
    articles = []
    for i in range(count):
        lang = langs[i % len(langs)]
        templates = TEMPLATES[lang] if rng.random() < on_topic_share else OFF_TOPIC[lang]
        sentences = []
        for _ in range(rng.randint(8, 20)):
            template = rng.choice(templates)
            sentences.append(template.format(
                c=rng.choice(COMPANIES[lang]), o=rng.choice(OTHERS), n=rng.randint(2, 99),
                m=rng.randint(1, 60), p=rng.randint(1, 90), y=rng.choice([2025, 2026, 2027]),
                w=rng.randint(50, 900), k=rng.randint(2, 9)))
        joiner = "" if lang == "zh" else " "
        paragraphs = [joiner.join(sentences[j:j + 4]) for j in range(0, len(sentences), 4)]
        articles.append(Article(id=f"bench-{i}", url=f"https://example.invalid/{i}", lang=lang,
                                text="\n".join(paragraphs), title=f"Invented article {i}"))
    return articles


def as_html(article: Article) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.text.split("\n"))
    return (f"<!DOCTYPE html><html lang=\"{article.lang}\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(article.title or '')}</title></head><body><nav><a href=\"/\">Home</a>"
            f"</nav><article><h1>{html.escape(article.title or '')}</h1>{paragraphs}</article>"
            "<footer>Invented page for benchmarking</footer></body></html>")


def time_claims(articles: list[Article]) -> tuple[float, int]:
    for lang in {a.lang for a in articles}:  # rule tables compile once per language, not per article
        extract_claims(Article(id="warm-up", url="", lang=lang, text="Google 1"))
    start = time.perf_counter()
    found = sum(len(extract_claims(article)) for article in articles)
    return time.perf_counter() - start, found


def time_extraction(pages: list[str]) -> float:
    from trafilatura import bare_extraction

    bare_extraction(pages[0])
    start = time.perf_counter()
    for page in pages:
        bare_extraction(page)
    return time.perf_counter() - start


def main() -> None:
    # Two corpora: every article about the five companies and dense with figures (the worst
    # case), and a press-like mix where one article in five names one of them.
    for label, share in (("all on-topic, dense", 1.0), ("press mix, 20% on-topic", 0.2)):
        articles = make_articles(on_topic_share=share)
        claims_seconds, found = time_claims(articles)
        rate = len(articles) / claims_seconds
        extraction_seconds = time_extraction([as_html(a) for a in articles])
        ratio = claims_seconds / extraction_seconds
        print(f"-- {label}: {len(articles)} articles, {found} claims found")
        print(f"claim extraction: {claims_seconds:.2f} s, {rate:,.0f} articles/s on one core "
              f"(target >= {TARGET_RATE:,.0f}) {'OK' if rate >= TARGET_RATE else 'BELOW TARGET'}")
        print(f"trafilatura bare_extraction: {extraction_seconds:.2f} s, "
              f"{len(articles) / extraction_seconds:,.0f} pages/s")
        print(f"claims / extraction time: {100 * ratio:.1f} % (target < {100 * TARGET_SHARE:.0f} %) "
              f"{'OK' if ratio < TARGET_SHARE else 'ABOVE TARGET'}")


if __name__ == "__main__":
    main()
