"""Checking that affiliate destinations still lead somewhere.

A link is broken only when the merchant says so plainly: 404, 410, or a
redirect that lands on its home or search page (what shops do with a product
they dropped). Answers that mean the merchant turned the checker away (429,
503 and other 5xx, 403, a captcha page), time-outs and network errors are
"could not check": they say nothing about the link, so the owner is not sent
chasing links that work for readers.
"""

import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.utils import timezone

from affiliates.models import AffiliateLink

Health = AffiliateLink.Health
BROKEN_CODES = {404, 410}
HEAD_REFUSED_CODES = {400, 403, 405, 501}
SEARCH_PARAMETERS = {"k", "q", "query", "search", "keywords", "field-keywords"}
CAPTCHA = re.compile(rb"captcha|enter the characters you see", re.I)
BODY_SAMPLE = 64 * 1024


@dataclass(frozen=True)
class CheckResult:
    health: str
    status_code: int | None
    final_url: str
    elapsed_ms: int
    message: str


class _KeepMethodRedirects(urllib.request.HTTPRedirectHandler):
    """urllib turns a redirected HEAD into a GET; keep it a HEAD."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


_opener = urllib.request.build_opener(_KeepMethodRedirects)


def _fetch(url, *, method, timeout):
    """(status, final url, first bytes of the body) of one request; errors raise."""
    request = urllib.request.Request(  # noqa: S310 (destinations are http(s) by validation)
        url, method=method, headers={"User-Agent": settings.AFFILIATE_CHECK_USER_AGENT}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            body = response.read(BODY_SAMPLE) if method == "GET" else b""
            return response.status, response.geturl(), body
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.geturl() or url, b""


def _is_home_or_search(original, final):
    before, after = urlsplit(original), urlsplit(final)
    if (before.netloc, before.path, before.query) == (after.netloc, after.path, after.query):
        return False
    path = after.path.rstrip("/").lower()
    if path in {"", "/index.html", "/home"}:
        return True
    searchy_path = path.split("/")[-1] in {"s", "search"}
    return searchy_path or bool(SEARCH_PARAMETERS & set(parse_qs(after.query)))


def classify(*, url, status, final_url, body):
    """(health, message) for one answer to a check of `url`."""
    if status in BROKEN_CODES:
        return Health.BROKEN, f"The merchant answered {status}: the page is gone."
    if "captcha" in final_url.lower() or CAPTCHA.search(body or b""):
        return Health.UNKNOWN, "The merchant showed a captcha to the checker."
    if status == 429 or status >= 500 or status == 403:
        return Health.UNKNOWN, f"The merchant turned the checker away ({status})."
    if 200 <= status < 300:
        if _is_home_or_search(url, final_url):
            return Health.BROKEN, f"Redirected to a home or search page: {final_url}"
        return Health.OK, "The destination answered normally."
    return Health.UNKNOWN, f"Unexpected answer {status}."


def check_url(url, *, timeout):
    """Check one address: HEAD first, then GET when the server refuses HEAD."""
    started = time.monotonic()

    def elapsed():
        return int((time.monotonic() - started) * 1000)

    try:
        status, final_url, body = _fetch(url, method="HEAD", timeout=timeout)
        if status in HEAD_REFUSED_CODES:
            status, final_url, body = _fetch(url, method="GET", timeout=timeout)
    except TimeoutError:
        return CheckResult(Health.UNKNOWN, None, "", elapsed(), f"No answer within {timeout:g} s.")
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            message = f"No answer within {timeout:g} s."
        else:
            message = f"Could not connect: {reason}"
        return CheckResult(Health.UNKNOWN, None, "", elapsed(), message[:300])
    health, message = classify(url=url, status=status, final_url=final_url, body=body)
    return CheckResult(health, status, final_url[:2000], elapsed(), message[:300])


def save_result(*, link, result):
    """Store a check's outcome on the link without touching what editors change."""
    AffiliateLink.objects.filter(pk=link.pk).update(
        health=result.health,
        check_status_code=result.status_code,
        check_final_url=result.final_url,
        check_elapsed_ms=result.elapsed_ms,
        check_message=result.message,
        checked_at=timezone.now(),
    )


def check_links(*, links, timeout=None, workers=None, progress=None):
    """Check `links` a few at a time, save each result, and return {link: result}.

    Requests run in threads; results are saved from the calling thread, so no
    thread but the caller's touches the database. `progress(done, total,
    link, result)` is called after each link.
    """
    timeout = timeout if timeout is not None else settings.AFFILIATE_CHECK_TIMEOUT
    workers = workers or settings.AFFILIATE_CHECK_WORKERS
    links = list(links)
    results = {}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(check_url, link.target_url, timeout=timeout): link for link in links}
        for done, future in enumerate(as_completed(futures), start=1):
            link = futures[future]
            results[link] = future.result()
            save_result(link=link, result=results[link])
            if progress:
                progress(done, len(links), link, results[link])
    return results
