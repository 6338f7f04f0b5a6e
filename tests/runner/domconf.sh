# `run --xl --domain-config FILE` and `--forward`: what the runner cannot
# boot is refused before QEMU starts, with a "rumpxen run:" line that
# names the file (and line) and the reason, and status 125 (2 for options
# that need --xl). The domain config the demo boots from is one the
# runner reads.
. "$(dirname "$0")/../lib.bash"
# conf NAME TEXT: a domain config in $tmp/NAME.
conf() { printf '%s\n' "$2" >"$tmp/$1"; }
# refused ARGS... PATTERN: run refuses ARGS, saying PATTERN.
refused() {
	local pattern=${*: -1}
	boot --xl "${@:1:$#-1}"
	expect_rc 125
	expect_grep "$err" "^rumpxen run: $pattern"
}
img=build/hello.elf
conf nokernel 'memory = 16'
refused --domain-config "$tmp/nokernel" '.*nokernel: no kernel = "IMAGE"'
conf syntax "kernel = \"$img\"
memory = 16 16"
refused --domain-config "$tmp/syntax" '.*syntax:2: xl wants a name, not .16.'
conf unended "kernel = \"$img\"
disk = [ 'a'"
refused --domain-config "$tmp/unended" '.*unended: the file ends where xl wants a \]'
conf escape "kernel = \"$img\"
extra = 'a\\qb'"
refused --domain-config "$tmp/escape" '.*escape:2: xl takes no escape .q in a string'
conf name "kernel = \"$img\"
name = 'order'"
refused --domain-config "$tmp/name" "a job needs a plain name: 'order'"
conf notarget "kernel = \"$img\"
disk = [ 'vdev=xvda,access=ro' ]"
refused --domain-config "$tmp/notarget" ".*notarget: the disk 'vdev=xvda,access=ro' has no target="
conf order "kernel = \"$img\"
disk = [ 'vdev=xvdb,target=$img' ]"
refused --domain-config "$tmp/order" '.*order: the disk .* must be vdev=xvda'
conf twovifs "kernel = \"$img\"
vif = [ 'bridge=xenbr0', 'bridge=xenbr0' ]"
refused --domain-config "$tmp/twovifs" '.*twovifs: the runner gives a domU one vif, not 2'
conf missing "kernel = \"$tmp/none.elf\""
refused --domain-config "$tmp/missing" ".*missing names $tmp/none.elf, which is not a file here"
conf novif "kernel = \"$img\""
refused --domain-config "$tmp/novif" --forward 8080:80 'a port is forwarded only to a domU with a vif'
refused --domain-config apps/lighttpd/domain_config $img \
	'with --domain-config, the image, its arguments, configuration, disks and vif come from that file'
refused --net --forward localhost:8080:80 $img "--forward's ADDRESS is an IPv4 address, not 'localhost'"
refused --net --forward 80 $img '--forward wants \[ADDRESS:\]PORT:GUESTPORT, not .80.'
# A port something listens on already.
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$tmp/port" &
holder=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
refused --domain-config apps/lighttpd/domain_config --forward "$(cat "$tmp/port"):80" \
	"cannot listen on 127\\.0\\.0\\.1:$(cat "$tmp/port") to forward it"
kill $holder
boot --forward 8080:80 $img
expect_rc 2
expect_grep "$err" '^rumpxen run: --domain-config and --forward are options of --xl'
echo ok
