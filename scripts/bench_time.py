#!/usr/bin/env python3
"""bench_time.py: run one command and report its wall time, CPU time and peak RSS, unrounded.

    bench_time.py --result FILE [--cwd DIR] [--stdout F] [--stderr F] [--timeout S]
                  [--quiet-wait S] -- COMMAND

COMMAND is one shell command line: run through `bash -c` when it has a pipe, else split like a
shell and executed directly (no shell in the measured time), under `/usr/bin/time -f %M`.
Wall time is taken here around the whole (perf_counter), CPU time from wait4(2)'s rusage of
/usr/bin/time, which covers the command and the processes it waited for: the numbers GNU time
prints, but with microsecond resolution instead of its 10 ms steps, which matters when a run
takes 20 ms. Max RSS is GNU time's %M: measured from here directly, it would include this
Python process's own memory, which a child's high-water mark inherits across exec.

Before starting the command it waits, up to --quiet-wait seconds, for the machine to be quiet
(less than 0.15 cores busy over 0.5 s), and it measures the CPU time used by *other* processes
while the command ran (from /proc/stat), so a run disturbed by another job can be spotted.

FILE gets one line: wall_s user_s sys_s maxrss_kb exit other_cpu_s waited_s note, where exit is
the exit code, or 128+N when killed by signal N, and note is ok, signal, or timeout.
"""

import argparse
import os
import shlex
import signal
import sys
import time


def busy_jiffies():
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    vals = [int(x) for x in parts]
    # user nice system idle iowait irq softirq steal guest guest_nice
    busy = vals[0] + vals[1] + vals[2] + vals[5] + vals[6] + (vals[7] if len(vals) > 7 else 0)
    return busy


HZ = os.sysconf("SC_CLK_TCK")


def wait_quiet(limit):
    start = time.monotonic()
    while True:
        b0 = busy_jiffies()
        time.sleep(0.5)
        cores = (busy_jiffies() - b0) / HZ / 0.5
        waited = time.monotonic() - start
        if cores < 0.15 or waited >= limit:
            return waited


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--result", required=True)
    ap.add_argument("--cwd", default=".")
    ap.add_argument("--stdout", default="/dev/null")
    ap.add_argument("--stderr", default="/dev/null")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--quiet-wait", type=float, default=0)
    ap.add_argument("--time", default="/usr/bin/time")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if len(cmd) != 1:
        print("bench_time: give the command as one argument after --", file=sys.stderr)
        return 2
    line = cmd[0]
    argv = ["bash", "-c", line] if "|" in line else shlex.split(line)
    rss_file = a.result + ".rss"
    argv = [a.time, "-f", "%M", "-o", rss_file] + argv

    waited = wait_quiet(a.quiet_wait) if a.quiet_wait > 0 else 0.0
    os.chdir(a.cwd)
    fa = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, a.stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, a.stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    timed_out = False

    def on_alarm(_sig, _frame):
        nonlocal timed_out
        timed_out = True
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGALRM, on_alarm)
    b0 = busy_jiffies()
    t0 = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=fa, setpgroup=0)
    signal.setitimer(signal.ITIMER_REAL, a.timeout)
    while True:
        try:
            _, status, ru = os.wait4(pid, 0)
            break
        except InterruptedError:
            continue
    wall = time.perf_counter() - t0
    signal.setitimer(signal.ITIMER_REAL, 0)
    b1 = busy_jiffies()
    cpu = ru.ru_utime + ru.ru_stime
    other = max(0.0, (b1 - b0) / HZ - cpu)
    # GNU time exits with the command's status, or 128+N after "Command terminated by signal N".
    try:
        with open(rss_file) as f:
            time_out = f.read().splitlines()
        os.remove(rss_file)
    except OSError:
        time_out = []
    rss = time_out[-1].strip() if time_out and time_out[-1].strip().isdigit() else "NA"
    if os.WIFSIGNALED(status):
        code, note = 128 + os.WTERMSIG(status), "signal"
    else:
        code = os.WEXITSTATUS(status)
        note = "signal" if any("terminated by signal" in t for t in time_out) else "ok"
    if timed_out:
        note = "timeout"
    with open(a.result, "w") as f:
        f.write(
            f"{wall:.6f} {ru.ru_utime:.6f} {ru.ru_stime:.6f} {rss} {code} "
            f"{other:.2f} {waited:.1f} {note}\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
