"""HTTP, politely: robots.txt honoured, one request at a time per host with a delay, conditional
GET, a clear User-Agent, retries of timeouts and 5xx (tenacity), a per-run budget of requests.

httpx does the HTTP, protego reads robots.txt, tenacity retries. Every answer, failure included,
comes back as a `Fetched` record: nothing here raises for a bad URL, so one broken site never stops
the others.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx
from protego import Protego
from tenacity import RetryCallState, Retrying, retry_if_result, stop_after_attempt, wait_exponential
from tenacity.stop import stop_base

USER_AGENT = "xxgk-warehouse-collector/0.1 (+annual open-government-information reports; polite, robots.txt honoured)"


@dataclass(frozen=True)
class Politeness:
    """How the collector behaves towards a site. The defaults are for the real web; tests set
    the delays to ~0."""

    user_agent: str = USER_AGENT
    delay_s: float = 2.0  # between two requests to one host (robots.txt's Crawl-delay, if longer, wins)
    timeout_s: float = 30.0
    budget: int = 500  # requests per run, robots.txt included; what is left waits for the next night
    attempts: int = 3  # tries of one URL when it times out or answers 5xx/429
    retry_wait_s: float = 5.0  # first wait before a retry; doubles each time
    max_bytes: int = 50_000_000  # a larger body is refused
    picture_max_bytes: int = 10_000_000  # a larger picture in a report page is not kept
    pictures_per_page: int = 40  # pictures of one report page's article fetched at most


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: the last ETag and Last-Modified of the URL."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        sent = {}
        if self.etag:
            sent["If-None-Match"] = self.etag
        if self.last_modified:
            sent["If-Modified-Since"] = self.last_modified
        return sent


@dataclass
class Fetched:
    """One URL's answer (after redirects and retries) or why there was none."""

    url: str
    final_url: str | None = None
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    content_disposition: str | None = None
    content: bytes = b""
    error: str | None = None  # no answer: a timeout, a TLS error, a refused connection, a body too large
    transient: bool = False  # worth another try in this run (timeout, connection reset)
    attempts: int = 0


class _Budget(Exception):
    pass


class _BudgetSpent(stop_base):
    """tenacity's stop condition: no retry once the run's requests are spent."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.fetcher.remaining == 0


@dataclass
class Fetcher:
    """One run's HTTP client. Requests are made one at a time (the collector is sequential), and
    never sooner than `delay_s` after the previous request to the same host."""

    politeness: Politeness = field(default_factory=Politeness)
    transport: httpx.BaseTransport | None = None  # tests may mount one; None is the network
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, Protego] = field(default_factory=dict)
    _unreadable: dict[str, str] = field(default_factory=dict)  # host → why its robots.txt forbids all
    _client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        self._client = httpx.Client(
            headers={"User-Agent": self.politeness.user_agent},
            timeout=self.politeness.timeout_s,
            follow_redirects=True,
            max_redirects=10,
            transport=self.transport,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()

    @property
    def remaining(self) -> int:
        return max(0, self.politeness.budget - self.requests)

    def _wait_turn(self, host: str) -> None:
        delay = self.politeness.delay_s
        robots = self._robots.get(host)
        if robots is not None:
            crawl_delay = robots.crawl_delay(self.politeness.user_agent)
            delay = max(delay, float(crawl_delay or 0))
        if host in self._last:
            pause = self._last[host] + delay - time.monotonic()
            if pause > 0:
                self.sleep(pause)

    def _once(self, url: str, headers: dict[str, str]) -> Fetched:
        if self.requests >= self.politeness.budget:
            raise _Budget
        assert self._client is not None, "use Fetcher as a context manager"
        host = urlsplit(url).netloc
        self._wait_turn(host)
        self.requests += 1
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.politeness.max_bytes:
                        return Fetched(url, str(response.url), response.status_code, error="body over the size limit")
                return Fetched(
                    url,
                    final_url=str(response.url),
                    status=response.status_code,
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    content_type=response.headers.get("content-type"),
                    content_disposition=response.headers.get("content-disposition"),
                    content=bytes(body),
                )
        except httpx.TimeoutException:
            return Fetched(url, error=f"timed out after {self.politeness.timeout_s:g} s", transient=True)
        except httpx.TooManyRedirects:
            return Fetched(url, error="too many redirects")
        except httpx.TransportError as exc:
            if _is_tls(exc):
                return Fetched(url, error=f"TLS error: {exc}")
            return Fetched(url, error=f"connection failed: {exc}", transient=True)
        finally:
            self._last[host] = time.monotonic()

    def get(self, url: str, validators: Validators | None = None) -> Fetched:
        """GET a URL (conditionally, when validators are given), retrying a timeout or a 5xx/429
        answer with growing waits while the run's budget lasts. Over budget before the first try:
        a Fetched whose error says so and whose attempts is 0."""
        headers = (validators or Validators()).headers()
        count = [0]

        def attempt() -> Fetched:
            count[0] += 1
            return self._once(url, headers)

        def worth_retrying(result: Fetched) -> bool:
            return result.transient or result.status in (429, 500, 502, 503, 504)

        def last(state: RetryCallState) -> Fetched:
            assert state.outcome is not None
            result: Fetched = state.outcome.result()
            return result

        retrying = Retrying(
            stop=stop_after_attempt(self.politeness.attempts) | _BudgetSpent(self),
            wait=wait_exponential(multiplier=self.politeness.retry_wait_s, max=300),
            retry=retry_if_result(worth_retrying),
            retry_error_callback=last,
            sleep=self.sleep,
        )
        try:
            fetched: Fetched = retrying(attempt)
        except _Budget:
            return Fetched(url, error=f"the run's budget of {self.politeness.budget} requests is spent")
        fetched.attempts = count[0]
        return fetched

    def robots(self, url: str, load: Callable[[str], tuple[int | None, bytes]]) -> Protego:
        """The robots.txt rules of the URL's host, read once per run: `load` GETs the robots.txt
        URL (conditionally, logging it) and gives back (status, body), a 304 counting as 200 with
        the body kept from before. No robots.txt (4xx) allows everything; an unreachable one (5xx,
        no answer) forbids everything until a later night, as RFC 9309 asks."""
        parts = urlsplit(url)
        host = parts.netloc
        if host not in self._robots:
            status, body = load(urlunsplit((parts.scheme, host, "/robots.txt", "", "")))
            if status == 200:
                rules = Protego.parse(body.decode("utf-8", errors="replace"))
            elif status is not None and 400 <= status < 500:
                rules = Protego.parse("")
            else:
                rules = Protego.parse("User-agent: *\nDisallow: /")
                answer = f"HTTP {status}" if status is not None else "no answer"
                self._unreadable[host] = f"robots.txt could not be read ({answer}): the host waits for a later night"
            self._robots[host] = rules
        return self._robots[host]

    def refusal(self, url: str, load: Callable[[str], tuple[int | None, bytes]]) -> str | None:
        """Why robots.txt keeps this collector's User-Agent from the URL, or None when allowed."""
        if self.robots(url, load).can_fetch(url, self.politeness.user_agent):
            return None
        return self._unreadable.get(urlsplit(url).netloc, "robots.txt forbids this path")


def _is_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "SSL" in str(seen) or "CERTIFICATE" in str(seen).upper():
            return True
        seen = seen.__cause__ or seen.__context__
    return False
