#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On the host: what the fault tests ask of the VM's QEMU (its HMP monitor,
# the unix socket tools/iscsi-spt-vm gives it); prints QEMU's answers.
#   nvme-remove   unplug the emulated NVMe controller (as a yanked disk)
#   nvme-add      plug it back, on the same image (its data kept)
#   info          the PCI devices and block backends
set -euo pipefail
img=$ISPT_RESULTS/nvme0.img
case "${1:-}" in
nvme-remove | nvme-add | info) ;;
*) echo "usage: qemu-monitor.sh nvme-remove|nvme-add|info" >&2; exit 2 ;;
esac
python3 - "$ISPT_RESULTS/monitor.sock" "$1" "$img" <<'PY'
import socket, sys
sock_path, what, img = sys.argv[1:]
s = socket.socket(socket.AF_UNIX)
s.connect(sock_path)
s.settimeout(10)


def read_prompt():
    buf = b""
    while not buf.endswith(b"(qemu) "):
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
    return buf.decode(errors="replace")


def hmp(cmd):
    s.sendall(cmd.encode() + b"\n")
    out = read_prompt()
    # HMP echoes the command line with terminal escapes; keep the answer.
    lines = [l for l in out.replace("\r", "").split("\n")[1:] if l != "(qemu) "]
    answer = "\n".join(lines).strip()
    print(f"{cmd}: {answer}")
    return answer


read_prompt()                       # the banner
if what == "nvme-remove":
    hmp("device_del nvme0")
elif what == "nvme-add":
    # Whether device_del took the -drive backend with it depends on the
    # QEMU version: add it back only if it went.
    if "nv0" not in hmp("info block"):
        hmp(f"drive_add 0 file={img},if=none,id=nv0,format=raw")
    out = hmp("device_add nvme,id=nvme0,serial=ispt-nvme0,drive=nv0")
    if out:
        sys.exit(f"device_add: {out}")
else:
    hmp("info pci")
    hmp("info block")
PY
