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
# A batch of several checks runs in one round shell that reads the prelude once and forks a
# subshell per check (round-shell.pl).
#
# `slipway-checkd --containers-view` prints that view for the JSON on stdin (for tests).
use strict;
use warnings;
use IO::Select;
use IO::Socket::UNIX;
use POSIX qw(WNOHANG setsid _exit);
use Time::HiRes qw(time);
use FindBin ();

# The parts, installed beside this file (images/sandbox/Dockerfile).
require "$FindBin::RealBin/$_" for qw(containers-view.pl batch.pl round-shell.pl);

if (($ARGV[0] // '') eq '--containers-view') {
  local $/;
  print containers_view(<STDIN>);
  exit 0;
}

my $socket_path = $ARGV[0];
our $grace = $ARGV[1] // 2;
my $max_output = 4 * 1024 * 1024;
our $kept_socket = '/var/cache/slipway-checks/engine-socket';
our %base_env = %ENV;

my $engine = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $socket_path)
  or die "slipway-checkd: cannot reach the engine at $socket_path: $!\n";
syswrite $engine, "GET /events HTTP/1.1\r\nHost: engine\r\n\r\n";

our $select = IO::Select->new($engine, \*STDIN);
our (%runs, %streams, %exited, %reap_quietly);
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
  my ($id, $run, $env, $stdin, @argv) = @_;
  my ($out_r, $out_w, $err_r, $err_w);
  pipe($out_r, $out_w) && pipe($err_r, $err_w) or return;
  my $pid = fork;
  return unless defined $pid;
  if ($pid == 0) {
    setsid();
    $stdin ? open(STDIN, '<&', $stdin) : open(STDIN, '<', '/dev/null');
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
  delete @$run{qw(kill_at deadline timed_out killed swept)};
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
  spawn($id, $run, \%env, undef, @items) or do { delete $runs{$id}; emit("X $id 126\n") };
}

sub stop_run {
  my ($id) = @_;
  my $run = $runs{$id} or return;
  $run->{batch}{stopped} = 1 if $run->{batch};
  kill 'TERM', -$run->{pid};
  kill 'TERM', -$run->{batch}{shell}{check} if $run->{batch} && $run->{batch}{shell} && $run->{batch}{shell}{check};
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
    next if delete $reap_quietly{$pid};
    $exited{$pid} = $? & 127 ? 128 + ($? & 127) : $? >> 8;
  }
  my $now = time;
  for my $id (keys %runs) {
    my $run = $runs{$id};
    my $sh = $run->{batch} && $run->{batch}{shell};
    if ($run->{open} == 0 && exists $exited{$run->{pid}}) {
      $run->{code} = delete $exited{$run->{pid}};
      if ($sh) {
        shell_gone($id, $run, $run->{code});
      } elsif ($run->{batch}) {
        end_check($id, $run);
      } else {
        emit("X $id $run->{code}\n");
        delete $runs{$id};
      }
      next;
    }
    if ($run->{batch} && !$sh && $run->{open} && exists $exited{$run->{pid}} && !$run->{swept}) {
      kill 'KILL', -$run->{pid};    # the check is over; what it left running holds its output open
      $run->{swept} = 1;
    }
    if ($sh && !$sh->{started} && $now >= $sh->{ready_by}) {
      kill 'KILL', -$run->{pid};    # its prelude hangs: the checks run a bash each, each timed
      $sh->{ready_by} = $now + 60;
    }
    # A check's own process group: in the round shell, its subshell's (once reported).
    my $target = $sh ? $sh->{check} : $run->{pid};
    if ($run->{deadline} && $now >= $run->{deadline} && !$run->{timed_out}) {
      kill 'TERM', -$target if $target;    # a check past its own time limit, as `timeout` would
      $run->{timed_out} = 1;
      $run->{kill_at} = $now + $run->{batch}{grace};
    }
    if ($run->{kill_at} && $now >= $run->{kill_at}) {
      kill 'KILL', -$target if $target;
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
    my $sh = $run->{batch} && $run->{batch}{shell};
    for (grep { defined } @$run{qw(deadline kill_at)}, $sh && !$sh->{started} ? $sh->{ready_by} : ()) { $wait = $_ - $now if $_ - $now < $wait }
  }
  return $wait < 0.01 ? 0.01 : $wait;
}

while (1) {
  for my $fh ($select->can_read(wait_for())) {
    next unless defined fileno $fh;    # closed by an earlier handle of this turn (a round shell's)
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
      my $sh = $run->{batch} && $run->{batch}{shell};
      if ($n) {
        if ($sh) {
          shell_output($id, $run, $kind, $chunk);
          next;
        }
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
        if ($sh && $kind eq 'E') {
          $sh->{err_closed} = 1;
          shell_start_checks($id, $run);
        }
      }
    }
  }
  finish_runs();
}

