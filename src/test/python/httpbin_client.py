"""Checks a vxnet fixture the way an httpbin client would, with Python's standard library only.

Usage: python3 httpbin_client.py BASE_URL [CA_FILE]
  BASE_URL  http://127.0.0.1:PORT or https://127.0.0.1:PORT (the certificate is verified against CA_FILE)

Each check mirrors what httpbin's own test suite and documentation promise of an endpoint (key sets, values,
statuses, headers). Prints one line per check and exits 1 at the first failure, naming it.
"""
import base64
import gzip
import http.client
import json
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

BASE = sys.argv[1].rstrip("/")
CONTEXT = ssl.create_default_context(cafile=sys.argv[2]) if BASE.startswith("https") and len(sys.argv) > 2 else None
PARSED = urllib.parse.urlsplit(BASE)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CONTEXT), NoRedirect())
FOLLOWING = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CONTEXT))


def call(path, method="GET", data=None, headers=None, follow=False):
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers or {})
    try:
        response = (FOLLOWING if follow else OPENER).open(request, timeout=20)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read()


def check(name, condition, detail=""):
    if not condition:
        print("FAILED: %s %s" % (name, detail))
        sys.exit(1)
    print("ok: " + name)


def main():
    status, headers, body = call("/get?a=1&a=2&b=x", headers={"User-Agent": "test"})
    data = json.loads(body)
    check("get status", status == 200, status)
    check("get keys", set(data) == {"args", "headers", "origin", "url"}, sorted(data))
    check("get args", data["args"] == {"a": ["1", "2"], "b": "x"}, data["args"])
    check("get Host", data["headers"]["Host"] == PARSED.netloc, data["headers"])
    check("get User-Agent", data["headers"]["User-Agent"] == "test", data["headers"])
    check("get url", data["url"] == BASE + "/get?a=1&a=2&b=x", data["url"])
    check("get ends with a newline", body.endswith(b"\n"))

    status, _, body = call("/anything/foo/bar")
    data = json.loads(body)
    check("anything keys", set(data) == {"args", "data", "files", "form", "headers", "json", "method", "origin", "url"}, sorted(data))
    check("anything method and url", data["method"] == "GET" and data["url"] == BASE + "/anything/foo/bar", data)

    status, _, body = call("/post", "POST", "оживлённым".encode("utf-8"), {"Content-Type": "text/plain; charset=utf-8"})
    check("post unicode data", json.loads(body)["data"] == "оживлённым")
    status, _, body = call("/post", "POST", json.dumps({"animal": "dog"}).encode(), {"Content-Type": "application/json"})
    check("post json", json.loads(body)["json"] == {"animal": "dog"})
    status, _, body = call("/post", "POST", urllib.parse.urlencode({"k": "v"}).encode())
    check("post form", json.loads(body)["form"] == {"k": "v"})
    multipart = (b'--bound\r\nContent-Disposition: form-data; name="media"; filename="test.bin"\r\n\r\n\xa5\xc6\n'
                 b'--bound\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n--bound--\r\n')
    status, _, body = call("/post", "POST", multipart, {"Content-Type": "multipart/form-data; boundary=bound"})
    data = json.loads(body)
    check("post file without a content type", status == 200 and data["files"]["media"].startswith("data:application/octet-stream;base64,"), data)
    check("post multipart field", data["form"] == {"f": "v"}, data["form"])

    status, _, body = call("/headers?show_env=1", headers={"Via": "bar"})
    check("headers show_env", json.loads(body)["headers"].get("Via") == "bar")
    status, _, body = call("/headers", headers={"Via": "bar"})
    check("headers hide env", "Via" not in json.loads(body)["headers"])
    check("user-agent", json.loads(call("/user-agent", headers={"User-Agent": "test"})[2]) == {"user-agent": "test"})
    check("ip", json.loads(call("/ip")[2]) == {"origin": "127.0.0.1"})
    check("uuid", len(json.loads(call("/uuid")[2])["uuid"]) == 36)

    greeting = "Здравствуй, мир!"
    encoded = base64.urlsafe_b64encode(greeting.encode("utf-8")).decode()
    check("base64", call("/base64/" + encoded)[2].decode("utf-8") == greeting)

    status, headers, body = call("/gzip")
    check("gzip", headers["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(body))["gzipped"] is True)
    status, headers, body = call("/deflate")
    check("deflate", headers["Content-Encoding"] == "deflate" and json.loads(zlib.decompress(body))["deflated"] is True)

    check("status 418", call("/status/418")[0] == 418)
    check("status weighted", call("/status/200:0,503:1")[0] == 503)
    check("status invalid", call("/status/4!9")[0] == 400)
    check("status 401 challenge", call("/status/401")[1]["WWW-Authenticate"] == 'Basic realm="Fake Realm"')

    status, headers, _ = call("/redirect/3")
    check("redirect relative", status == 302 and headers["Location"] == "/relative-redirect/2", headers["Location"])
    status, _, body = call("/redirect/3", follow=True)
    check("redirect followed", status == 200 and json.loads(body)["url"] == BASE + "/get")
    status, headers, _ = call("/absolute-redirect/2")
    check("absolute redirect", headers["Location"] == BASE + "/absolute-redirect/1", headers["Location"])
    status, headers, _ = call("/redirect-to?url=%2Fget&status_code=307")
    check("redirect-to", status == 307 and headers["Location"] == "/get")
    check("redirect-to refused", call("/redirect-to?url=http%3A%2F%2Fexample.com%2F")[0] == 400)

    status, headers, _ = call("/cookies/set?name=value")
    check("cookies set", status == 302 and headers["Set-Cookie"].startswith("name=value; Path=/"), headers["Set-Cookie"])
    check("cookies", json.loads(call("/cookies", headers={"Cookie": "name=value"})[2]) == {"cookies": {"name": "value"}})

    auth = "Basic " + base64.b64encode(b"user:passwd").decode()
    check("basic-auth", json.loads(call("/basic-auth/user/passwd", headers={"Authorization": auth})[2]) == {"authenticated": True, "user": "user"})
    check("basic-auth challenge", call("/basic-auth/user/passwd")[0] == 401)
    check("hidden-basic-auth", call("/hidden-basic-auth/user/passwd")[0] == 404)
    check("bearer", json.loads(call("/bearer", headers={"Authorization": "Bearer abcd1234"})[2]) == {"authenticated": True, "token": "abcd1234"})

    status, headers, body = call("/response-headers?animal=dog")
    check("response-headers", headers["animal"] == "dog" and json.loads(body)["animal"] == "dog")
    status, headers, _ = call("/cache")
    check("cache validators", status == 200 and headers["ETag"] and headers["Last-Modified"])
    check("cache 304", call("/cache", headers={"If-Modified-Since": headers["Last-Modified"]})[0] == 304)
    check("cache/n", call("/cache/60")[1]["Cache-Control"] == "public, max-age=60")
    check("etag 304", call("/etag/abc", headers={"If-None-Match": '"abc"'})[0] == 304)
    check("etag 412", call("/etag/abc", headers={"If-Match": '"xyz"'})[0] == 412)

    status, headers, body = call("/bytes/1024?seed=1")
    check("bytes", status == 200 and len(body) == 1024 and body == call("/bytes/1024?seed=1")[2])
    check("stream-bytes", call("/stream-bytes/1024?seed=1&chunk_size=100")[2] == body)
    lines = call("/stream/5")[2].decode().splitlines()
    check("stream", [json.loads(line)["id"] for line in lines] == [0, 1, 2, 3, 4])
    status, headers, body = call("/range/26", headers={"Range": "bytes=0-4"})
    check("range", status == 206 and body == b"abcde" and headers["Content-Range"] == "bytes 0-4/26")
    started = time.monotonic()
    status, _, body = call("/drip?numbytes=5&duration=0.5")
    check("drip", body == b"*****" and time.monotonic() - started >= 0.45)
    started = time.monotonic()
    check("delay", call("/delay/0.3")[0] == 200 and time.monotonic() - started >= 0.3)

    check("html", b"<h1>" in call("/html")[2])
    check("json", "slideshow" in json.loads(call("/json")[2]))
    check("xml", call("/xml")[2].startswith(b"<?xml"))
    check("robots.txt", call("/robots.txt")[2] == b"User-agent: *\nDisallow: /deny\n")
    check("deny", call("/deny")[0] == 200)
    check("encoding/utf8", "你好" in call("/encoding/utf8")[2].decode("utf-8"))
    check("image/png", call("/image/png")[2][:4] == b"\x89PNG")
    check("image/jpeg", call("/image/jpeg")[2][:2] == b"\xff\xd8")
    check("image/svg", call("/image/svg")[1]["Content-Type"] == "image/svg+xml")

    # Server-sent events, read as they arrive
    connection = (http.client.HTTPSConnection(PARSED.hostname, PARSED.port, context=CONTEXT, timeout=20)
                  if CONTEXT else http.client.HTTPConnection(PARSED.hostname, PARSED.port, timeout=20))
    connection.request("GET", "/sse?count=3&interval_ms=100")
    response = connection.getresponse()
    check("sse type", response.getheader("Content-Type") == "text/event-stream")
    events = []
    event = {}
    for raw in response:
        line = raw.decode("utf-8").rstrip("\n")
        if line == "":
            events.append(event)
            event = {}
        else:
            field, _, value = line.partition(": ")
            event[field] = value
    connection.close()
    check("sse events", [e["id"] for e in events] == ["0", "1", "2"] and all(e["event"] == "ping" for e in events), events)
    check("sse data", [json.loads(e["data"])["id"] for e in events] == [0, 1, 2])
    print("all checks passed")


if __name__ == "__main__":
    main()
