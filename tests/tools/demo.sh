# The default demo as `make run` boots it: the runner boots the full Xen
# host with lighttpd as a domU from apps/lighttpd/domain_config (its
# image, command line, memory, site disk and vif) and forwards a port of
# the host's loopback to the domU's port 80 through QEMU's isolated user
# network. From the host, curl gets the index page, the directory
# listing, the larger file (whole and a range) and the image, each
# compared with apps/lighttpd/site; the access log shows the requests on
# the runner's stdout; SIGINT, as Ctrl-C sends it, ends the runner with
# 130 and leaves no QEMU behind.
. "$(dirname "$0")/../lib.bash"
site=apps/lighttpd/site/www
# A port of the loopback that nothing listens on now.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
# Its own process group, as a terminal's job; a time limit in case this
# script is killed before its trap can end it.
setsid "$RUMPXEN" run --timeout 1800 --xl --domain-config apps/lighttpd/domain_config \
	--forward "127.0.0.1:$port:80" >"$out" 2>"$err" </dev/null &
runner=$!
trap 'kill -INT -- -$runner 2>/dev/null || true; rm -rf "$tmp"' EXIT
# wait_for FILE PATTERN SECONDS WHAT: until FILE has a line matching
# PATTERN; a failure naming WHAT after SECONDS.
wait_for() {
	local i
	echo "waiting up to $3 s for $4" >&2
	for i in $(seq $(($3 * 5))); do
		grep -Eq "$2" "$1" && return 0
		kill -0 $runner 2>/dev/null || fail "the runner ended while waiting for $4"
		sleep 0.2
	done
	fail "no $4 within $3 s"
}
wait_for "$out" 'server started \(lighttpd/1\.4\.69\)' 900 "lighttpd's start"
expect_grep "$err" "^rumpxen: rumpxen-httpd's port 80 \\(192\\.0\\.2\\.10\\) is $url/ here"
# get NAME PATH [CURL ARGS...]: the answer to GET PATH, its body in
# $tmp/NAME, its head in $tmp/NAME.head.
get() {
	local name=$1 path=$2
	shift 2
	curl -sS --max-time 120 -D "$tmp/$name.head" -o "$tmp/$name" "$@" "$url$path" ||
		fail "curl $url$path failed"
}
same() { cmp -s "$1" "$2" || fail "$1 is not what $2 holds"; }
get index /
expect_grep "$tmp/index.head" '^HTTP/1\.1 200 OK'
expect_grep "$tmp/index.head" '^Content-Type: text/html; charset=utf-8'
expect_grep "$tmp/index.head" '^X-Powered-By: rumpxen'
same "$tmp/index" "$site/index.html"
get listing /files/
expect_grep "$tmp/listing" 'href="lines\.txt"'
expect_grep "$tmp/listing" 'href="about\.txt"'
get lines /files/lines.txt
same "$tmp/lines" "$site/files/lines.txt"
get range /files/lines.txt -r 5300-5351
expect_grep "$tmp/range.head" '^HTTP/1\.1 206 Partial Content'
dd if="$site/files/lines.txt" of="$tmp/range.want" bs=1 skip=5300 count=52 2>/dev/null
same "$tmp/range" "$tmp/range.want"
get png /rumpxen.png
expect_grep "$tmp/png.head" '^Content-Type: image/png'
expect_grep "$tmp/png.head" '^Cache-Control: max-age=3600'
same "$tmp/png" "$site/rumpxen.png"
get missing /not-here
expect_grep "$tmp/missing.head" '^HTTP/1\.1 404 Not Found'
# The access log, on the console: lighttpd writes it out every few seconds.
wait_for "$out" '"GET /not-here HTTP/1\.1" 404 ' 120 "the access log's last line"
for line in '"GET / HTTP/1\.1" 200 872 ' '"GET /files/ HTTP/1\.1" 200 ' \
	'"GET /files/lines\.txt HTTP/1\.1" 200 217088 ' \
	'"GET /files/lines\.txt HTTP/1\.1" 206 52 ' '"GET /rumpxen\.png HTTP/1\.1" 200 519 '; do
	expect_grep "$out" "^192\\.0\\.2\\.2 127\\.0\\.0\\.1:$port - .*$line"
done
# Ctrl-C: SIGINT to the runner's process group, as a terminal sends it.
kill -INT -- -$runner
rc=0
for i in $(seq 150); do
	kill -0 $runner 2>/dev/null || break
	sleep 0.2
done
kill -0 $runner 2>/dev/null && fail "the runner still runs 30 s after SIGINT"
wait $runner || rc=$?
trap 'rm -rf "$tmp"' EXIT
expect_rc 130
expect_grep "$err" '^rumpxen run: ended by SIGINT$'
if pgrep -f "hostfwd=tcp:127\\.0\\.0\\.1:$port-" >/dev/null; then
	fail "a QEMU with the forward is left after SIGINT"
fi
curl -s --max-time 5 "$url/" >/dev/null && fail "the port still answers after SIGINT"
echo ok
