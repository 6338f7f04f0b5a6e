# Every image is a 64-bit PV kernel that Xen's loader accepts and that the
# platform can protect: the Xen ELF notes with the right values, no
# segment both writable and executable, nothing in page 0, and the program
# headers inside the first loaded segment (in memory for AT_PHDR).
. "$(dirname "$0")/../lib.bash"

python3 - build/hello.elf "$GUESTS"/*.elf <<'PY'
import struct, sys

PT_LOAD, PT_NOTE, PF_X, PF_W = 1, 4, 1, 2
GUEST_OS, LOADER, XEN_VERSION, VIRT_BASE, PADDR_OFFSET = 6, 8, 5, 3, 4
ENTRY, HYPERCALL_PAGE, FEATURES = 1, 2, 10

def check(path):
    d = open(path, "rb").read()
    assert d[:4] == b"\x7fELF" and d[4] == 2, "not ELF64"
    (entry, phoff), phnum = struct.unpack_from("<QQ", d, 24), struct.unpack_from("<H", d, 56)[0]
    assert struct.unpack_from("<H", d, 18)[0] == 62, "not x86-64"
    phdrs = [struct.unpack_from("<IIQQQQQQ", d, phoff + 56 * i) for i in range(phnum)]
    loads = [p for p in phdrs if p[0] == PT_LOAD]
    for p in loads:
        assert not (p[1] & PF_W and p[1] & PF_X), f"segment at {p[3]:#x} is writable and executable"
        assert p[3] >= 0x1000, f"segment at {p[3]:#x} is in page 0"
    first = loads[0]
    assert first[2] == 0 and phoff + 56 * phnum <= first[5], "program headers not in the first segment"
    notes = {}
    for p in phdrs:
        if p[0] != PT_NOTE:
            continue
        off, end = p[2], p[2] + p[5]
        while off < end:
            namesz, descsz, typ = struct.unpack_from("<III", d, off)
            name = d[off + 12:off + 12 + namesz].rstrip(b"\0")
            desc_off = off + 12 + (namesz + 3) // 4 * 4
            if name == b"Xen":
                notes[typ] = d[desc_off:desc_off + descsz]
            off = desc_off + (descsz + 3) // 4 * 4
    q = lambda t: struct.unpack("<Q", notes[t])[0]
    assert notes[GUEST_OS] == b"rumpxen\0", notes.get(GUEST_OS)
    assert notes[LOADER] == b"generic\0"
    assert notes[XEN_VERSION] == b"xen-3.0\0"
    assert notes[FEATURES] == b"!writable_page_tables\0"
    assert q(VIRT_BASE) == 0 and q(PADDR_OFFSET) == 0
    assert q(ENTRY) == entry, "ENTRY note is not the ELF entry"
    hp = q(HYPERCALL_PAGE)
    assert hp % 4096 == 0, "hypercall page not page-aligned"
    assert any(p[1] & PF_X and p[3] <= hp and hp + 4096 <= p[3] + p[6] for p in loads), \
        "hypercall page not inside text"
    print(f"{path}: ok")

bad = 0
for path in sys.argv[1:]:
    try:
        check(path)
    except (AssertionError, KeyError) as e:
        print(f"{path}: FAIL {e!r}")
        bad += 1
sys.exit(1 if bad else 0)
PY
