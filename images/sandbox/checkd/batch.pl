# Part of slipway-checkd (checkd.pl): a check batch, run here rather than by check-batch.ts's
# bash program, with the same output.
use strict;
use warnings;
use File::Path qw(make_path remove_tree);
use IO::Select;
use IO::Socket::UNIX;
use Time::HiRes qw(time);

our (%runs, $kept_socket);

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
  # One check is cheaper in a bash of its own: the round shell costs a fork and files more.
  (@pairs > 2 && start_shell($id, $run)) or next_check($id, $run);
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
    shell_close($id, $run);
    remove_tree($b->{dir});
    delete $runs{$id};
    return emit("X $id " . ($b->{stopped} ? 143 : 0) . "\n");
  }
  my ($limit, $script) = @{$b->{pairs}}[$i * 2, $i * 2 + 1];
  $b->{t0} = time;
  return shell_check($id, $run, $limit, $script) if $b->{shell};
  spawn($id, $run, $b->{env}, undef, '/bin/bash', '-c', "$b->{prelude}\n$script") or do {
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

1;
