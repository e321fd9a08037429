#!/usr/bin/perl
# slipway-checkd: the first process of a sandbox's checker (lab-runner/src/sandbox/docker/
# checker.ts). It runs the runner's check batches without an engine exec per round, and tells
# the runner when the sandbox's engine reports a change, so rounds follow what changed rather
# than a clock. Perl because it is in every Debian image and reads and forks cheaply.
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
use strict;
use warnings;
use IO::Select;
use IO::Socket::UNIX;
use POSIX qw(WNOHANG setsid _exit);

my ($socket_path, $grace) = (@ARGV, 2);
my $max_output = 4 * 1024 * 1024;
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

sub start_run {
  my ($id, $payload) = @_;
  my @items = split /\0/, $payload, -1;
  pop @items;
  my @env;
  push @env, shift @items while @items && $items[0] ne '--';
  shift @items;
  return emit("X $id 126\n") if !@items || exists $runs{$id};
  my ($out_r, $out_w, $err_r, $err_w);
  pipe($out_r, $out_w) && pipe($err_r, $err_w) or return emit("X $id 126\n");
  my $pid = fork;
  return emit("X $id 126\n") unless defined $pid;
  if ($pid == 0) {
    setsid();
    open STDIN, '<', '/dev/null';
    open STDOUT, '>&', $out_w;
    open STDERR, '>&', $err_w;
    %ENV = %base_env;
    for (@env) { my ($k, $v) = split /=/, $_, 2; $ENV{$k} = $v // '' }
    chdir '/root';
    { no warnings 'exec'; exec { $items[0] } @items; }
    _exit(127);
  }
  close $out_w;
  close $err_w;
  $runs{$id} = { pid => $pid, open => 2, sent => 0 };
  for ([$out_r, 'O'], [$err_r, 'E']) {
    $streams{fileno $_->[0]} = [$id, $_->[1], $_->[0]];
    $select->add($_->[0]);
  }
}

sub stop_run {
  my ($id) = @_;
  my $run = $runs{$id} or return;
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
  for my $id (keys %runs) {
    my $run = $runs{$id};
    if ($run->{kill_at} && time >= $run->{kill_at}) {
      kill 'KILL', -$run->{pid};
      delete $run->{kill_at};
    }
    next if $run->{open} > 0 || !exists $exited{$run->{pid}};
    emit("X $id " . delete($exited{$run->{pid}}) . "\n");
    delete $runs{$id};
  }
}

while (1) {
  my $waiting = grep { $_->{open} == 0 || $_->{kill_at} } values %runs;
  for my $fh ($select->can_read($waiting ? 0.02 : 5)) {
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
