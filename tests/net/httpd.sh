# lighttpd, Debian's unmodified 1.4.69 built by its own configure and
# make with tools/rumpxen-cc (Makefile), serves a small site from an
# ext2 disk (read-only, on /srv) with its Linux defaults, the epoll event
# handler and the sendfile backend, in the foreground (-D), its access log
# on the console. dom0 (httpd.dom0) GETs the index page, a file of 300000
# bytes (which lighttpd sends with sendfile) and one over HTTP/1.0, asks
# for a file that is not there, sends a HEAD, gets a directory listing, a
# byte range, a 304 for If-Modified-Since and a 400 for a malformed
# request, the refusals of POSTs without a length or with too large a
# body, of a header too large and of an unknown method (each as lighttpd
# answers on Linux), three requests on one connection, and the big file on 100
# connections at once; this script compares each answer with the site
# and with the access log, and the guest ends when dom0 shuts it down:
# lighttpd gets SIGTERM, says so and exits 0.
# Memory: it passed at memory=7 and 8 (MiB), not at 6 (lighttpd's own
# malloc failed); 12 is 8 and half again, for a margin. memstats prints
# what the guest used (at 8: about 6.2 of 7.0 MiB of pages at most).
#@ setup mkdir -p site/www/sub && cp "$ROOT/tests/net/httpd.conf" site/lighttpd.conf
#@ setup printf '<html><body><p>lighttpd on rumpxen</p></body></html>\n' >site/www/index.html
#@ setup head -c 300000 /dev/urandom >site/www/big.bin && echo 'a note' >site/www/sub/note.txt
#@ setup "$ROOT/tools/mkext2" -b 4096 site site.img
#@ disk site.img ro
#@ net
#@ config mount./srv=ext2:/dev/xvda,ro
#@ config memstats=1
#@ image build/apps/lighttpd.elf -D -f /srv/lighttpd.conf
#@ dom0 tests/net/httpd.dom0
#@ xl memory=12
#@ timeout 600
#@ expect 20
. "$(dirname "$0")/../lib.bash"
cat "$out"
cat "$job/dom0.out" 2>/dev/null || true
d=$job/dom0.out
www=$job/site/www
# body NAME FILE: dom0 got FILE's bytes as NAME's body.
body() {
	expect_grep "$d" "^$1 body: $(wc -c <"$2") $(md5sum <"$2" | cut -d' ' -f1)\$"
}
expect_rc 0
expect_grep "$out" 'server started \(lighttpd/1\.4\.69\)'
expect_grep "$d" '^index head: HTTP/1\.1 200 OK$'
expect_grep "$d" '^index head: Content-Type: text/html$'
body index "$www/index.html"
expect_grep "$d" '^big head: HTTP/1\.1 200 OK$'
expect_grep "$d" '^big head: Content-Length: 300000$'
body big "$www/big.bin"
expect_grep "$d" '^note head: HTTP/1\.0 200 OK$'
expect_grep "$d" '^note head: Content-Type: text/plain$'
body note "$www/sub/note.txt"
expect_grep "$d" '^missing head: HTTP/1\.1 404 Not Found$'
expect_grep "$d" '^head head: HTTP/1\.1 200 OK$'
expect_grep "$d" '^head head: Content-Length: 300000$'
body head /dev/null
expect_grep "$d" '^list head: HTTP/1\.1 200 OK$'
expect_grep "$d" '^list has: href="note\.txt"$'
expect_grep "$d" '^range head: HTTP/1\.1 206 Partial Content$'
expect_grep "$d" '^range head: Content-Range: bytes 1000-1999/300000$'
dd if="$www/big.bin" of="$tmp/range" bs=1000 skip=1 count=1 2>/dev/null
body range "$tmp/range"
expect_grep "$d" '^since head: HTTP/1\.1 304 Not Modified$'
body since /dev/null
expect_grep "$d" '^bad head: HTTP/1\.0 400 Bad Request$'
# lighttpd 1.4.69's answers on Linux, measured with this configuration.
expect_grep "$d" '^post head: HTTP/1\.1 200 OK$'
body post "$www/index.html"
expect_grep "$d" '^nolength head: HTTP/1\.1 411 Length Required$'
expect_grep "$d" '^toolarge head: HTTP/1\.1 413 Payload Too Large$'
expect_grep "$d" '^bighead head: HTTP/1\.0 431 Request Header Fields Too Large$'
expect_grep "$d" '^delete head: HTTP/1\.1 501 Not Implemented$'
expect_grep "$d" '^kept head: HTTP/1\.1 200 OK$'
expect_grep "$d" '^kept: 2 more answers, the last ending a note$'
expect_grep "$d" "^together: 100 answered, $(md5sum <"$www/big.bin" | cut -d' ' -f1)\$"
body after "$www/index.html"
# The access log, one line a request, on the console.
expect_grep "$out" '"GET / HTTP/1\.1" 200 [0-9]+ '
expect_grep "$out" '"GET /big\.bin HTTP/1\.1" 200 300000 '
expect_grep "$out" '"GET /sub/note\.txt HTTP/1\.0" 200 7 '
expect_grep "$out" '"GET /nothing-here\.html HTTP/1\.1" 404 '
expect_grep "$out" '"HEAD /big\.bin HTTP/1\.1" 200 '
expect_grep "$out" '"GET /big\.bin HTTP/1\.1" 206 1000 '
expect_grep "$out" '"GET /big\.bin HTTP/1\.1" 304 '
[ "$(grep -c '"GET /big\.bin HTTP/1\.0" 200 300000 ' "$out")" = 100 ] ||
	fail "the access log has not 100 lines of the big file's 100 GETs at once"
[ "$(grep -c '"GET /sub/note\.txt HTTP/1\.1" 200 7 ' "$out")" = 2 ] ||
	fail "the access log has not both keep-alive GETs of note.txt"
# Its error log says that it started, why it refused two requests, as
# on Linux, and that xl shutdown's SIGTERM stopped it, and nothing else.
expect_grep "$out" '\(server\.c\.[0-9]+\) server stopped by UID = 0 PID = 0$'
expect_grep "$out" '^rumpxen: the toolstack asked for poweroff$' 
expect_grep "$out" '\(response\.c\.[0-9]+\) request-size too long: 2000 -> 413$'
expect_grep "$out" '\(connections\.c\.[0-9]+\) oversized request-header -> sending Status 431$'
if grep -E '^[0-9-]+ [0-9:]+: \(' "$out" | grep -Ev 'server st(arted|opped by)|-> 413$|-> sending Status 431$'; then
	fail "lighttpd logged an error"
fi
if grep -q 'not implemented' "$out"; then
	fail "the kernel lacked a system call lighttpd made"
fi
echo ok
