"""Load driver and checker of nginx/faults.sh (`./reviews bench faults`). Standard library only.

  faults.py load   --target H:P --seconds S --threads N --tag T --out FILE [--source ADDR] [--mix list,meta,post,helpful]
      Mixed load through NGINX; one CSV line per HTTP attempt. A failed POST is retried (at most 4 attempts) with
      the same Idempotency-Key and the same body; nothing else is retried by the client.
  faults.py check  --psql URL --scenario NAME --records FILE [--records FILE ...] [--zero-errors] [--reviews A-B]
      Figures of one load scenario (its records are the last file; votes are counted over all files) against the
      database: lost and duplicated POSTs, votes expected (204s) against counted. Exit 1 when a goal is missed.
  faults.py rate   --target H:P --source ADDR --seconds S --threads N --out FILE
      Reads as fast as possible from a non-exempt address: 429s, with Retry-After and the JSON shape.
  faults.py probe  --target H:P --method M --path P --expect CODE [--body-bytes N] [--timeout S]
      One request; checks the status, the {"code": CODE, "message": ...} body and Retry-After (5xx).
"""
import argparse
import csv
import http.client
import json
import random
import subprocess
import sys
import threading
import time

FIELDS = ["t", "tag", "kind", "attempt", "status", "key", "retry_after", "json_code", "ms", "error"]
EXPECTED = {"list": 200, "meta": 200, "post": 201, "helpful": 204}
PRODUCTS = (1, 200)        # seeded by faults.sh: 2 characteristics each (ids 2p-1, 2p)
VOTE_REVIEWS = (1, 400)    # seeded reviews the load votes on
POST_ATTEMPTS = 4


def parse_range(text):
    a, b = text.split("-")
    return int(a), int(b)


class Client:
    """One keep-alive connection per thread, reopened after any failure."""

    def __init__(self, target, source, timeout):
        self.host, self.port = target.rsplit(":", 1)
        self.source = (source, 0) if source else None
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        """(status, headers dict lower-cased, body bytes); status 0 and the error text when no answer came."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, int(self.port), timeout=self.timeout,
                                                   source_address=self.source)
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            resp = self.conn.getresponse()
            data = resp.read()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
            if hdrs.get("connection", "").lower() == "close":
                self.close()
            return resp.status, hdrs, data, ""
        except (OSError, http.client.HTTPException) as e:
            self.close()
            return 0, {}, b"", type(e).__name__ + ": " + str(e)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def json_code(status, data):
    if status < 400:
        return ""
    try:
        doc = json.loads(data)
        return str(doc["code"]) if isinstance(doc, dict) and isinstance(doc.get("message"), str) else "no-code"
    except (ValueError, KeyError):
        return "not-json"


def review_body(token, rng):
    product = rng.randint(*PRODUCTS)
    return product, json.dumps({
        "product_id": product, "rating": rng.randint(1, 5), "summary": "fault run " + token,
        "body": "Written by the fault-injection load driver; the reviewer name is this submission's unique token.",
        "recommend": rng.random() < 0.7, "name": token, "email": token + "@example.com", "photos": [],
        "characteristics": {str(2 * product - 1): rng.randint(1, 5), str(2 * product): rng.randint(1, 5)},
    }).encode()


def load(args):
    weights = [int(w) for w in args.mix.split(",")]
    kinds = ["list", "meta", "post", "helpful"]
    start = time.monotonic()
    deadline = start + args.seconds
    out = open(args.out, "w", newline="")
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    lock = threading.Lock()

    def record(kind, attempt, status, key, hdrs, data, ms, error):
        with lock:
            writer.writerow([f"{time.monotonic() - start:.3f}", args.tag, kind, attempt, status, key,
                             hdrs.get("retry-after", ""), json_code(status, data), f"{ms:.1f}", error[:200]])

    def worker(n):
        rng = random.Random(f"{args.tag}-{n}")
        client = Client(args.target, args.source, 15)
        seq = 0
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            if kind == "post":
                seq += 1
                token = f"faults-{args.tag}-{n:02d}-{seq:06d}"
                _, body = review_body(token, rng)
                headers = {"Content-Type": "application/json", "Idempotency-Key": token}
                for attempt in range(1, POST_ATTEMPTS + 1):
                    t0 = time.monotonic()
                    status, hdrs, data, err = client.request("POST", "/reviews", body, headers)
                    record(kind, attempt, status, token, hdrs, data, (time.monotonic() - t0) * 1000, err)
                    if status == 201 or 400 <= status < 500 and status != 429:
                        break
                    time.sleep(0.2 * attempt)
                continue
            if kind == "helpful":
                key = str(rng.randint(*VOTE_REVIEWS))
                method, path = "PUT", f"/reviews/{key}/helpful"
            elif kind == "list":
                key = str(rng.randint(*PRODUCTS))
                method, path = "GET", f"/reviews?product_id={key}&sort={rng.choice(['newest', 'helpful', 'relevant'])}"
            else:
                key = str(rng.randint(*PRODUCTS))
                method, path = "GET", f"/reviews/meta?product_id={key}"
            t0 = time.monotonic()
            status, hdrs, data, err = client.request(method, path)
            record(kind, 1, status, key, hdrs, data, (time.monotonic() - t0) * 1000, err)
        client.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.close()


def read_records(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def psql(url, sql):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-F", ",", url, "-c", sql], check=True, capture_output=True,
                         text=True).stdout
    return [line.split(",") for line in out.splitlines() if line]


def requests_of(rows):
    """Logical requests: a POST and its retries are one, decided by its last attempt."""
    first, last = {}, {}
    for i, r in enumerate(rows):
        key = (r["kind"], r["key"]) if r["kind"] == "post" else i
        first.setdefault(key, r)
        last[key] = r
    return first, last


def failed(r):
    return int(r["status"]) != EXPECTED[r["kind"]]


def check(args):
    all_files = [read_records(p) for p in args.records]
    rows = all_files[-1]
    first, last = requests_of(rows)
    sent = len(first)
    first_errors = sum(failed(r) for r in first.values())
    after_retry = sum(failed(r) for r in last.values())
    attempts = len(rows)
    by_status = {}
    for r in rows:
        if failed(r):
            label = f"{r['kind']} {r['status'] if r['status'] != '0' else 'no answer'}"
            by_status[label] = by_status.get(label, 0) + 1

    # POSTs: every 201 is in the database exactly once; no submission is stored twice.
    stored = {name: int(n) for name, n in psql(args.psql,
              f"SELECT reviewer_name, count(*) FROM reviews WHERE reviewer_name LIKE 'faults-{rows[0]['tag'] if rows else ''}-%' "
              "GROUP BY reviewer_name")}
    posts = {k[1]: r for k, r in last.items() if isinstance(k, tuple)}
    created = [t for t, r in posts.items() if r["status"] == "201"]
    lost = sum(1 for t in created if stored.get(t, 0) == 0)
    duplicates = sum(n - 1 for n in stored.values() if n > 1)
    unknown_posts = [t for t, r in posts.items() if r["status"] != "201"]
    unknown_stored = sum(1 for t in unknown_posts if stored.get(t, 0) > 0)

    # Votes, over every scenario so far (the seeded reviews start at 0): counted == 204s, give or take the votes
    # whose answer was lost (their outcome is unknown to the client).
    ok_votes, unknown_votes = {}, {}
    for file_rows in all_files:
        for r in file_rows:
            if r["kind"] == "helpful":
                target = ok_votes if r["status"] == "204" else unknown_votes
                target[r["key"]] = target.get(r["key"], 0) + 1
    lo, hi = VOTE_REVIEWS
    counted = {rid: int(h) for rid, h in psql(args.psql, f"SELECT id, helpfulness FROM reviews WHERE id BETWEEN {lo} AND {hi}")}
    votes_lost = sum(max(0, n - counted.get(rid, 0)) for rid, n in ok_votes.items())
    votes_extra = sum(max(0, counted.get(rid, 0) - ok_votes.get(rid, 0) - unknown_votes.get(rid, 0))
                      for rid in counted)
    votes_unknown = sum(unknown_votes.values())

    rate = 100.0 * after_retry / sent if sent else 0.0
    seconds = max((float(r["t"]) for r in rows), default=0.0)
    print(f"  scenario {args.scenario}: {sent} requests in {seconds:.0f} s ({sent / max(seconds, 1):.0f}/s; "
          f"{attempts} attempts), {sum(1 for r in rows if r['kind'] == 'post' and r['attempt'] == '1')} POSTs, "
          f"{sum(1 for r in rows if r['kind'] == 'helpful')} votes")
    print(f"    first-attempt errors   {first_errors}" + (f"   ({', '.join(f'{k}: {v}' for k, v in sorted(by_status.items()))})" if by_status else ""))
    print(f"    errors after retry     {after_retry}   error rate {rate:.3f} %")
    print(f"    POSTs answered 201     {len(created)}   rows lost {lost}   duplicate rows {duplicates}"
          f"   (unanswered POSTs: {len(unknown_posts)}, of which stored {unknown_stored})")
    print(f"    votes expected (204s)  {sum(ok_votes.values())}   counted {sum(counted.values())}"
          f"   lost {votes_lost}   counted twice {votes_extra}   (unanswered votes: {votes_unknown};"
          f" votes are totals over {'this scenario' if len(all_files) == 1 else 'the scenarios so far'})")
    for token in sorted(t for t, n in stored.items() if n > 1)[:5]:
        tries = [f"{r['status'] if r['status'] != '0' else 'no answer'} at {r['t']} s" for r in rows
                 if r["kind"] == "post" and r["key"] == token]
        print(f"    stored {stored[token]} times: {token} (attempts: {', '.join(tries)})")
    goals = [(lost == 0, "a POST answered 201 is missing"), (duplicates == 0, "a POST is stored twice"),
             (votes_lost == 0, "a vote answered 204 is not counted"), (votes_extra == 0, "a vote is counted twice"),
             (sent > 0, "no request was sent")]
    if args.zero_errors:
        goals.append((first_errors == 0, "a request failed (the goal is 0 failed requests)"))
    else:
        goals.append((rate < 0.1, "error rate after retry is not below 0.1 %"))
    return verdict(goals)


def verdict(goals):
    """Prints each missed goal of [(ok, why)] and PASS/FAIL; returns the scenario's exit status."""
    missed = [why for ok, why in goals if not ok]
    for why in missed:
        print(f"    GOAL MISSED: {why}")
    print(f"    => {'PASS' if not missed else 'FAIL'}")
    return 1 if missed else 0


def rate(args):
    args.mix = "70,30,0,0"
    args.tag = "rate"
    load(args)
    rows = read_records(args.out)
    limited = [r for r in rows if r["status"] == "429"]
    with_retry_after = sum(1 for r in limited if r["retry_after"].isdigit())
    json_ok = sum(1 for r in limited if r["json_code"] == "429")
    other = sum(1 for r in rows if r["status"] not in ("200", "429"))
    print(f"  scenario rate: {len(rows)} reads from {args.source} in {args.seconds} s, {len(limited)} answered 429, "
          f"{with_retry_after} with Retry-After, {json_ok} with {{\"code\":429,...}}, {other} other non-200")
    goals = [(len(limited) > 0, "no 429 although the rate was exceeded"),
             (with_retry_after == len(limited), "a 429 without Retry-After"),
             (json_ok == len(limited), "a 429 without the JSON error shape"), (other == 0, "errors besides 429")]
    return verdict(goals)


def probe(args):
    client = Client(args.target, None, args.timeout)
    body = None
    headers = {}
    if args.body_bytes:
        body = b'{"body":"' + b"x" * args.body_bytes + b'"}'
        headers["Content-Type"] = "application/json"
    t0 = time.monotonic()
    status, hdrs, data, err = client.request(args.method, args.path, body, headers)
    seconds = time.monotonic() - t0
    code = json_code(status, data)
    retry_after = hdrs.get("retry-after", "")
    ok = status == args.expect and code == str(args.expect) and (status < 500 or retry_after.isdigit())
    print(f"  {args.method} {args.path}{f' ({len(body)} bytes)' if body else ''}: {status or err} in {seconds:.1f} s, "
          f"body {data[:120].decode(errors='replace')!s}, Retry-After {retry_after or '-'}"
          f"  => {'PASS' if ok else 'FAIL (expected ' + str(args.expect) + ' with its JSON error)'}")
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("load", "rate"):
        s = sub.add_parser(name)
        s.add_argument("--target", required=True)
        s.add_argument("--seconds", type=float, default=30)
        s.add_argument("--threads", type=int, default=12)
        s.add_argument("--out", required=True)
        s.add_argument("--source")
        if name == "load":
            s.add_argument("--tag", required=True)
            s.add_argument("--mix", default="55,25,10,10", help="weights of list,meta,post,helpful")
    c = sub.add_parser("check")
    c.add_argument("--psql", required=True)
    c.add_argument("--scenario", required=True)
    c.add_argument("--records", action="append", required=True)
    c.add_argument("--zero-errors", action="store_true")
    pr = sub.add_parser("probe")
    pr.add_argument("--target", required=True)
    pr.add_argument("--method", default="GET")
    pr.add_argument("--path", required=True)
    pr.add_argument("--expect", type=int, required=True)
    pr.add_argument("--body-bytes", type=int, default=0)
    pr.add_argument("--timeout", type=float, default=30)
    args = p.parse_args()
    if args.cmd == "load":
        load(args)
        return 0
    return {"check": check, "rate": rate, "probe": probe}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
