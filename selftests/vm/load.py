#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Load for the target (issue 9), over raw iSCSI (adversarial.py's
Session): many login/logout cycles, or many sessions doing verified mixed
I/O at once. Every failure is reported; the exit status is 1 if any.

    load.py --port P --target IQN cycles --count N [--threads T]
    load.py --port P --target IQN sessions --count N --seconds S [--connections C]

cycles: N logins, each followed by a NOP-Out ping and a logout (every
tenth also a WRITE and a READ that must return it), spread over T
threads at once.

sessions: N sessions logged in together, each with C connections
(--connections, MC/S: the others join the leading one's TSIH), each
connection in its own thread writing random blocks of its own slice of
LUN 0 and reading them back (and reading what it wrote earlier), with
random sizes up to 256 KiB, for S seconds; CmdSN is the session's,
shared by its connections. Then all log out. Any mismatch is lost or
corrupted data.

The shell around it compares the module's live objects ("objects" line
of the configfs stats file) and worker threads before and after.
"""

import argparse
import random
import sys
import threading
import time

import adversarial as a


def write_read(s, lba, data, bs, sns=None):
    """WRITE then READ back; @sns: the session's CmdSNs (MC/S), if shared."""
    n = len(data) // bs
    sn = (lambda: {"cmdsn": sns.take()}) if sns else dict
    res = s.scsi(a.write10(lba, n), data=data, **sn())
    a.check(res.status == a.GOOD, f"WRITE at {lba}: {res}")
    res = s.scsi(a.read10(lba, n), read_len=len(data), **sn())
    a.check(res.status == a.GOOD, f"READ at {lba}: {res}")
    a.check(res.data == data, f"READ at {lba} returned other bytes")


def cycles(ctx, count, threads):
    errors = []
    done = [0]
    lock = threading.Lock()
    bs = ctx.block_size

    def worker(k, n):
        rng = random.Random(ctx.seed + k)
        for i in range(n):
            try:
                s = ctx.logged_in(timeout=30)
                s.ping()
                if i % 10 == 0:
                    lba = (k * 4096 + (i // 10) * 8) % (ctx.blocks - 8)
                    write_read(s, lba, rng.randbytes(8 * bs), bs)
                a.check(s.logout() == 0, "logout refused")
                s.expect_closed(10)
                s.close()
                with lock:
                    done[0] += 1
            except Exception as e:	# noqa: BLE001 - every failure counts
                with lock:
                    errors.append(f"thread {k} cycle {i}: {type(e).__name__}: {e}")
                if len(errors) > 20:
                    return

    per = [count // threads + (1 if k < count % threads else 0)
           for k in range(threads)]
    ts = [threading.Thread(target=worker, args=(k, n)) for k, n in enumerate(per)]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"# {done[0]} of {count} login/logout cycles in "
          f"{time.monotonic() - t0:.1f}s, {threads} at a time")
    return errors


class CmdSNs:
    """CmdSN is the session's, whatever connection a command goes on:
    each command takes the next one (the target parks a command whose
    CmdSN comes before the one before it)."""

    def __init__(self, first):
        self.lock = threading.Lock()
        self.next = first

    def take(self):
        with self.lock:
            sn = self.next
            self.next = (sn + 1) & 0xffffffff
            return sn


def log_in(ctx, conns):
    """A session of @conns connections: the leading login, then the others
    joining its TSIH with CIDs 1, 2, ..."""
    extra = (("MaxConnections", str(conns)),) if conns > 1 else ()
    lead = ctx.logged_in(extra, timeout=60, mrdsl=65536)
    if conns > 1:
        a.check(lead.keys.get("MaxConnections") == str(conns),
                f"MaxConnections {lead.keys.get('MaxConnections')}, asked {conns}")
    out = [lead]
    for cid in range(1, conns):
        c = a.Session(ctx, timeout=60)
        out.append(c)
        c.isid, c.tsih, c.cmdsn = lead.isid, lead.tsih, lead.cmdsn
        c.our_mrdsl = 65536
        c.login_pdu(a.text(c.login_keys(extra)), cid=cid)
        hdr, keys = c.login_rsp()
        a.check(hdr[1] & 0x80 and hdr[1] & 3 == 3,
                f"connection {cid} did not reach Full Feature Phase")
        c.target_mrdsl = int(keys.get("MaxRecvDataSegmentLength", 8192))
        # The session's keys are the leading login's.
        c.first_burst, c.max_burst = lead.first_burst, lead.max_burst
        c.immediate_data = lead.immediate_data
    return out


def sessions(ctx, count, seconds, conns=1):
    errors = []
    lock = threading.Lock()
    bs = ctx.block_size
    slice_blocks = ctx.blocks // (count * conns)
    max_blocks = min(256 * 1024 // bs, slice_blocks)
    stats = {"writes": 0, "reads": 0, "bytes": 0}
    ready = threading.Barrier(count + 1)
    stop = threading.Event()
    logged = []

    def io(k, c, sns, base, rng):
        """Verified I/O on one connection, in its own slice, until stop."""
        written = {}		# lba -> bytes of that block
        while not stop.is_set():
            n = rng.randint(1, max_blocks)
            lba = base + rng.randrange(0, slice_blocks - n + 1)
            if rng.random() < 0.5 or not written:
                data = rng.randbytes(n * bs)
                write_read(c, lba, data, bs, sns)
                for i in range(n):
                    written[lba + i] = data[i * bs:(i + 1) * bs]
                with lock:
                    stats["writes"] += 1
                    stats["bytes"] += 2 * len(data)
            else:
                # An older write of this connection must still be there.
                lba = rng.choice(list(written))
                n = 1
                while n < max_blocks and lba + n in written:
                    n += 1
                res = c.scsi(a.read10(lba, n), read_len=n * bs,
                             cmdsn=sns.take())
                a.check(res.status == a.GOOD, f"READ at {lba}: {res}")
                want = b"".join(written[lba + i] for i in range(n))
                a.check(res.data == want,
                        f"session {k}: blocks at {lba} changed since written")
                with lock:
                    stats["reads"] += 1
                    stats["bytes"] += len(want)

    def run_conn(k, j, c, sns):
        try:
            io(k, c, sns, (k * conns + j) * slice_blocks,
               random.Random(ctx.seed ^ (k << 8) ^ (j << 20)))
        except Exception as e:	# noqa: BLE001
            with lock:
                errors.append(f"session {k} connection {j}: "
                              f"{type(e).__name__}: {e}")

    def worker(k):
        cs = []
        try:
            cs = log_in(ctx, conns)
            with lock:
                logged.append(k)
        except Exception as e:	# noqa: BLE001
            with lock:
                errors.append(f"session {k} login: {type(e).__name__}: {e}")
        try:
            ready.wait(180)
        except threading.BrokenBarrierError:
            cs = []
        if len(cs) < conns:
            for c in cs:
                c.close()
            return
        sns = CmdSNs(cs[0].cmdsn)
        subs = [threading.Thread(target=run_conn, args=(k, j, c, sns))
                for j, c in enumerate(cs) if j]
        for t in subs:
            t.start()
        run_conn(k, 0, cs[0], sns)
        for t in subs:
            t.join()
        try:
            # Logout reason 0 on the leading connection closes them all.
            cs[0].cmdsn = sns.next
            a.check(cs[0].logout() == 0, "logout refused")
            for c in cs:
                c.expect_closed(10)
        except Exception as e:	# noqa: BLE001
            with lock:
                errors.append(f"session {k} logout: {type(e).__name__}: {e}")
        finally:
            for c in cs:
                c.close()

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(count)]
    for t in ts:
        t.start()
    try:
        ready.wait(240)
    except threading.BrokenBarrierError:
        errors.append("the sessions did not all log in within 240 s")
    print(f"# {len(logged)} of {count} sessions of {conns} connection(s) logged in")
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds and not errors:
        time.sleep(1)
    stop.set()
    for t in ts:
        t.join(120)
        if t.is_alive():
            errors.append("a session did not finish its last command in 120 s")
            break
    took = time.monotonic() - t0
    print(f"# {stats['writes']} verified writes, {stats['reads']} re-reads, "
          f"{stats['bytes'] / took / 1e6:.1f} MB/s over {took:.0f}s")
    a.check(stats["writes"] >= count * conns,
            "fewer writes than connections: no load")
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=3260)
    ap.add_argument("--target", default="iqn.2026-11.org.iscsi-spt:test")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("mode", choices=("cycles", "sessions"))
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--connections", type=int, default=1,
                    help="sessions: connections per session (MC/S)")
    args = ap.parse_args()
    blocks, bs = a.probe_lun(args)
    ctx = a.Ctx(args.port, args.target, args.seed, blocks, bs)
    print(f"# LUN 0: {blocks} blocks of {bs} bytes, seed {args.seed}")
    try:
        if args.mode == "cycles":
            errors = cycles(ctx, args.count, args.threads)
        else:
            errors = sessions(ctx, args.count, args.seconds, args.connections)
    except a.Fail as e:
        errors = [str(e)]
    for e in errors[:20]:
        print(f"# FAIL: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
