#!/bin/bash
# PID 1 of the evaluation microVM: mount the basics, load the modules Docker needs, start the
# engine, report when it answers (seconds since the guest kernel started), run the escape
# probes if they were put in the image, then power off.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 none /sys/fs/cgroup
for m in overlay bridge br_netfilter veth nf_tables nft_chain_nat nft_compat xt_MASQUERADE \
  iptable_nat iptable_filter nf_nat xt_conntrack xt_addrtype; do
  modprobe "$m" 2>/dev/null
done
ip link set lo up
say() { echo "$*" >/dev/ttyS0; }
say "VM_INIT $(cut -d' ' -f1 /proc/uptime)"
containerd >/var/log/containerd.log 2>&1 &
dockerd --containerd=/run/containerd/containerd.sock >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 600); do docker version >/dev/null 2>&1 && break; sleep 0.05; done
if docker version >/dev/null 2>&1; then
  say "VM_DOCKER_READY $(cut -d' ' -f1 /proc/uptime)"
else
  say "VM_DOCKER_FAILED"; tail -5 /var/log/dockerd.log >/dev/ttyS0
fi
if [ -f /probes.sh ]; then bash /probes.sh >/dev/ttyS0 2>&1; fi
say "VM_MEM $(awk '/MemTotal|MemAvailable/ {printf "%s=%s ", $1, $2}' /proc/meminfo)"
sleep "${VM_HOLD:-8}"
say "VM_DONE"
echo o >/proc/sysrq-trigger
