"""A saved news page written for these tests: a real article inside real boilerplate."""

from __future__ import annotations

ARTICLE_PARAGRAPHS = (
    "Negotiators from Ethiopia, Egypt and Sudan returned to Geneva on Monday for a new "
    "round of talks on the Blue Nile dam, hosted by the United Nations Environment Programme.",
    "Amina Tesfaye, who leads the Ethiopian delegation, said her government wanted an "
    "agreement before the rainy season. The Egyptian foreign minister, Karim Hassan, told "
    "reporters in Cairo that his country would not accept a deal without guarantees.",
    "Observers from the World Bank and the African Union attend the sessions at the Palais "
    "des Nations, where the talks are expected to last until Friday.",
    "Tesfaye later met Hassan for a private breakfast at the Hôtel Beau-Rivage, according to "
    "two diplomats who asked not to be named.",
)

BOILERPLATE = (
    "We use cookies to improve your experience",
    "Accept all",
    "Most read",
    "Ten things to do in Zurich this weekend",
    "Share on Facebook",
    "All rights reserved",
    "Subscribe to our newsletter",
)


def news_page(charset: str = "utf-8", title: str = "Water talks resume in Geneva") -> str:
    p = ARTICLE_PARAGRAPHS
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{title} | The Lakeside Courier</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="The Lakeside Courier">
<meta name="author" content="Maria Keller">
<meta property="article:published_time" content="2026-03-14T08:00:00Z">
<link rel="canonical" href="https://courier.example/world/water-talks-geneva">
<link rel="stylesheet" href="https://cdn.courier.example/site.css">
<script src="https://cdn.courier.example/tracker.js"></script>
<script>var tracking = "Sergei Trackerov";</script><style>body {{ color: black; }}</style>
</head><body>
<div class="cookie-banner" id="cookies">{BOILERPLATE[0]}. <button>{BOILERPLATE[1]}</button></div>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li></ul></nav>
<header><div class="logo">The Lakeside Courier</div></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By Maria Keller</p>
<p>{p[0]}</p>
<h2>A long dispute</h2>
<p>{p[1].replace("Karim Hassan", "<em>Karim Hassan</em>")}</p>
<blockquote><p>“We have waited long enough,” said Tesfaye.</p></blockquote>
<p>{p[2].replace("World Bank", '<a href="https://worldbank.example/">World Bank</a>')}</p>
<ul><li>Ethiopia wants a filling schedule.</li><li>Egypt wants guarantees for dry years.</li></ul>
<p>{p[3]}</p>
<div class="share"><a href="#">{BOILERPLATE[4]}</a> <a href="#">Tweet</a></div>
</article></main>
<aside class="most-read"><h3>{BOILERPLATE[2]}</h3><ol><li><a href="#">{BOILERPLATE[3]}</a></li>
<li><a href="#">Football results</a></li></ol></aside>
<div class="newsletter"><p>{BOILERPLATE[6]}</p></div>
<footer><p>© 2026 The Lakeside Courier. {BOILERPLATE[5]}. Contact | Privacy</p></footer>
<img src="https://ads.courier.example/pixel.gif">
</body></html>
"""


def mhtml_archive(page: str) -> bytes:
    """The page as Chrome saves it: a MIME multipart archive, quoted-printable HTML."""
    import quopri

    body = quopri.encodestring(page.encode("utf-8")).decode("ascii")
    return (
        "From: <Saved by Blink>\r\n"
        "Snapshot-Content-Location: https://courier.example/world/water-talks-geneva\r\n"
        "Subject: Water talks resume in Geneva\r\n"
        "Date: Sat, 14 Mar 2026 09:00:00 -0000\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n'
        '\tboundary="----MultipartBoundary--abc123"\r\n\r\n'
        "------MultipartBoundary--abc123\r\n"
        "Content-Type: text/html\r\n"
        "Content-ID: <frame-1@mhtml.blink>\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "Content-Location: https://courier.example/world/water-talks-geneva\r\n\r\n"
        f"{body}\r\n"
        "------MultipartBoundary--abc123\r\n"
        "Content-Type: text/css\r\n"
        "Content-Location: https://cdn.courier.example/site.css\r\n\r\n"
        "body { color: black; }\r\n"
        "------MultipartBoundary--abc123--\r\n"
    ).encode("ascii")
