"""A stand-in merchant: a small HTTP server on 127.0.0.1 answering the way
shops do (pages, 404, 410, 503, 429, redirects to the home or search page,
a captcha, a slow answer). The link checker and the end-to-end tests talk to
it instead of the internet."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 3


def _page(title, text=""):
    return (
        f"<!doctype html><html lang=en><title>{title}</title><h1>{title}</h1><p>{text}</p></html>"
    ).encode()


ROUTES = {
    # path: (status, extra headers, body, answer HEAD the same way)
    "/": (200, {}, _page("Merchant home"), True),
    "/product": (200, {}, _page("Knee sleeve", "A compression sleeve for runners."), True),
    "/outlet": (200, {}, _page("Outlet deals"), True),
    "/s": (200, {}, _page("Search results"), True),
    "/missing": (404, {}, _page("Not found"), True),
    "/gone": (410, {}, _page("Gone"), True),
    "/busy": (503, {"Retry-After": "120"}, _page("Service unavailable"), True),
    "/too-many": (429, {"Retry-After": "60"}, _page("Too many requests"), True),
    "/discontinued": (302, {"Location": "/"}, b"", True),
    "/old-product": (301, {"Location": "/s?k=knee+sleeve"}, b"", True),
    "/renamed-product": (301, {"Location": "/product"}, b"", True),
    "/robot-check": (302, {"Location": "/errors/validateCaptcha"}, b"", True),
    "/errors/validateCaptcha": (200, {}, _page("Robot check", "Type the captcha."), True),
    "/captcha-on-get": (
        200,
        {},
        _page("Sorry", "Enter the characters you see below to continue shopping."),
        False,
    ),
    "/no-head": (200, {}, _page("Product without HEAD"), False),
}


class MerchantHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._answer(send_body=True)

    def do_HEAD(self):
        self._answer(send_body=False)

    def _answer(self, *, send_body):
        self.server.requests.append((self.command, self.path))
        path = self.path.split("?", 1)[0]
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            status, headers, body, head_ok = 200, {}, _page("Finally"), True
        else:
            status, headers, body, head_ok = ROUTES.get(path, (404, {}, _page("Not found"), True))
        if not send_body and not head_ok:
            status, headers, body = 405, {"Allow": "GET"}, b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class MerchantServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), MerchantHandler)
        self.requests = []

    def handle_error(self, request, client_address):
        # The slow page's reader may have given up and closed the socket.
        pass

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


def start_merchant():
    server = MerchantServer()
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server
