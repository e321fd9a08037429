# web:tools was built from /root/tools/Dockerfile, whose pip install step has a cache mount at
# /root/.cache/pip, and pip's cache is in none of its layers: the one thing pip caches here is
# the wheel it builds from the team's source package, so that wheel must be in no layer. The
# builder, for its part, holds a cache mount at /root/.cache/pip that existed when web:tools
# was built and has something in it. (The image's history shows a RUN without its mounts, so
# the mount itself can only be read from the Dockerfile.)
img=web:tools
dockerfile=/root/tools/Dockerfile
wheel=catalogue_schema-1.0-py3-none-any.whl
facts=$(docker image inspect -f '{{.Id}} {{.Created}}' "$img" 2>/dev/null) ||
  fail "There is no image tagged $img yet."
id=${facts%% *} created=${facts#* }
docker history --no-trunc --format '{{.CreatedBy}}' "$id" 2>/dev/null | grep -q 'pip3\? install' ||
  fail "$img has no pip install step: build it from $dockerfile."
[ -r "$dockerfile" ] || fail "$dockerfile is missing. Reset the lab to get it back."

# The Dockerfile: each RUN that runs pip install, with its --mount flags (continued lines joined,
# comment lines dropped, as the builder reads them). Prints the first problem, or ok.
verdict=$(perl -e '
  local $/; my $f = <STDIN>;
  $f =~ s/^[ \t]*#[^\n]*\n//mg;
  $f =~ s/\\[ \t]*\r?\n/ /g;
  my $nocache = $f =~ /^\s*ENV\s[^\n]*\bPIP_NO_CACHE_DIR\b/mi;
  my $runs = 0;
  for my $line (split /\n/, $f) {
    next unless $line =~ /^\s*RUN\s+(.*)$/i;
    my $cmd = $1;
    my @mounts;
    while ($cmd =~ s/^--([A-Za-z-]+)(?:=(\S*))?\s+//) { push @mounts, $2 // "" if lc $1 eq "mount" }
    next unless $cmd =~ /\bpip3?(?:\.\d+)?\s+install\b|-m\s+pip\s+install\b/;
    $runs++;
    my (@targets, $ok, $ro);
    for my $m (@mounts) {
      $m =~ tr/"\x27//d;
      my %o = (type => "bind");
      for (split /,/, $m) { my ($k, $v) = split /=/, $_, 2; $o{lc $k} = $v // "true" }
      next unless lc $o{type} eq "cache";
      my $t = $o{target} // $o{dst} // $o{destination} // "";
      $t =~ s{/+$}{};
      push @targets, $t eq "" ? "(no target)" : $t;
      next unless $t eq "/root/.cache/pip";
      $ok = 1;
      $ro = 1 if grep { defined $o{$_} && lc $o{$_} ne "false" } qw(ro readonly);
    }
    if (!@targets) { print "nomount"; exit }
    if (!$ok) { print "target ", join(", ", @targets); exit }
    if ($ro) { print "readonly"; exit }
    if ($nocache || $cmd =~ /--no-cache-dir|PIP_NO_CACHE_DIR/) { print "nocachedir"; exit }
  }
  print $runs ? "ok" : "nopip";
' <"$dockerfile")
case "$verdict" in
  nopip) fail "No RUN instruction in $dockerfile runs pip install: keep the step that installs requirements.txt, and give it the cache mount." ;;
  nomount) fail "The pip install step in $dockerfile has no cache mount: pip's cache goes into the layer, and is lost whenever the step runs again." ;;
  target*) fail "The pip install step in $dockerfile mounts a cache at ${verdict#target }, but pip keeps its cache in /root/.cache/pip (pip cache dir prints it): mount the cache there." ;;
  readonly) fail "The cache mount at /root/.cache/pip in $dockerfile is read-only, so pip cannot store anything in it." ;;
  nocachedir) fail "$dockerfile tells pip not to use its cache (--no-cache-dir or PIP_NO_CACHE_DIR), so the cache mount stays empty. With a cache mount, let pip keep its cache." ;;
  ok) ;;
  *) fail "The check could not read $dockerfile." ;;
esac

# Every layer of the image, searched for the wheel once per image ID (an image's content never
# changes under its ID, and docker save of a ~200 MB image is the dearest step here).
cache=/var/cache/slipway-checks/tools-${id#sha256:}
layers=$(cat "$cache" 2>/dev/null)
if [ -z "$layers" ]; then
  # Two lines: how many times the wheel's name occurs, and how docker save ended.
  out=$(timeout 30 docker save "$id" 2>/dev/null | grep -acF "$wheel"; echo "${PIPESTATUS[0]}")
  [ "${out##*$'\n'}" = 0 ] || fail "The check could not read the layers of $img; try again in a moment."
  if [ "${out%%$'\n'*}" = 0 ]; then layers=clean; else layers=cached; fi
  mkdir -p "${cache%/*}" 2>/dev/null && printf '%s\n' "$layers" >"$cache" 2>/dev/null
fi
[ "$layers" = clean ] ||
  fail "pip's cache is in a layer of $img: the image holds the wheel pip built from the team's package ($wheel). With the cache mount, pip's cache stays in the builder: build $img again from the Dockerfile as it is now, and copy nothing out of the cache."

# The builder's cache mounts (docker buildx du --verbose lists them as exec.cachemount, described
# "cached mount TARGET from exec COMMAND"): one at /root/.cache/pip, not empty, that existed
# when the image was built.
builder=$(_engine_get '/system/df?type=build-cache' '
  ("'"$created"'" | sub("\\.[0-9]+"; "") | fromdate) as $built
  | [.BuildCache[]? | select(.Type == "exec.cachemount")
     | select(.Description | test("^cached mount /root/\\.cache/pip/? from "))
     | {size: (.Size // 0), before: ((.CreatedAt | sub("\\.[0-9]+"; "") | fromdate) <= $built)}]
  | if length == 0 then "none"
    elif any(.[]; .before and .size > 0) then "ok"
    elif any(.[]; .before) then "empty"
    else "after" end') ||
  fail "The check could not ask the builder for its cache; try again in a moment."
case "$builder" in
  none) fail "The builder holds no cache mount at /root/.cache/pip (docker buildx du --verbose lists them). If you pruned the build cache, the pip install step came from the layer cache and did not run: build with --no-cache, or after a change to requirements.txt." ;;
  after) fail "$img is older than the builder's cache at /root/.cache/pip, so it was built without it: build $img again." ;;
  empty) fail "The builder's cache at /root/.cache/pip is empty: pip stored nothing in it. Does something send pip's cache elsewhere (--cache-dir, PIP_CACHE_DIR)?" ;;
  ok) ;;
  *) fail "The check could not read the builder's cache." ;;
esac
pass
