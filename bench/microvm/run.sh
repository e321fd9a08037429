#!/bin/bash
# Evaluation of the third isolation candidate: one QEMU VM per sandbox, its own kernel.
# Builds the sandbox image plus module loading (Dockerfile here), turns it into an ext4 root
# file system with Debian's cloud kernel modules, boots it under QEMU (KVM, then TCG), and
# prints when the guest's Docker engine answered and what the VM holds in memory.
# Needs root, qemu-system-x86 and linux-image-cloud-amd64. Usage: bench/microvm/run.sh [KVM|TCG]...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DOCKER_HOST="unix://${SLIPWAY_DOCKER_SOCKET:-/run/slipway/docker.sock}"
kver=$(basename "$(ls -d /lib/modules/*-cloud-amd64 | tail -1)")
work=$(mktemp -d /tmp/slipway-microvm-XXXX)
trap 'rm -rf "$work"' EXIT

docker build -q -t slipway/bench-microvm:latest --label slipway.app=slipway "$here" >/dev/null
cid=$(docker create --label slipway.app=slipway slipway/bench-microvm:latest)
mkdir -p "$work/root"
docker export "$cid" | tar -x -C "$work/root"
docker rm "$cid" >/dev/null
mkdir -p "$work/root/lib/modules"
cp -a "/lib/modules/$kver" "$work/root/lib/modules/"
cp "$here/../../lab-runner/test/integration/escape-probes.sh" "$work/root/probes.sh"
mkfs.ext4 -q -d "$work/root" -F "$work/root.ext4" 3G

boot() { # accel, seconds
  local accel=$1 limit=$2 start line ms rss=0 pid
  start=$(date +%s%N)
  local cpu=max
  [ "$accel" = kvm ] && cpu=host,-arch-capabilities
  qemu-system-x86_64 -M q35 -accel "$accel" -cpu "$cpu" -m 768 -smp 1 -nodefaults \
    -no-user-config -nographic -serial stdio \
    -kernel "/boot/vmlinuz-$kver" -initrd "/boot/initrd.img-$kver" \
    -append "console=ttyS0 quiet root=/dev/vda rw init=/sbin/slipway-vm-init VM_HOLD=5" \
    -drive "id=root,file=$work/root.ext4,format=raw,if=none" -device virtio-blk-pci,drive=root \
    >"$work/$accel.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    ms=$((($(date +%s%N) - start) / 1000000))
    if grep -q VM_DOCKER_READY "$work/$accel.log" && [ "$rss" = 0 ]; then
      echo "$accel: guest Docker engine answered ${ms} ms after QEMU started"
      sleep 3
      rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
      echo "$accel: QEMU resident memory ${rss} MiB (guest given 768 MiB)"
    fi
    if [ "$ms" -gt $((limit * 1000)) ]; then
      kill "$pid"
      echo "$accel: no Docker engine within ${limit} s; last guest output:"
      tail -c 300 "$work/$accel.log" | tr -d '\033' | tail -n 3
      return
    fi
    sleep 0.05
  done
  grep -E '^PROBE ' "$work/$accel.log" | sed "s/^/$accel: /" | head -20 || true
}

for accel in "${@:-kvm tcg}"; do
  for a in $accel; do boot "$a" "$([ "$a" = kvm ] && echo 60 || echo 300)"; done
done
