#!/usr/bin/env python3
"""Fills a freshly migrated Outcry SQLite store with a large, realistic history for the
dashboard's load check (scripts/bench_dashboard.sh): THREADS threads (most resolved, OPEN of
them open across the four open statuses), two mentions per thread by default, lifecycle events
(acknowledged, resolved…), contacts linked to a third of the mentions, 20 brands, five channels,
four segments, a few assignees; then ANALYZE.

Usage: gen_dashboard_store.py DB [--threads 500000] [--mentions 1000000] [--open 150000] [--seed 17]
The store must be empty and migrated (`outcry migrate`). Takes about a minute for the defaults.
"""
import argparse
import json
import random
import sqlite3
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("db")
p.add_argument("--threads", type=int, default=500_000)
p.add_argument("--mentions", type=int, default=1_000_000)
p.add_argument("--open", type=int, default=150_000)
p.add_argument("--seed", type=int, default=17)
a = p.parse_args()
if a.mentions < a.threads or a.open > a.threads:
    sys.exit("need mentions >= threads >= open")

rnd = random.Random(a.seed)
now = time.time()
db = sqlite3.connect(a.db)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=OFF")
db.execute("PRAGMA cache_size=-200000")
if db.execute("SELECT COUNT(*) FROM threads").fetchone()[0]:
    sys.exit(f"{a.db}: already has threads; start from an empty, migrated store")

CHANNELS = [("feed", "feed"), ("social", "json"), ("mail", "imap"), ("review", "feed"), ("forum", "feed")]
SOURCES = [(f"src{i:02d}", CHANNELS[i % len(CHANNELS)]) for i in range(40)]
BRANDS = [f"Brand{i}" for i in range(20)]
SEGMENTS = ["gold", "silver", "bronze", None]
ASSIGNEES = [None, None, None, ("person", "ana"), ("person", "ben"), ("person", "chloe"), ("team", "billing"), ("team", "social")]
OPEN_STATUSES = ["new", "new", "new", "acknowledged", "acknowledged", "responded", "on_hold"]
SEVERITIES = [("P1", 1, 0.02), ("P2", 2, 0.10), ("P3", 3, 0.38), ("P4", 4, 0.30), ("none", 5, 0.20)]
URGENCIES = ["[]"] * 18 + ['["legal"]', '["safety","press"]']
WORDS = ("refund order delivery broken waiting support account charged twice cancel app crash "
         "login password shipping late damaged manager email phone hours still nobody answered").split()


def severity():
    x, acc = rnd.random(), 0.0
    for name, rank, share in SEVERITIES:
        acc += share
        if x < acc:
            return name, rank
    return "none", 5


def sentence(n):
    return " ".join(rnd.choice(WORDS) for _ in range(n))


db.executemany(
    "INSERT INTO sources (name, config_url, url, kind, interval_seconds, next_poll_at, created_at, disabled) VALUES (?,?,?,?,?,?,?,1)",
    [(name, f"http://127.0.0.1:1/{name}", f"http://127.0.0.1:1/{name}", kind, 900, now + 86400 * 365, now - 86400 * 400)
     for name, (_, kind) in SOURCES])

# Which threads are open: spread over the whole id range (newer ones more often).
open_ids = set()
while len(open_ids) < a.open:
    open_ids.add(a.threads - int(rnd.betavariate(1, 2.5) * a.threads))
open_ids = {i for i in open_ids if 1 <= i <= a.threads}
while len(open_ids) < a.open:
    open_ids.add(rnd.randint(1, a.threads))

year = 365 * 86400
per_thread = a.mentions // a.threads
extra = a.mentions - per_thread * a.threads
threads, mentions, events, links = [], [], [], []
mention_id = 0
contact_count = 100_000
db.executemany(
    "INSERT INTO contacts (id, external_id, name, company, segment, tier, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
    [(c, f"crm-{c}", f"Customer {c}", f"Company {c % 5000}", SEGMENTS[c % 3], SEGMENTS[c % 3], now - year, now - year)
     for c in range(1, contact_count + 1)])


def flush():
    db.executemany("INSERT INTO threads (id, key, status, severity, severity_rank, title, source_name, channel, author_name, "
                   "author_handle, opened_at, last_mention_at, mention_count, summary, assignee_kind, assignee_name, "
                   "next_wake_up, clocks_evaluated_at, brand, segment) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", threads)
    db.executemany("INSERT INTO mentions (id, source_name, key, channel, url, title, text, author_name, author_handle, "
                   "published_at, fetched_at, language, content_hash, thread_id, sentiment, sentiment_label, complaint_score, "
                   "is_complaint, urgency, severity, reasons, brand) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", mentions)
    db.executemany("INSERT INTO thread_events (thread_id, kind, actor, at, from_status, to_status, note, assignee_kind, assignee_name) "
                   "VALUES (?,?,?,?,?,?,?,?,?)", events)
    db.executemany("INSERT INTO mention_links (mention_id, outcome, contact_id, confidence, reason, linked_at) VALUES (?,?,?,?,?,?)", links)
    for rows in (threads, mentions, events, links):
        rows.clear()


started = time.time()
for t in range(1, a.threads + 1):
    is_open = t in open_ids
    # Threads are opened in id order over the last year; open ones are recent-ish.
    opened = now - year + year * t / a.threads - rnd.random() * 3600
    if is_open:
        opened = min(opened, now - rnd.random() * 20 * 86400)
    sev, rank = severity()
    source, (channel, _) = SOURCES[t % len(SOURCES)]
    brand = BRANDS[rnd.randrange(len(BRANDS))]
    segment = SEGMENTS[rnd.randrange(len(SEGMENTS))]
    status = rnd.choice(OPEN_STATUSES) if is_open else "resolved"
    assignee = rnd.choice(ASSIGNEES) if status != "new" else None
    author = f"user{rnd.randrange(300_000)}"
    count = per_thread + (1 if t <= extra else 0)
    title = sentence(6).capitalize()
    last = opened + (count - 1) * 1800
    wake = now + 30 * 86400 if is_open else None
    threads.append((t, f"thread-{t}", status, sev, rank, title, source, channel, author.title(), "@" + author, opened, last,
                    count, sentence(12), assignee[0] if assignee else None, assignee[1] if assignee else None,
                    wake, now if is_open else None, brand, segment))
    for j in range(count):
        mention_id += 1
        at = opened + j * 1800
        sentiment = round(rnd.uniform(-1, 0.6), 3)
        reasons = json.dumps([{"rule": "lexicon", "evidence": rnd.choice(WORDS), "weight": round(sentiment, 2)}],
                             separators=(",", ":"))
        mentions.append((mention_id, source, f"m-{mention_id}", channel, f"https://example.org/{source}/{mention_id}", title,
                         f"@{brand.lower()} " + sentence(rnd.randint(12, 40)), author.title(), "@" + author, at, at + 60,
                         "en", f"{mention_id:016x}", t, sentiment,
                         "negative" if sentiment < -0.05 else ("positive" if sentiment > 0.05 else "neutral"),
                         round(rnd.random(), 3), 1 if rnd.random() < 0.6 else 0, rnd.choice(URGENCIES),
                         sev if j == 0 else "P4", reasons, brand))
        if mention_id % 3 == 0:
            links.append((mention_id, "linked", rnd.randint(1, contact_count), 0.9, "email matches", at + 60))
    if status != "new":
        who = assignee[1] if assignee and assignee[0] == "person" else "ana"
        ack = opened + rnd.uniform(300, 4 * 3600)
        events.append((t, "acknowledged", f"web:{who}", ack, "new", "acknowledged", None, None, None))
        if status in ("responded", "resolved"):
            events.append((t, "responded", f"web:{who}", ack + rnd.uniform(300, 8 * 3600), "acknowledged", "responded", None, None, None))
        if status == "on_hold":
            events.append((t, "put_on_hold", f"web:{who}", ack + 600, "acknowledged", "on_hold", "waiting for the customer", None, None))
        if status == "resolved":
            events.append((t, "resolved", f"web:{who}", last + rnd.uniform(3600, 3 * 86400), "responded", "resolved", None, None, None))
    if len(threads) >= 20_000:
        flush()
        db.commit()
flush()
db.execute("UPDATE sqlite_sequence SET seq = (SELECT MAX(id) FROM threads) WHERE name = 'threads'")
db.execute("UPDATE sqlite_sequence SET seq = (SELECT MAX(id) FROM mentions) WHERE name = 'mentions'")
db.commit()
db.execute("ANALYZE")
db.commit()
counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("threads", "mentions", "thread_events", "contacts", "mention_links")}
counts["open threads"] = db.execute("SELECT COUNT(*) FROM threads WHERE status <> 'resolved'").fetchone()[0]
print(f"gen_dashboard_store: {counts} in {time.time() - started:.0f} s")
