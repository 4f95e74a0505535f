#!/usr/bin/env python3
"""Writes ~5 MB RSS 2.0, Atom 1.0 and JSON Feed 1.1 files of short social posts for bench_parse.sh."""
import json, random, sys, os
from xml.sax.saxutils import escape

out = sys.argv[1] if len(sys.argv) > 1 else ".build/bench"
target = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
os.makedirs(out, exist_ok=True)
rnd = random.Random(42)
words = ("service outage refund broken app login support slow awful great thanks love hate waiting "
         "order delivery late account charged twice cancel subscription help urgent please fix today "
         "customer phone email again still nobody answers weekend update crash battery screen").split()

def post(i):
    n = rnd.randint(8, 40)
    text = " ".join(rnd.choice(words) for _ in range(n)).capitalize() + "."
    if i % 3 == 0:
        text += ' See <a href="/status/%d">status</a> &amp; <b>updates</b>.' % i
    return {"id": "tag:social.example,2024:post-%d" % i, "url": "https://social.example/@user%d/%d" % (i % 997, i),
            "title": text[:60], "html": "<p>%s</p>" % text, "author": "User %d" % (i % 997),
            "date": "2024-%02d-%02dT%02d:%02d:%02dZ" % (1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60),
            "rfc822": "Mon, %02d Jan 2024 %02d:%02d:%02d +0000" % (1 + i % 28, i % 24, i % 60, (i * 7) % 60),
            "tags": [rnd.choice(words), rnd.choice(words)]}

def build(kind):
    parts, i, size = [], 0, 0
    while size < target:
        p = post(i); i += 1
        if kind == "rss":
            s = ("<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">%s</guid><pubDate>%s</pubDate>"
                 "<author>user%d@social.example (%s)</author><category>%s</category><description>%s</description></item>\n"
                 % (escape(p["title"]), p["url"], p["id"], p["rfc822"], i % 997, p["author"], p["tags"][0], escape(p["html"])))
        elif kind == "atom":
            s = ("<entry><title>%s</title><link rel=\"alternate\" href=\"%s\"/><id>%s</id><updated>%s</updated>"
                 "<author><name>%s</name></author><category term=\"%s\"/><content type=\"html\">%s</content></entry>\n"
                 % (escape(p["title"]), p["url"], p["id"], p["date"], p["author"], p["tags"][0], escape(p["html"])))
        else:
            s = json.dumps({"id": p["id"], "url": p["url"], "title": p["title"], "content_html": p["html"],
                            "date_published": p["date"], "authors": [{"name": p["author"]}], "tags": p["tags"]})
        parts.append(s); size += len(s)
    if kind == "rss":
        return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Mentions</title>'
                '<link>https://social.example/</link><description>bench</description><ttl>15</ttl>\n'
                + "".join(parts) + "</channel></rss>\n"), i
    if kind == "atom":
        return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Mentions</title>'
                '<id>urn:bench</id><updated>2024-01-01T00:00:00Z</updated>\n' + "".join(parts) + "</feed>\n"), i
    return ('{"version":"https://jsonfeed.org/version/1.1","title":"Mentions","items":[\n'
            + ",\n".join(parts) + "]}\n"), i

for kind, ext in (("rss", "xml"), ("atom", "xml"), ("json", "json")):
    text, n = build(kind)
    path = os.path.join(out, "bench-%s.%s" % (kind, ext))
    open(path, "w").write(text)
    print("%s: %d items, %.1f MB" % (path, n, len(text) / 1e6))
