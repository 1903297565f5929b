#!/usr/bin/env python3
"""Prints an API token for a demo account of a freshly started `serve --demo`.

Usage: api_token.py BASE_URL USERNAME (--activation CODE | --one-time PASSWORD)

With an activation code (the demo's coordinator), opens the code and chooses a
password, as the account's person would, then signs in with it. With a one-time
password (the first admin's), signs in with it (which uses it up) and sets a
password of its own in that session. Either way, creates an API token with the
session. Standard library only."""
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
    base, user, mode, secret = sys.argv[1:5]
    api = base.rstrip("/") + "/api/v1"
    new = "-".join(secrets.token_hex(4) for _ in range(4))
    if mode == "--activation":
        post(f"{api}/auth/activate", {"code": secret, "password": new})
        session = post(f"{api}/auth/login", {"username": user, "password": new})["token"]
    elif mode == "--one-time":
        session = post(f"{api}/auth/login", {"username": user, "password": secret})["token"]
        post(f"{api}/auth/password", {"old_password": secret, "new_password": new}, session)
    else:
        sys.exit(f"unknown mode {mode}: --activation CODE or --one-time PASSWORD")
    print(post(f"{api}/auth/tokens", {"label": "api check"}, session)["token"])


main()
