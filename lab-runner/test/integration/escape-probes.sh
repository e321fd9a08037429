#!/bin/bash
# Escape probes, run as root inside a sandbox. Each prints one line:
#   PROBE <name> blocked|ESCAPED <detail>
# They are harmless if they succeed: writes put back the value they read, mounts are undone,
# a device is only read. Run by lab-runner/test/integration/isolation.test.ts.
set -u
say() { printf 'PROBE %s %s %s\n' "$1" "$2" "${3:-}"; }

# 1. Host core_pattern through a writable /proc/sys (the known escape of plain DinD).
cp=$(cat /proc/sys/kernel/core_pattern)
if mount -o remount,rw /proc/sys 2>/dev/null && printf '%s' "$cp" >/proc/sys/kernel/core_pattern 2>/dev/null; then
  say core_pattern_remount ESCAPED "wrote /proc/sys/kernel/core_pattern"
else
  say core_pattern_remount blocked
fi
mount -o remount,ro /proc/sys 2>/dev/null
mkdir -p /tmp/probe-proc
if mount -t proc proc /tmp/probe-proc 2>/dev/null; then
  if printf '%s' "$cp" >/tmp/probe-proc/sys/kernel/core_pattern 2>/dev/null; then
    say core_pattern_fresh_proc ESCAPED "wrote core_pattern through a new proc mount"
  else
    say core_pattern_fresh_proc blocked "proc mounted, core_pattern not writable"
  fi
  umount /tmp/probe-proc
else
  say core_pattern_fresh_proc blocked
fi

# 2. cgroup release_agent: a new hierarchy, or a writable release_agent anywhere.
mkdir -p /tmp/probe-cg
if mount -t cgroup -o none,name=slipwayprobe cgroup /tmp/probe-cg 2>/dev/null; then
  say cgroup_new_hierarchy ESCAPED "mounted a new cgroup hierarchy"
  umount /tmp/probe-cg
else
  say cgroup_new_hierarchy blocked
fi
ra=blocked
for f in $(find /sys/fs/cgroup -maxdepth 2 -name release_agent 2>/dev/null); do
  v=$(cat "$f" 2>/dev/null)
  printf '%s' "$v" >"$f" 2>/dev/null && ra="ESCAPED $f"
done
say cgroup_release_agent $ra

# 3. The sandbox raising its own limits.
for f in memory/memory.limit_in_bytes pids/pids.max cpu/cpu.cfs_quota_us memory.max pids.max; do
  p=/sys/fs/cgroup/$f
  [ -f "$p" ] || continue
  v=$(cat "$p")
  if printf '%s' "$v" >"$p" 2>/dev/null; then say "own_limit:$f" ESCAPED "writable"; else say "own_limit:$f" blocked; fi
done

# 4. A host block device through mknod.
dev=$(awk '$4 !~ /[0-9]$/ && $1 ~ /^(8|252|253|259)$/ {print $1" "$2; exit}' /proc/partitions)
[ -n "$dev" ] || dev="8 0"
if mknod /tmp/probe-disk b $dev 2>/dev/null && dd if=/tmp/probe-disk of=/dev/null bs=512 count=1 2>/dev/null; then
  say host_block_device ESCAPED "read device $dev"
else
  say host_block_device blocked
fi
rm -f /tmp/probe-disk

# 5. A Docker socket of the host: every socket here must belong to the sandbox itself.
others=$(find / -xdev \( -name '*.sock' -o -name 'docker.sock' \) -type s 2>/dev/null \
  | grep -vE '^/(run|var/run)/(docker\.sock|containerd/|docker/|slipway/|user/1000/)' | tr '\n' ' ')
if [ -n "$others" ]; then say foreign_socket ESCAPED "$others"; else say foreign_socket blocked; fi
say inner_engine_id info "$(docker info --format '{{.ID}}' 2>/dev/null)"

# 6. Kernel-level levers.
if echo h >/proc/sysrq-trigger 2>/dev/null; then say sysrq ESCAPED; else say sysrq blocked; fi
capeff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
if (( (16#$capeff >> 16) & 1 )); then say cap_sys_module ESCAPED "CapEff=$capeff"; else say cap_sys_module blocked; fi

# 7. Kernel memory: rootless sandboxes unmask /proc, so nothing may read it.
kcore=$(head -c 16 /proc/kcore 2>/dev/null | wc -c)
if [ "${kcore:-0}" -gt 0 ]; then say proc_kcore ESCAPED "read $kcore bytes"; else say proc_kcore blocked; fi

# 8. Who root is on the host.
read -r inside outside count < /proc/self/uid_map
if [ "$outside" = 0 ]; then say root_is_host_root ESCAPED "uid_map $inside $outside $count"; else say root_is_host_root blocked "root maps to host uid $outside"; fi
