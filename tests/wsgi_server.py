"""Serve the site on 127.0.0.1 with Django's threaded WSGI server.

Run as `python -m tests.wsgi_server` by tests/servers.py, with the settings
given through the environment. Unlike runserver it starts without touching
the database, so it can serve a site whose database is down. It prints
"listening on PORT" once it accepts connections.
"""

from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler


def main():
    from injurysite.wsgi import application

    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(application)
    print(f"listening on {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
