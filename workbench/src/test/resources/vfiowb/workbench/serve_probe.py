#!/usr/bin/env python3
"""A QEMU-style probe of one device through `vfio-workbench serve`, in plain Python.

Speaks the serve protocol on stdin/stdout (requests on stdout, replies on stdin), packs
and unpacks the vfio.h structures itself with struct, and checks the bytes the kernel
model returns. Exits non-zero, saying why on stderr, at the first surprise.

    python3 serve_probe.py DEVICE  (with its stdin and stdout connected to the server)
"""
import json
import struct
import sys

VFIO_DEVICE_GET_INFO = 0x3B6B
VFIO_DEVICE_GET_REGION_INFO = 0x3B6C
VFIO_DEVICE_RESET = 0x3B6F
FLAG_READ, FLAG_WRITE, FLAG_MMAP, FLAG_CAPS = 1, 2, 4, 8
CAP_SPARSE_MMAP, CAP_TYPE, CAP_MSIX_MAPPABLE = 1, 2, 3
CONFIG = 7


def call(req):
    sys.stdout.write(json.dumps(req) + "\n")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        fail("server closed the connection after " + json.dumps(req))
    return json.loads(line)


def fail(msg):
    sys.stderr.write("serve_probe: " + msg + "\n")
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def ioctl(fd, request, arg):
    r = call({"op": "ioctl", "fd": fd, "request": request, "arg": arg.hex()})
    return r, bytes.fromhex(r["arg"])


def region_info(fd, index):
    """QEMU's loop: argsz 32, then again with the argsz the kernel asks for."""
    argsz = 32
    while True:
        r, buf = ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, struct.pack("<IIIIQQ", argsz, 0, index, 0, 0, 0)
                       + bytes(argsz - 32))
        check("ret" in r, "GET_REGION_INFO %d failed: %s" % (index, r))
        got_argsz, flags, idx, cap_offset, size, offset = struct.unpack_from("<IIIIQQ", buf)
        check(idx == index, "index changed to %d" % idx)
        if got_argsz <= argsz:
            return flags, cap_offset, size, offset, buf
        check(flags & FLAG_CAPS and cap_offset == 0, "argsz grew without CAPS/cap_offset 0")
        argsz = got_argsz


def caps(buf, cap_offset):
    out = []
    at = cap_offset
    while at:
        cid, ver, nxt = struct.unpack_from("<HHI", buf, at)
        out.append((cid, ver, at))
        check(nxt == 0 or nxt > at, "capability chain goes backwards at %d" % at)
        at = nxt
    return out


def main():
    device = sys.argv[1]
    bad = call({"op": "frobnicate"})
    check("error" in bad, "an unknown op must get an error reply, got %s" % bad)

    fd = call({"op": "open", "device": device})["fd"]
    check(fd == 3, "first fd is 3, got %d" % fd)

    r, buf = ioctl(fd, VFIO_DEVICE_GET_INFO, struct.pack("<IIIIII", 24, 0, 0, 0, 0, 0))
    argsz, flags, num_regions, num_irqs, cap_offset, pad = struct.unpack("<IIIIII", buf)
    check(r["ret"] == 0 and flags & 2, "GET_INFO: PCI flag expected, got %#x" % flags)
    check(num_regions == 9 and num_irqs == 5, "GET_INFO regions %d irqs %d" % (num_regions, num_irqs))

    # A buffer shorter than the structure: the kernel's copy faults, EFAULT, nothing written.
    r, short = ioctl(fd, VFIO_DEVICE_GET_INFO, struct.pack("<I", 24))
    check(r.get("name") == "EFAULT" and short == struct.pack("<I", 24), "short buffer: %s" % r)

    regions = {}
    for index in (0, 1, 2, 3, 4, 5, CONFIG):
        regions[index] = region_info(fd, index)

    flags, cap_offset, size, offset, buf = regions[0]
    check(size == 0x10000 and offset == 0, "BAR0 size %#x offset %#x" % (size, offset))
    check(flags == FLAG_READ | FLAG_WRITE | FLAG_MMAP | FLAG_CAPS, "BAR0 flags %#x" % flags)
    check(cap_offset == 32, "BAR0 cap_offset %d" % cap_offset)
    check([c[0] for c in caps(buf, cap_offset)] == [CAP_MSIX_MAPPABLE], "BAR0 caps %s" % caps(buf, cap_offset))
    check(regions[1][2] == 0 and regions[1][0] == 0, "BAR1 is the upper half of BAR0")
    check(regions[CONFIG][3] == 7 << 40, "config at 7 << 40, got %#x" % regions[CONFIG][3])

    cfg = regions[CONFIG][3]
    r = call({"op": "pread", "fd": fd, "offset": hex(cfg), "count": 256})
    config = bytes.fromhex(r["data"])
    check(r["ret"] == 256, "config read %s" % r["ret"])
    vendor, devid = struct.unpack_from("<HH", config, 0)
    check((vendor, devid) == (0x8086, 0x154C), "IDs %04x:%04x" % (vendor, devid))
    # Find MSI-X in the capability list, as QEMU's vfio_msix_early_setup does.
    pos, table = config[0x34] & 0xFC, None
    while pos:
        if config[pos] == 0x11:
            table = struct.unpack_from("<I", config, pos + 4)[0]
            break
        pos = config[pos + 1] & 0xFC
    check(table == 0x8000, "MSI-X table BIR 0 offset 0x8000, got %s" % table)

    m = call({"op": "mmap", "fd": fd, "addr": 0, "length": 0x10000, "prot": 3, "flags": 1, "offset": "0x0"})
    check(m.get("pgprot") == "UC", "BAR0 maps uncached: %s" % m)
    check(call({"op": "store", "map": m["map"], "offset": 0x100, "width": 4, "value": "0xdeadbeef"})["ret"] == 0,
          "store")
    check(call({"op": "load", "map": m["map"], "offset": 0x100, "width": 4})["value"] == "0xdeadbeef", "load")
    back = call({"op": "pread", "fd": fd, "offset": "0x100", "count": 4})
    check(back["data"] == "efbeadde", "pread sees the store: %s" % back)
    pt = call({"op": "pagetable", "map": m["map"]})
    check(pt["entries"] == {"PTE": 1, "PMD": 0, "PUD": 0}, "page table %s" % pt)

    private = call({"op": "mmap", "fd": fd, "addr": 0, "length": 4096, "prot": 1, "flags": 2, "offset": 0})
    check(private == {"errno": 22, "name": "EINVAL"}, "MAP_PRIVATE: %s" % private)

    check(call({"op": "ioctl", "fd": fd, "request": VFIO_DEVICE_RESET})["ret"] == 0, "reset")
    check(call({"op": "pagetable", "map": m["map"]})["entries"]["PTE"] == 0, "reset zaps the BAR")
    check(call({"op": "munmap", "map": m["map"]}) == {"ret": 0}, "munmap")
    check(call({"op": "close", "fd": fd}) == {"ret": 0}, "close")
    check(call({"op": "close", "fd": fd}) == {"errno": 9, "name": "EBADF"}, "double close")


if __name__ == "__main__":
    main()
