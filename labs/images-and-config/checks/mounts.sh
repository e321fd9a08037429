# mounts: what is mounted where, from the engine's record of the container and from the mount
# table inside it (a tmpfs and its size cannot be faked from a shell: mounting needs privileges
# the container does not have).
require_running scratchpad
mounts=$(docker inspect -f '{{range .Mounts}}{{.Destination}}|{{.Type}}|{{.Name}}|{{.Source}}|{{.RW}}{{println}}{{end}}' scratchpad)
field() { awk -F'|' -v d="$1" -v n="$2" '$1 == d { print $n }' <<<"$mounts"; }
[ "$(field /notes 2)" = volume ] && [ "$(field /notes 3)" = notes ] \
  || fail "\"scratchpad\" does not have the volume \"notes\" at /notes."
case "$(field /site 2)" in
  bind) ;;
  volume) fail "/site in \"scratchpad\" is the volume \"$(field /site 3)\", not your folder /root/site." ;;
  '') fail "\"scratchpad\" has nothing mounted at /site." ;;
  *) fail "/site in \"scratchpad\" is a $(field /site 2) mount, not your folder /root/site." ;;
esac
[ "$(field /site 4)" = /root/site ] || fail "/site in \"scratchpad\" is $(field /site 4), not the folder /root/site."
[ "$(field /site 5)" = false ] || fail "/site in \"scratchpad\" is writable: the container must only read /root/site."
scratch=$(docker exec scratchpad awk '$2 == "/scratch" { print $3, $4 }' /proc/mounts 2>/dev/null) \
  || fail "\"scratchpad\" does not answer to docker exec."
case "$scratch" in
  '') fail "\"scratchpad\" has nothing mounted at /scratch." ;;
  tmpfs\ *) ;;
  *) fail "/scratch in \"scratchpad\" is not a tmpfs: its files would be written to disk." ;;
esac
case ",${scratch#* }," in
  *,size=16384k,*) ;;
  *,size=*) size=${scratch#*size=}; fail "/scratch is a tmpfs of ${size%%,*}, not 16 MB." ;;
  *) fail "/scratch is a tmpfs with no size of its own (so the kernel lets it grow to half of the machine's memory), not 16 MB." ;;
esac
pass
