#!/usr/bin/perl
# slipway-checkd: the first process of a sandbox's checker (lab-runner/src/sandbox/docker/
# checker.ts). It runs the runner's commands without an engine exec each, and tells the runner
# when the sandbox's engine reports a change, so check rounds follow what changed rather than a
# clock. Perl because it is in every Debian image and reads and forks cheaply.
#
# In, on stdin (the runner attaches to this container):
#   "R <id> <bytes>\n" then <bytes> bytes of NUL-terminated strings: "NAME=value" environment
#       entries, then "--", then the argv to run (in its own process group, cwd /root).
#   "K <id>\n"  stops that run: TERM to its process group, KILL after the grace.
# Out, on stdout (frames are written whole):
#   "O <id> <bytes>\n<bytes>" and "E <id> <bytes>\n<bytes>"  a run's stdout and stderr
#   "X <id> <code>\n"  the run ended: its exit status, or 128 + the signal that ended it
#   "A\n"  the engine reported a change (exec_* events are left out: health probes and the
#          checks' own `docker exec` make them all the time and change nothing a check reads)
# It ends when the engine's event stream ends, that is when the sandbox's engine is gone; the
# checker is then removed by the engine (AutoRemove).
#
# A check batch (lab-runner/src/checks/check-batch.ts: `bash -c PROGRAM slipway-checks PRELUDE
# LIMIT SCRIPT...`, with SLIPWAY_BATCH="<nonce> <grace> <cap>" in its environment) is run here
# directly, with the same output, instead of through that bash program: it spares a bash, a
# mkdir, a stat, an rm and a `timeout` per round. It also puts the round's view of the engine's
# containers in place (what checklib.sh's jq program would make of /containers/json), so no
# check of the round starts nc and jq for it: together, about two thirds of a one-check round.
#
# `slipway-checkd --containers-view` prints that view for the JSON on stdin (for tests).
use strict;
use warnings;
use File::Path qw(make_path remove_tree);
use IO::Select;
use IO::Socket::UNIX;
use JSON::PP ();
use POSIX qw(WNOHANG setsid _exit);
use Time::HiRes qw(time);

# checklib.sh's view of /containers/json?all=1: bash assignments, newest container last so that
# it wins, as `docker ps` shows it. Keep in step with _containers there (checklib.test.ts
# compares the two).
sub sh_quote {
  my ($s) = @_;
  return 'null' unless defined $s;
  $s =~ s/'/'\\''/g;
  return "'$s'";
}

sub text { defined $_[0] ? "$_[0]" : 'null' }

sub containers_view {
  my ($json) = @_;
  my $list = JSON::PP::decode_json($json);
  my @lines;
  for my $c (reverse @$list) {
    my $l = $c->{Labels} // {};
    my $name = $c->{Names} && defined $c->{Names}[0] ? $c->{Names}[0] =~ s{^/}{}r : undef;
    my $k = sh_quote($name);
    my $ports = join '', map { ' ' . text($_->{PrivatePort}) . '/' . text($_->{Type}) . '=' . text($_->{PublicPort}) . ' ' }
      grep { defined $_->{PublicPort} && !(JSON::PP::is_bool($_->{PublicPort}) && !$_->{PublicPort}) }
      @{$c->{Ports} // []};
    my $mounts = join '', map {
      text($_->{Destination}) . "\t" . (($_->{Name} // '') ne '' ? $_->{Name} : text($_->{Source})) . "\n"
    } @{$c->{Mounts} // []};
    push @lines, "C_NAME[" . sh_quote($c->{Id}) . "]=$k", "C_STATE[$k]=" . sh_quote($c->{State}),
      "C_IMAGE[$k]=" . sh_quote($c->{Image}), "C_PORTS[$k]=" . sh_quote($ports),
      "C_MOUNTS[$k]=" . sh_quote($mounts),
      "C_DEPENDS[$k]=" . sh_quote($l->{'com.docker.compose.depends_on'} // '');
    my $status = $c->{Status} // '';
    push @lines, "C_EXIT[$k]=" . sh_quote($1) if $status =~ /^Exited \((-?[0-9]+)\)/;
    push @lines, "C_HEALTH[$k]=" . sh_quote($2) if $status =~ /\((health: )?(healthy|unhealthy|starting)\)/;
    if (($l->{'com.docker.compose.oneoff'} // '') eq 'False' && defined $l->{'com.docker.compose.service'}) {
      my $key = ($l->{'com.docker.compose.project.working_dir'} // '') . "\t" . $l->{'com.docker.compose.service'};
      push @lines, "C_COMPOSE[" . sh_quote($key) . "]=$k";
    }
  }
  my $out = join '', map { "$_\n" } @lines;
  utf8::encode($out);
  return $out;
}

if (($ARGV[0] // '') eq '--containers-view') {
  local $/;
  print containers_view(<STDIN>);
  exit 0;
}

my ($socket_path, $grace) = (@ARGV, 2);
my $max_output = 4 * 1024 * 1024;
my $kept_socket = '/var/cache/slipway-checks/engine-socket';
my %base_env = %ENV;

my $engine = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $socket_path)
  or die "slipway-checkd: cannot reach the engine at $socket_path: $!\n";
syswrite $engine, "GET /events HTTP/1.1\r\nHost: engine\r\n\r\n";

my $select = IO::Select->new($engine, \*STDIN);
my (%runs, %streams, %exited);
my ($in, $events) = ('', '');
$SIG{CHLD} = sub { };    # interrupts the select, so an exit is seen at once
$SIG{PIPE} = 'IGNORE';

sub emit {
  my ($frame) = @_;
  while (length $frame) {
    my $n = syswrite STDOUT, $frame;
    exit 0 unless defined $n;    # nobody can hear us any more: the checker is being removed
    substr($frame, 0, $n) = '';
  }
}

# Starts argv in a process group of its own with the given environment; the run's stdout and
# stderr come back through pipes watched by the main loop.
sub spawn {
  my ($id, $run, $env, @argv) = @_;
  my ($out_r, $out_w, $err_r, $err_w);
  pipe($out_r, $out_w) && pipe($err_r, $err_w) or return;
  my $pid = fork;
  return unless defined $pid;
  if ($pid == 0) {
    setsid();
    open STDIN, '<', '/dev/null';
    open STDOUT, '>&', $out_w;
    open STDERR, '>&', $err_w;
    %ENV = %$env;
    chdir '/root';
    { no warnings 'exec'; exec { $argv[0] } @argv; }
    _exit(127);
  }
  close $out_w;
  close $err_w;
  @$run{qw(pid open out err)} = ($pid, 2, '', '');
  delete @$run{qw(kill_at deadline timed_out killed)};
  for ([$out_r, 'O'], [$err_r, 'E']) {
    $streams{fileno $_->[0]} = [$id, $_->[1], $_->[0]];
    $select->add($_->[0]);
  }
  return 1;
}

sub start_run {
  my ($id, $payload) = @_;
  my @items = split /\0/, $payload, -1;
  pop @items;
  my %env = %base_env;
  while (@items && $items[0] ne '--') {
    my ($k, $v) = split /=/, shift(@items), 2;
    $env{$k} = $v // '';
  }
  shift @items;
  return emit("X $id 126\n") if !@items || exists $runs{$id};
  my $run = $runs{$id} = { sent => 0 };
  if (defined $env{SLIPWAY_BATCH} && @items >= 5 && $items[3] eq 'slipway-checks') {
    return start_batch($id, $run, \%env, @items[4 .. $#items]);
  }
  spawn($id, $run, \%env, @items) or do { delete $runs{$id}; emit("X $id 126\n") };
}

# The check batch's work (see check-batch.ts's bash program, which this mirrors).
sub start_batch {
  my ($id, $run, $env, $prelude, @pairs) = @_;
  my ($nonce, $kill_grace, $cap) = split / /, $env->{SLIPWAY_BATCH};
  my $dir = "/tmp/slipway-checks.$$.$id";
  eval { make_path("$dir/engine", { mode => 0700 }) } or do {
    delete $runs{$id};
    return emit("X $id 3\n");
  };
  my %env = (%$env, LC_ALL => 'C', PATH => '/usr/sbin:/usr/bin:/sbin:/bin',
    SLIPWAY_ROUND_DIR => "$dir/engine");
  (my $sock = $env{DOCKER_HOST} // 'unix:///var/run/docker.sock') =~ s{^unix://}{};
  my @st = stat $sock;
  my $now = @st ? "$st[0]:$st[1]" : '';
  if (-s $kept_socket) {
    open my $fh, '<', $kept_socket;
    chomp(my $kept = <$fh> // '');
    $env{SLIPWAY_ENGINE_REPLACED} = 1 if $now ne '' && $kept ne $now;
  } elsif ($now ne '' && open my $fh, '>', $kept_socket) {
    print $fh "$now\n";
  }
  # The round's view of the containers, as checklib.sh would fetch it (an engine that does not
  # answer leaves it to the checks, which then see no containers, as before).
  if (defined(my $body = engine_get($sock, '/containers/json?all=1'))) {
    my $view = eval { containers_view($body) };
    if (defined $view && open my $fh, '>', "$dir/engine/containers.sh") {
      print $fh $view;
      close $fh;
    }
  }
  $run->{batch} = { nonce => $nonce, grace => $kill_grace, cap => $cap, dir => $dir,
    env => \%env, prelude => $prelude, pairs => \@pairs, index => 0 };
  next_check($id, $run);
}

# GET from the engine's API; the body of a 200 answer, or undef. Blocks for at most 3 s.
sub engine_get {
  my ($sock, $path) = @_;
  my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $sock) or return;
  syswrite $s, "GET $path HTTP/1.0\r\nHost: engine\r\n\r\n";
  my ($answer, $until, $wait) = ('', time + 3, IO::Select->new($s));
  while ((my $left = $until - time) > 0) {
    if (!$wait->can_read($left)) { next if $!{EINTR}; last }
    my $n = sysread $s, my $chunk, 65536;
    last unless $n;
    $answer .= $chunk;
  }
  close $s;
  my ($head, $body) = split /\r\n\r\n/, $answer, 2;
  return defined $body && $head =~ m{\AHTTP/1\.\d 200 } ? $body : undef;
}

sub next_check {
  my ($id, $run) = @_;
  my $b = $run->{batch};
  my $i = $b->{index};
  if ($i * 2 >= @{$b->{pairs}} || $b->{stopped}) {
    emit(sprintf "O %s %d\n%s", $id, length("\n$b->{nonce} end\n"), "\n$b->{nonce} end\n")
      unless $b->{stopped};
    remove_tree($b->{dir});
    delete $runs{$id};
    return emit("X $id " . ($b->{stopped} ? 143 : 0) . "\n");
  }
  my ($limit, $script) = @{$b->{pairs}}[$i * 2, $i * 2 + 1];
  $b->{t0} = time;
  spawn($id, $run, $b->{env}, '/bin/bash', '-c', "$b->{prelude}\n$script") or do {
    $run->{code} = 126;
    return end_check($id, $run);
  };
  $run->{deadline} = $b->{t0} + $limit;
}

sub end_check {
  my ($id, $run) = @_;
  my $b = $run->{batch};
  my $code = $run->{timed_out} ? ($run->{killed} ? 137 : 124) : $run->{code};
  my $cap = $b->{cap};
  my $text = sprintf("\n%s %d %d %.6f %.6f\n", $b->{nonce}, $b->{index}, $code, $b->{t0}, time)
    . substr($run->{out}, 0, $cap) . "\n$b->{nonce} $b->{index} err\n"
    . substr($run->{err}, 0, $cap) . "\n$b->{nonce} $b->{index} done\n";
  emit(sprintf "O %s %d\n%s", $id, length $text, $text);
  $b->{index}++;
  next_check($id, $run);
}

sub stop_run {
  my ($id) = @_;
  my $run = $runs{$id} or return;
  $run->{batch}{stopped} = 1 if $run->{batch};
  kill 'TERM', -$run->{pid};
  $run->{kill_at} //= time + $grace;
}

sub read_requests {
  while (1) {
    if ($in =~ /\AR (\S+) (\d+)\n/) {
      my ($id, $bytes, $head) = ($1, $2, length $&);
      last if length($in) < $head + $bytes;
      my $payload = substr($in, $head, $bytes);
      substr($in, 0, $head + $bytes) = '';
      start_run($id, $payload);
    } elsif ($in =~ s/\AK (\S+)\n//) {
      stop_run($1);
    } elsif ($in =~ s/\A[^\n]*\n//) {
      # Not a request: dropped.
    } else {
      last;
    }
  }
}

sub read_events {
  my $changed = 0;
  while ($events =~ s/\A.*?"Action":"([^"]*)"//s) { $changed = 1 if $1 !~ /^exec_/ }
  $events = substr($events, -4096) if length $events > 65536;
  emit("A\n") if $changed;
}

sub finish_runs {
  while ((my $pid = waitpid(-1, WNOHANG)) > 0) {
    $exited{$pid} = $? & 127 ? 128 + ($? & 127) : $? >> 8;
  }
  my $now = time;
  for my $id (keys %runs) {
    my $run = $runs{$id};
    if ($run->{open} == 0 && exists $exited{$run->{pid}}) {
      $run->{code} = delete $exited{$run->{pid}};
      if ($run->{batch}) {
        end_check($id, $run);
      } else {
        emit("X $id $run->{code}\n");
        delete $runs{$id};
      }
      next;
    }
    if ($run->{deadline} && $now >= $run->{deadline} && !$run->{timed_out}) {
      kill 'TERM', -$run->{pid};    # a check past its own time limit, as `timeout` would
      $run->{timed_out} = 1;
      $run->{kill_at} = $now + $run->{batch}{grace};
    }
    if ($run->{kill_at} && $now >= $run->{kill_at}) {
      kill 'KILL', -$run->{pid};
      $run->{killed} = 1;
      delete $run->{kill_at};
    }
  }
}

sub wait_for {
  my $now = time;
  my $wait = 5;
  for my $run (values %runs) {
    return 0.02 if $run->{open} == 0;
    for (grep { defined } @$run{qw(deadline kill_at)}) { $wait = $_ - $now if $_ - $now < $wait }
  }
  return $wait < 0.01 ? 0.01 : $wait;
}

while (1) {
  for my $fh ($select->can_read(wait_for())) {
    my $n = sysread $fh, my $chunk, 65536;
    if ($fh == $engine) {
      exit 0 unless $n;
      $events .= $chunk;
      read_events();
    } elsif (fileno($fh) == fileno(STDIN)) {
      if ($n) { $in .= $chunk; read_requests() }
      else { $select->remove(\*STDIN) }
    } elsif (my $stream = $streams{fileno $fh}) {
      my ($id, $kind) = @$stream;
      my $run = $runs{$id};
      if ($n) {
        if ($run->{batch}) {
          my $key = $kind eq 'O' ? 'out' : 'err';
          $run->{$key} .= $chunk if length $run->{$key} < $run->{batch}{cap};
          next;
        }
        next if $run->{sent} >= $max_output;
        $run->{sent} += length $chunk;
        emit("$kind $id " . length($chunk) . "\n$chunk");
      } else {
        $select->remove($fh);
        delete $streams{fileno $fh};
        close $fh;
        $run->{open}--;
      }
    }
  }
  finish_runs();
}
