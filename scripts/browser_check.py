#!/usr/bin/env python3
"""Headless Chromium against the dashboard (issue 17): no script payload in sample data runs.

Starts Outcry (`outcry run`, SQLite, a local feed) on sample mentions whose text and HTML carry
script payloads (<script>, onerror=, javascript: links, SVG and MathML xlink:href, <animate> on
href); each payload tries to change document.title. Logs in (the session cookie is handed to
the browser through the DevTools protocol), loads the queue, every thread page and the reports
page in headless Chromium, waits for the page to settle, and reads document.title and the DOM
back; then loads them again with `chromium --dump-dom` and reads the serialised <title>. Any
changed title fails the check; a control page with a payload left unescaped must change it. Screenshots and DOM dumps are saved in
.build/browser-check/ (look at them).

Usage: scripts/browser_check.py [path/to/outcry]   (exit 0 passed, 1 failed, 77 skipped: no chromium)
"""
import base64, http.client, http.cookiejar, json, os, re, shutil, socket, struct, subprocess, sys, tempfile, time
import urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ART = os.path.join(ROOT, ".build", "browser-check")
PWNED = "pwned"
PASSWORD = "browser-check-password-1"

PAYLOADS = [
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "<a href=\"javascript:document.title='pwned'\">click for refund</a>",
    "<svg><a xlink:href=\"javascript:document.title='pwned'\"><text x=\"0\" y=\"20\">svg link</text></a></svg>",
    "<math><mi xlink:href=\"javascript:document.title='pwned'\">math link</mi></math>",
    "<svg><a><animate attributeName=\"href\" to=\"javascript:document.title='pwned'\"/><text y=\"20\">animated</text></a></svg>",
    "<svg onload=\"document.title='pwned'\"></svg>",
    "<iframe srcdoc=\"<script>parent.document.title='pwned'</script>\"></iframe>",
]


def feed():
    items = []
    for n, payload in enumerate(PAYLOADS):
        text = f"My refund never came, this is the worst service ever and my lawyer will sue you {n} {payload}"
        esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        items.append(f"""<item><title>{esc(payload)} refund never came {n}</title>
<link>javascript:document.title='pwned'</link><guid>payload-{n}</guid>
<author>attacker{n}@example.org (Attacker {n} &lt;img src=x onerror=document.title='pwned'&gt;)</author>
<pubDate>Thu, 03 Dec 2026 0{n % 10}:00:00 GMT</pubDate>
<description>{esc(text)}</description></item>""")
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>hostile</title><link>https://example.org/</link>
<description>payloads</description>{''.join(items)}</channel></rss>"""


class DevTools:
    """A minimal WebSocket client for the Chrome DevTools protocol (stdlib only)."""

    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"devtools handshake failed: {head!r}")
        self.next_id = 0

    def _send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(data) < 126:
            header += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise RuntimeError("devtools connection closed")
            buf += chunk
        return buf

    def _receive(self):
        message = b""
        while True:
            b1, b2 = self._exact(2)
            length = b2 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._exact(8))[0]
            payload = self._exact(length)
            message += payload
            if b1 & 0x80:
                return message.decode()

    def call(self, method, **params):
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self._receive())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})


def wait_http(url, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read().decode()
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf": csrf, "next": "/", "name": "admin", "password": PASSWORD}).encode()
    opener.open(base + "/login", body).read()
    session = next((c.value for c in jar if c.name == "outcry_session"), None)
    if not session:
        raise RuntimeError("login failed: no session cookie")
    queue = opener.open(base + "/").read().decode()
    threads = sorted(set(re.findall(r'data-thread="(\d+)"', queue)), key=int)
    return session, threads


def main():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("browser check: skipped (no chromium; scripts/setup.sh --test installs it)")
        return 77
    outcry = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "outcry")
    os.makedirs(ART, exist_ok=True)
    work = tempfile.mkdtemp(prefix="outcry-browser-")
    port = free_port()
    with open(os.path.join(work, "hostile.rss"), "w") as f:
        f.write(feed())
    config = os.path.join(work, "outcry.yaml")
    with open(config, "w") as f:
        f.write(f"""data_dir: {work}/data
sources:
  - name: hostile <b>feed</b>
    url: {work}/hostile.rss
web:
  listen: 127.0.0.1:{port}
""")
    env = dict(os.environ, OUTCRY_CONFIG=config)
    run = lambda *args, **kw: subprocess.run([outcry, *args, "--config", config], env=env, check=True, capture_output=True, text=True, **kw)
    run("poll")
    run("users", "add", "admin", "--role", "admin", input=PASSWORD + "\n")
    server = subprocess.Popen([outcry, "run", "--config", config], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    browser = None
    failures = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/healthz")
        session, threads = login(base)
        if len(threads) < 4:
            failures.append(f"expected the payload mentions to open threads, found {len(threads)}")
        profile = os.path.join(work, "chromium")
        browser = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                    "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1400,1000",
                                    "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        active = os.path.join(profile, "DevToolsActivePort")
        end = time.time() + 60
        while not os.path.exists(active) and time.time() < end:
            time.sleep(0.1)
        devtools_port = int(open(active).read().split()[0])
        targets = json.loads(wait_http(f"http://127.0.0.1:{devtools_port}/json/list"))
        page = next(t for t in targets if t.get("type") == "page")
        tools = DevTools(page["webSocketDebuggerUrl"])
        tools.call("Page.enable")
        tools.call("Network.setCookie", name="outcry_session", value=session, url=base, httpOnly=True, sameSite="Lax",
                   expires=time.time() + 3600)
        # The control: the same payload on a page that does not escape it does run in this
        # browser (scripts are on), so an unchanged title below means the dashboard stopped it.
        tools.call("Page.navigate", url="data:text/html," + urllib.parse.quote(PAYLOADS[1] + "<title>control</title>"))
        time.sleep(1.5)
        control = tools.call("Runtime.evaluate", expression="document.title")["result"].get("value")
        print(f"browser check: control page (payload unescaped): title {control!r}")
        if control != PWNED:
            failures.append(f"the control payload did not run (title {control!r}): the check would prove nothing")
        pages = [("queue", "/", "Queue — Outcry"), ("reports", "/reports", "Reports — Outcry")]
        pages += [(f"thread-{t}", f"/threads/{t}", f"Thread {t} — Outcry") for t in threads]
        for name, path, expected in pages:
            tools.call("Page.navigate", url=base + path)
            end = time.time() + 30
            while tools.call("Runtime.evaluate", expression="document.readyState")["result"].get("value") != "complete":
                if time.time() > end:
                    raise RuntimeError(f"{path} did not finish loading")
                time.sleep(0.1)
            time.sleep(1.5)  # lets images fail (onerror), SVG animate and the live-queue script run
            title = tools.call("Runtime.evaluate", expression="document.title")["result"].get("value")
            dom = tools.call("Runtime.evaluate", expression="document.documentElement.outerHTML")["result"].get("value", "")
            shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
            with open(os.path.join(ART, f"{name}.png"), "wb") as f:
                f.write(base64.b64decode(shot))
            with open(os.path.join(ART, f"{name}.html"), "w") as f:
                f.write(dom)
            ok = title == expected and PWNED not in (title or "")
            print(f"browser check: {path}: title {title!r} {'ok' if ok else 'CHANGED'}")
            if not ok:
                failures.append(f"{path}: document.title is {title!r}, expected {expected!r}")
            if path.startswith("/threads/") and "refund never came" not in dom:
                failures.append(f"{path}: the mention text is not on the page (did the login work?)")
        # The same pages through `chromium --dump-dom` (a second browser on the same profile:
        # the session cookie was stored there): the serialised DOM's <title> is unchanged.
        try:
            tools.call("Browser.close")  # a clean exit writes the cookie store to the profile
        except RuntimeError:
            pass
        browser.wait(timeout=30)
        browser = None
        for name, path, expected in pages:
            dumped = subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                     f"--user-data-dir={profile}", "--timeout=4000", "--dump-dom", base + path],
                                    capture_output=True, text=True, timeout=120).stdout
            match = re.search(r"<title>(.*?)</title>", dumped, re.S)
            title = match.group(1).replace("&amp;", "&") if match else None
            ok = title == expected
            print(f"browser check: --dump-dom {path}: <title> {title!r} {'ok' if ok else 'CHANGED'}")
            if not ok:
                failures.append(f"--dump-dom {path}: <title> is {title!r}, expected {expected!r}")
    finally:
        if browser:
            browser.terminate()
            browser.wait(timeout=30)
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print("browser check: FAILED: " + failure)
    print(f"browser check: {'passed' if not failures else 'failed'}; screenshots in {os.path.relpath(ART, ROOT)}/")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
