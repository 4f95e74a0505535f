#!/usr/bin/env python3
"""Compare `outcry parse mail` with Python's `email` package on a corpus of messages.

For every file under the corpus directories (recursively, every file, mail or not) this
runs `outcry parse mail FILE`, and parses the same bytes with
`email.message_from_bytes(data, policy=policy.default)`. Then it compares five fields:

  subject     str(msg['subject']); None when the header is absent.
  from        first address of msg['from'].addresses as (display_name, addr_spec);
              None when the header is absent or holds no address.
              Ours: the `from` object {"name","email"}.
  message_id  str(msg['message-id']); None when absent. Ours: `message_id`.
  date        msg['date'].datetime as an instant (a naive datetime, from "-0000",
              counts as UTC); None when absent or unparseable. Ours: `date` (ISO 8601).
  text200     the first 200 characters of the best plain text.
              Python: msg.get_body(preferencelist=('plain', 'html')); its get_content()
              (a str). When that is text/html, it is turned into text by HTMLText below
              (html.parser: character data only; script/style/head/title/template/
              noscript content, comments and declarations dropped; block elements
              separate words; entities unescaped). No body part, or get_content()
              raising (an unknown charset), gives "".
              Ours: `text`.

Normalisation, the same on both sides:
  * every string: Unicode NFC; U+00A0 (no-break space) is a space;
  * subject, display names and text: every run of whitespace (str.isspace(), which
    includes CR, LF, tab, form feed) becomes one space, then leading/trailing spaces go;
  * message ids: surrounding whitespace and one pair of angle brackets are removed
    (outcry stores ids without brackets, the form threading uses);
  * addr_spec: surrounding whitespace removed; compared case-sensitively;
  * text200: normalised as above, then cut to 200 characters.

A disagreement that is listed in the allow-list file (FILE FIELD  # why) is reported as
"known"; any other disagreement, any crash (non-zero exit, no JSON, a timeout) fails the
run. Allow-list entries that now agree are reported as stale (a warning, not a failure).

Usage: mail_compare.py --outcry .build/debug/outcry [--known scripts/mail_compare_known.txt]
                       [--show] CORPUS_DIR...
"""
import argparse
import datetime as dt
import email
import email.policy
import html.parser
import json
import os
import subprocess
import sys
import unicodedata

FIELDS = ("subject", "from", "message_id", "date", "text200")


class HTMLText(html.parser.HTMLParser):
    """Character data of an HTML document, as a reader sees it.

    Content of script, style, head, title, template and noscript is dropped (a <body>
    start tag ends an unclosed <head>); comments and declarations are dropped; block
    elements (BLOCKS: the start or end tag, and <br>) separate words with a space; entities
    are unescaped (convert_charrefs). Nothing else: no list markers, no link targets, no
    alt text. After the whitespace squash below this is comparable with outcry's
    HTMLToText, which writes newlines/blank lines/tabs at the same places.
    """

    HIDDEN = {"script", "style", "head", "title", "template", "noscript"}
    BLOCKS = {
        "br", "div", "li", "tr", "ul", "ol", "dl", "dt", "dd", "hr", "section", "article", "header", "footer",
        "nav", "aside", "main", "address", "center", "form", "fieldset", "figure", "figcaption", "caption",
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "pre", "td", "th",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = []

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.hidden = [t for t in self.hidden if t not in ("head", "title")]
        if tag in self.HIDDEN:
            self.hidden.append(tag)
        elif tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and tag in self.hidden:
            while self.hidden and self.hidden.pop() != tag:
                pass
        elif tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_text(source):
    parser = HTMLText()
    try:
        parser.feed(source)
        parser.close()
    except Exception:  # html.parser is lenient; be safe anyway
        pass
    return "".join(parser.parts)


def squash(s):
    if s is None:
        return None
    s = unicodedata.normalize("NFC", s).replace("\u00a0", " ")
    return " ".join(s.split())


def norm_id(s):
    if s is None:
        return None
    s = unicodedata.normalize("NFC", s).strip()
    if s.startswith("<") and s.endswith(">"):
        s = s[1:-1]
    return s


def norm_from(name, addr):
    if name is None and addr is None:
        return None
    return (squash(name or ""), unicodedata.normalize("NFC", (addr or "")).strip())


def instant(value):
    """An ISO 8601 string or a datetime → seconds since the epoch (naive = UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return ("unparsable", value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.timestamp()


def header_str(msg, name):
    try:
        value = msg[name]
    except Exception as e:  # a header the policy cannot even build
        return f"<python error {type(e).__name__}>"
    return None if value is None else str(value)


def python_view(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    view = {}
    view["subject"] = squash(header_str(msg, "subject"))
    view["message_id"] = norm_id(header_str(msg, "message-id"))
    sender = None
    try:
        header = msg["from"]
        if header is not None and header.addresses:
            first = header.addresses[0]
            sender = norm_from(first.display_name, first.addr_spec)
    except Exception:
        sender = None
    view["from"] = sender
    when = None
    try:
        header = msg["date"]
        if header is not None and header.datetime is not None:
            when = instant(header.datetime)
    except Exception:
        when = None
    view["date"] = when
    text = ""
    try:
        body = msg.get_body(preferencelist=("plain", "html"))
        if body is not None:
            content = body.get_content()
            if isinstance(content, str):
                text = html_to_text(content) if body.get_content_subtype() == "html" else content
    except Exception:
        text = ""
    view["text200"] = squash(text)[:200]
    return view


def outcry_view(result):
    view = {}
    view["subject"] = squash(result.get("subject"))
    view["message_id"] = norm_id(result.get("message_id"))
    sender = result.get("from")
    view["from"] = norm_from(sender.get("name"), sender.get("email")) if sender else None
    view["date"] = instant(result.get("date"))
    view["text200"] = squash(result.get("text") or "")[:200]
    return view


def load_known(path):
    known = {}
    if not path or not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 2 or parts[1] not in FIELDS:
                sys.exit(f"{path}:{number}: expected 'FILE FIELD  # reason', got {line!r}")
            known.setdefault(parts[0], set()).add(parts[1])
    return known


def corpus_files(dirs):
    for root_dir in dirs:
        for root, _, names in os.walk(root_dir):
            for name in sorted(names):
                yield os.path.join(root, name)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outcry", required=True, help="path to the outcry binary")
    ap.add_argument("--known", help="allow-list file: FILE FIELD  # why Python is wrong")
    ap.add_argument("--base", help="directory the allow-list paths are relative to (default: common corpus parent)")
    ap.add_argument("--show", action="store_true", help="print both values of every disagreement")
    ap.add_argument("corpus", nargs="+")
    args = ap.parse_args()

    base = args.base or os.path.commonpath([os.path.abspath(d) for d in args.corpus])
    known = load_known(args.known)
    agree = {f: 0 for f in FIELDS}
    total = 0
    crashes, unexpected, expected, stale = [], [], [], []
    for path in sorted(corpus_files(args.corpus)):
        rel = os.path.relpath(os.path.abspath(path), base)
        total += 1
        with open(path, "rb") as f:
            data = f.read()
        try:
            run = subprocess.run([args.outcry, "parse", "mail", path], capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            crashes.append((rel, "timeout after 60 s"))
            continue
        if run.returncode != 0:
            crashes.append((rel, f"exit {run.returncode}: {run.stderr.decode(errors='replace')[-300:]}"))
            continue
        try:
            ours = outcry_view(json.loads(run.stdout))
        except Exception as e:
            crashes.append((rel, f"bad JSON: {e}"))
            continue
        theirs = python_view(data)
        allowed = known.get(rel, set())
        for field in FIELDS:
            if ours[field] == theirs[field]:
                agree[field] += 1
                if field in allowed:
                    stale.append((rel, field))
            elif field in allowed:
                expected.append((rel, field, theirs[field], ours[field]))
            else:
                unexpected.append((rel, field, theirs[field], ours[field]))

    print(f"{total} files, {len(crashes)} crashes")
    for field in FIELDS:
        print(f"  {field:<11} {agree[field]:>4}/{total} agree ({100.0 * agree[field] / max(total, 1):.1f}%)")
    print(f"  {len(expected)} known disagreements (allow-listed), {len(unexpected)} unexpected")
    for rel, why in crashes:
        print(f"CRASH {rel}: {why}")
    for rel, field, theirs, ours in unexpected:
        print(f"DIFF  {rel} {field}")
        print(f"      python: {theirs!r}")
        print(f"      outcry: {ours!r}")
    if args.show:
        for rel, field, theirs, ours in expected:
            print(f"known {rel} {field}\n      python: {theirs!r}\n      outcry: {ours!r}")
    for rel, field in stale:
        print(f"warning: stale allow-list entry (now agrees): {rel} {field}")
    return 1 if crashes or unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
