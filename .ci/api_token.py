#!/usr/bin/env python3
"""Prints an API token for a demo account of a freshly started `serve --demo`.

Usage: api_token.py BASE_URL USERNAME ONE_TIME_PASSWORD

Logs in with the one-time password, sets a password of its own (a one-time
password opens nothing else) and creates an API token with that session.
Standard library only."""
import json
import secrets
import sys
import urllib.request


def post(url, body, token=None):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def main():
    base, user, otp = sys.argv[1:4]
    api = base.rstrip("/") + "/api/v1"
    session = post(f"{api}/auth/login", {"username": user, "password": otp})["token"]
    new = "-".join(secrets.token_hex(4) for _ in range(4))
    post(f"{api}/auth/password", {"old_password": otp, "new_password": new}, session)
    print(post(f"{api}/auth/tokens", {"label": "api check"}, session)["token"])


main()
