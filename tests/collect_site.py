"""A small publishing site for the collector's tests, built from the generator and served on
127.0.0.1 by a thread of the test process (http.server): the truth of every report is known.

Two agencies. 海东市生态环境局 publishes a 年报 column of two listing pages (index.html →
下一页 index_1.html) linking: 2023 (an HTML page with the same report attached as PDF, 附件下载),
2022 (an old URL that redirects), 2021 (under /private/, which robots.txt forbids), 2020 (a
GBK-encoded page), 2019 (answers 500 once, then the page, with a DOCX attachment), 2018 (a login
page), 2017 (404), 2016 (a page in the wrong encoding: UTF-8 read as Latin-1 and saved again).
杭州市交通运输局 gives one report page whose DOCX attachment prints one figure differently.
Every answer has an ETag and a Last-Modified, and a conditional GET that matches gets a 304.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.generator import TrueReport, random_report, render

AGENCY = "海东市生态环境局"
OTHER = "杭州市交通运输局"
LAST_MODIFIED = "Mon, 01 Dec 2025 08:00:00 GMT"


@dataclass
class Resource:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None  # for a redirect
    fail_first: int = 0  # answer 500 this many times first


@dataclass
class Site:
    resources: dict[str, Resource]
    truth: dict[str, TrueReport]  # path → the report it serves
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (path, headers) in order
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fresh(self) -> Site:
        """The same site, unvisited (its 500-once page fails again), for one test to change."""
        return Site({p: dataclasses.replace(r) for p, r in self.resources.items()}, dict(self.truth))

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _report(seed: int, agency: str, year: int) -> TrueReport:
    return dataclasses.replace(random_report(random.Random(seed)), agency=agency, year=year)


def _page(report: TrueReport, extra: str = "") -> bytes:
    _, data = render(report, "html", seed=3)
    html = data.decode("utf-8")
    return html.replace("</body>", extra + "</body>").encode("utf-8")


def _listing(title: str, items: list[tuple[str, str]], pager: str) -> bytes:
    lis = "".join(f'<li><a href="{href}" title="{text}">{text}</a><span>2024-03-01</span></li>' for href, text in items)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f'<div class="nav"><a href="/">首页</a> &gt; 政府信息公开年报</div><ul class="list">{lis}</ul>'
        f'<div class="page">{pager}</div></body></html>'
    ).encode()


def report_title(year: int, agency: str = AGENCY) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def build_site() -> Site:
    from tests.generator import Damage

    r2023, r2022, r2020, r2019 = (_report(s, AGENCY, y) for s, y in ((11, 2023), (12, 2022), (13, 2020), (14, 2019)))
    other = _report(15, OTHER, 2023)
    # The attachment prints one figure of section 2 differently from the page.
    key = next(k for k in other.values if k.section == 2)
    other_attachment = dataclasses.replace(other, values={**other.values, key: other.values[key] + 7})
    gbk_suffix, gbk = render(r2020, "html", Damage(encoding="gbk"), seed=3)
    assert gbk_suffix == ".html"
    mojibake = _page(_report(16, AGENCY, 2016)).decode("utf-8").encode("utf-8").decode("latin-1").encode("utf-8")
    login = (
        '<html><head><meta charset="utf-8"><title>用户登录</title></head><body><form action="/login" method="post">'
        '用户名<input name="user"> 密码<input type="password" name="pw"><button>登录</button></form></body></html>'
    ).encode()
    page1 = _listing(
        "年度报告",
        [
            ("2023.html", report_title(2023)),
            ("/old/2022.html", report_title(2022)),
            ("/private/2021.html", report_title(2021)),
        ],
        '<a href="index_1.html">下一页</a> <a href="index_1.html">2</a>',
    )
    page2 = _listing(
        "年度报告",
        [
            ("2020.html", f"{AGENCY}2020年政府信息公开年报"),
            ("2019.html", f"{AGENCY}2019年政府信息公开年报"),
            ("/login?next=2018", report_title(2018)),
            ("2017.html", report_title(2017)),
            ("2016.html", report_title(2016)),
        ],
        '<a href="index.html">上一页</a> <a href="index.html">1</a>',
    )
    pdf = render(r2023, "pdf-ruled", seed=3)[1]
    docx = render(r2019, "docx", seed=3)[1]
    resources = {
        "/robots.txt": Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/xxgk/ndbg/index.html": Resource(page1),
        "/xxgk/ndbg/index_1.html": Resource(page2),
        "/xxgk/ndbg/2023.html": Resource(
            _page(r2023, '<p><a href="/files/P020240301.pdf">附件下载：2023年度报告.pdf</a></p>')
        ),
        "/files/P020240301.pdf": Resource(pdf, "application/pdf"),
        "/old/2022.html": Resource(status=301, location="/xxgk/ndbg/2022.html"),
        "/xxgk/ndbg/2022.html": Resource(_page(r2022)),
        "/private/2021.html": Resource(_page(_report(17, AGENCY, 2021))),
        "/xxgk/ndbg/2020.html": Resource(gbk, "text/html"),
        "/xxgk/ndbg/2019.html": Resource(
            _page(r2019, '<p>附件：<a href="/download.jsp?id=2019">2019年报全文</a></p>'), fail_first=1
        ),
        "/download.jsp?id=2019": Resource(
            docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
        "/login?next=2018": Resource(login),
        "/xxgk/ndbg/2016.html": Resource(mojibake, "text/html"),
        "/jtj/2023.html": Resource(_page(other, '<p><a href="/jtj/2023.docx">附件下载</a></p>')),
        "/jtj/2023.docx": Resource(
            render(other_attachment, "docx", seed=3)[1],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    }
    truth = {
        "/xxgk/ndbg/2023.html": r2023,
        "/files/P020240301.pdf": r2023,
        "/xxgk/ndbg/2022.html": r2022,
        "/xxgk/ndbg/2020.html": r2020,
        "/xxgk/ndbg/2019.html": r2019,
        "/download.jsp?id=2019": r2019,
        "/jtj/2023.html": other,
        "/jtj/2023.docx": other_attachment,
    }
    return Site(resources, truth)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            with site.lock:
                site.requests.append((self.path, dict(self.headers.items())))
                res = site.resources.get(self.path)
                failing = res is not None and res.fail_first > 0
                if res is not None and failing:
                    res.fail_first -= 1
            if res is None or failing:
                status = 404 if res is None else 500
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if res.location:
                self.send_response(res.status)
                self.send_header("Location", res.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = _etag(res.body)
            if self.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(res.status)
            self.send_header("Content-Type", res.content_type)
            self.send_header("Content-Length", str(len(res.body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            self.wfile.write(res.body)

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[str]:
    """Serve the site on 127.0.0.1 (a free port) for the duration; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- a report page whose tables are pictures ----------------------------------------------------

PICTURE_AGENCY = "西宁市统计局"
PICTURE_PAGE = "/tjj/xxgk/ndbg/2023.html"
PICTURE_UPLOADS = "/uploads/2023"  # the CMS links its article's pictures from the site's root
CHROME_PICTURES = ("/images/logo.png", "/images/ewm.jpg", "/images/banner.jpg", "/images/dot.gif")
# The placeholders a lazy-loading page shows until its script swaps the picture in.
SPINNER = "/images/loading.gif"
BLANK_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def _png(size: tuple[int, int]) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def build_picture_site(seed: int = 21) -> Site:
    """One agency's report page (the truth: seed's report) whose tables are pictures: site-root
    `src`s under /uploads/2023/, the last of them written relative to the page
    (../../../uploads/…), the two before it loaded lazily (a blank data: URI, then a spinner GIF, in
    `src`, the picture in `data-src`, `data-original`), and around the article the portal's chrome:
    a logo and a banner in the header, a QR code in the footer, an icon declared 16×16 in the
    article."""
    from tests.scans import CLEAN, html_with_pictures

    truth = _report(seed, PICTURE_AGENCY, 2023)
    page, files = html_with_pictures(truth, CLEAN, seed=seed, folder=PICTURE_UPLOADS)
    html = page.decode("utf-8")
    last = max(files)
    html = html.replace(f'src="{last}"', f'src="../../..{last}"', 1)
    first, second = sorted(files)[-3:-1]
    html = html.replace(f'src="{first}"', f'src="{BLANK_GIF}" data-src="{first}"', 1)
    html = html.replace(f'src="{second}"', f'src="{SPINNER}" data-original="{second}"', 1)
    html = html.replace(
        "<body>",
        '<body><div class="header"><img src="/images/logo.png" alt="网站标识"/>'
        '<img src="/images/banner.jpg" width="1000" height="120"/></div>',
        1,
    )
    html = html.replace(
        '<div class="article">', '<div class="article"><p><img src="/images/dot.gif" width="16" height="16"/></p>', 1
    )
    html = html.replace(
        '<div class="footer">', '<div class="footer"><img src="/images/ewm.jpg" alt="二维码" width="258"/>', 1
    )
    resources = {
        "/robots.txt": Resource(b"User-agent: *\nAllow: /\n", "text/plain"),
        PICTURE_PAGE: Resource(html.encode("utf-8")),
        **{path: Resource(data, "image/png") for path, data in files.items()},
        **{path: Resource(_png((300, 300)), "image/png") for path in (*CHROME_PICTURES, SPINNER)},
    }
    return Site(resources, {PICTURE_PAGE: truth})
