#!/usr/bin/env python3
"""A tiny fake NCBI E-utilities server on 127.0.0.1 for benches/scale.sh (no network).

Serves esearch.fcgi and efetch.fcgi (db=pubmed and db=pmc) from local PubMed XML files:
  - records: every <PubmedArticle> of the given files, by PMID (found by one regex pass,
    served from a memory map, so the server's own memory stays small);
  - entrez dates: the first file's records are spread evenly over 2000/01/01..2025/12/31, the
    records of later files are dated today (what an incremental search finds); the later files
    are only visible once the file named by --extra-flag exists;
  - esearch honours mindate/maxdate (YYYY/MM/DD, YYYY/MM or YYYY) and retmax, and gives no
    history (WebEnv), so the client fetches by id list;
  - efetch db=pmc answers an empty <pmc-articleset> (no open-access full text).

Usage: fake_eutils.py PORT_FILE [--extra-flag PATH] RECORDS.xml [EXTRA.xml ...]
Writes the port it listens on to PORT_FILE, then serves until killed.
"""
import datetime as dt
import mmap
import re
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REC = re.compile(rb'<PubmedArticle>.*?</PubmedArticle>', re.S)
PMID = re.compile(rb'<PMID[^>]*>(\d+)</PMID>')


def day(s: str, end: bool) -> dt.date:
    parts = [int(p) for p in s.split("/")]
    y = parts[0]
    m = parts[1] if len(parts) > 1 else (12 if end else 1)
    if len(parts) > 2:
        return dt.date(y, m, parts[2])
    if end:
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(y, m, 1)


def load(paths):
    maps, index, dates = [], {}, {}
    start, span = dt.date(2000, 1, 1), (dt.date(2025, 12, 31) - dt.date(2000, 1, 1)).days
    today = dt.date.today()
    for n, p in enumerate(paths):
        f = open(p, "rb")
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        maps.append(m)
        spans = [(x.start(), x.end()) for x in REC.finditer(m)]
        for i, (a, b) in enumerate(spans):
            pmid = int(PMID.search(m, a, b).group(1))
            index[pmid] = (len(maps) - 1, a, b)
            dates[pmid] = (n, start + dt.timedelta(days=span * i // max(1, len(spans))) if n == 0 else today)
    return maps, index, dates


def main():
    args = sys.argv[1:]
    port_file = Path(args.pop(0))
    flag = None
    if args and args[0] == "--extra-flag":
        args.pop(0)
        flag = Path(args.pop(0))
    maps, index, dates = load(args)
    ordered = sorted(index)

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, body: bytes, status=200):
            self.send_response(status)
            self.send_header("Content-Type", "text/xml; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def params(self):
            u = urllib.parse.urlparse(self.path)
            q = dict(urllib.parse.parse_qsl(u.query))
            if self.command == "POST":
                n = int(self.headers.get("Content-Length", 0))
                q.update(urllib.parse.parse_qsl(self.rfile.read(n).decode()))
            return u.path.rsplit("/", 1)[-1], q

        def do_GET(self):
            self.handle_request()

        def do_POST(self):
            self.handle_request()

        def handle_request(self):
            util, q = self.params()
            extra_visible = flag is None or flag.exists()
            if util == "esearch.fcgi":
                lo = day(q["mindate"], False) if "mindate" in q else dt.date.min
                hi = day(q["maxdate"], True) if "maxdate" in q else dt.date.max
                ids = [p for p in ordered
                       if lo <= dates[p][1] <= hi and (dates[p][0] == 0 or extra_visible)]
                retmax = int(q.get("retmax", 20))
                body = ("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<eSearchResult>"
                        f"<Count>{len(ids)}</Count><RetMax>{min(retmax, len(ids))}</RetMax>"
                        "<RetStart>0</RetStart><IdList>"
                        + "".join(f"<Id>{p}</Id>" for p in ids[:retmax])
                        + "</IdList><TranslationSet/><QueryTranslation>synthetic</QueryTranslation>"
                        "</eSearchResult>\n")
                return self.reply(body.encode())
            if util == "efetch.fcgi" and q.get("db") == "pmc":
                return self.reply(b"<?xml version=\"1.0\" ?>\n<pmc-articleset></pmc-articleset>\n")
            if util == "efetch.fcgi":
                out = [b"<?xml version=\"1.0\" ?>\n<PubmedArticleSet>\n"]
                for s in q.get("id", "").split(","):
                    s = s.strip()
                    if s.isdigit() and int(s) in index:
                        m, a, b = index[int(s)]
                        out.append(maps[m][a:b])
                        out.append(b"\n")
                out.append(b"</PubmedArticleSet>\n")
                return self.reply(b"".join(out))
            self.reply(b"<ERROR>unknown utility</ERROR>", 404)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    port_file.write_text(str(srv.server_address[1]))
    srv.serve_forever()


if __name__ == "__main__":
    main()
