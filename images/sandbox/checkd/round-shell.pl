# Part of slipway-checkd (checkd.pl).
use strict;
use warnings;
use Time::HiRes qw(time);

our (%runs, %streams, %reap_quietly, $select);

# The round shell: one bash per batch reads the prelude once, then runs each check in a subshell
# of its own (a fork, not a new bash that parses the prelude again: ~14 ms less per check here).
# Job control gives each check a process group, so a time limit stops it with its children as
# before; its stdout and stderr go to files in the round's directory. The shell reports
# "P <index> <pid>" when a check starts and "X <index> <status>" when it ends.
my $ROUND_SHELL = <<'SH';
exec 2>/dev/null
set -m
printf '\n%s ready\n' "$__slipway_nonce"
while IFS= read -r -d '' __slipway_i && IFS= read -r -d '' __slipway_script; do
  ( set +m; eval "$__slipway_script" ) </dev/null >"$__slipway_dir/$__slipway_i.out" 2>"$__slipway_dir/$__slipway_i.err" &
  printf 'P %s %s\n' "$__slipway_i" "$!"
  wait "$!"
  printf 'X %s %s\n' "$__slipway_i" "$?"
done
SH

sub start_shell {
  my ($id, $run) = @_;
  my $b = $run->{batch};
  my ($in_r, $in_w);
  pipe($in_r, $in_w) or return;
  my $program = "__slipway_nonce=" . sh_quote($b->{nonce}) . " __slipway_dir=" . sh_quote($b->{dir})
    . "\n$b->{prelude}\n$ROUND_SHELL";
  spawn($id, $run, $b->{env}, $in_r, '/bin/bash', '-c', $program) or return;
  close $in_r;
  $b->{shell} = { pid => $run->{pid}, in => $in_w, ctl => '', out => '', err => '',
    ready_by => time + ($b->{pairs}[0] // 5) };
  return 1;
}

# What the round shell wrote: before "ready", the prelude's own output (each check's output
# begins with it, as when every check ran the prelude); after it, reports.
sub shell_output {
  my ($id, $run, $kind, $chunk) = @_;
  my $sh = $run->{batch}{shell};
  if ($kind eq 'E') {
    $sh->{err} .= $chunk if length $sh->{err} < $run->{batch}{cap};
    return;
  }
  $sh->{ctl} .= $chunk;
  if (!$sh->{ready}) {
    my $mark = "\n$run->{batch}{nonce} ready\n";
    my $at = index $sh->{ctl}, $mark;
    return if $at < 0;
    $sh->{out} = substr($sh->{ctl}, 0, $at);
    $sh->{ctl} = substr($sh->{ctl}, $at + length $mark);
    $sh->{ready} = 1;
    shell_start_checks($id, $run);
  }
  while ($runs{$id} && $sh->{ctl} =~ s/\A([^\n]*)\n//) {
    my $line = $1;
    if ($line =~ /\AP \d+ (\d+)\z/) {
      $sh->{check} = $1;
      kill($run->{killed} ? 'KILL' : 'TERM', -$1) if $run->{timed_out};
    } elsif ($line =~ /\AX \d+ (\d+)\z/) {
      shell_check_done($id, $run, $1);
    }
  }
}

# The prelude's stderr ends where the program sends its stderr to /dev/null, before "ready".
sub shell_start_checks {
  my ($id, $run) = @_;
  my $sh = $run->{batch}{shell};
  return unless $sh->{ready} && $sh->{err_closed} && !$sh->{started};
  $sh->{started} = 1;
  next_check($id, $run);
}

sub shell_check {
  my ($id, $run, $limit, $script) = @_;
  my $b = $run->{batch};
  delete @$run{qw(kill_at timed_out killed code)};
  delete $b->{shell}{check};
  $b->{shell}{running} = 1;
  my $request = "$b->{index}\0$script\0";
  while (length $request) {
    my $n = syswrite $b->{shell}{in}, $request;
    last unless $n;    # the shell is gone: finish_runs hears it
    substr($request, 0, $n) = '';
  }
  $run->{deadline} = $b->{t0} + $limit;
}

sub read_capped {
  my ($path, $cap) = @_;
  open(my $fh, '<', $path) or return '';
  my $text = '';
  read $fh, $text, $cap;
  close $fh;
  unlink $path;
  return $text;
}

sub shell_check_done {
  my ($id, $run, $code) = @_;
  finish_shell_check($id, $run, $run->{batch}{shell}, $code);
}

sub finish_shell_check {
  my ($id, $run, $sh, $code) = @_;
  my $b = $run->{batch};
  kill 'KILL', -$sh->{check} if $sh->{check};    # what the check left running
  delete @$sh{qw(check running)};
  delete $run->{deadline};
  $run->{code} = $code;
  $run->{out} = substr($sh->{out} . read_capped("$b->{dir}/$b->{index}.out", $b->{cap}), 0, $b->{cap});
  $run->{err} = substr($sh->{err} . read_capped("$b->{dir}/$b->{index}.err", $b->{cap}), 0, $b->{cap});
  end_check($id, $run);
}

# The round shell ended before the batch did: stopped, killed by its own check (`kill $$` means
# the check's shell), its prelude exited, or it was not ready in time. A check under way ends
# with the shell's status; the rest run as before, a bash each.
sub shell_gone {
  my ($id, $run, $code) = @_;
  my $b = $run->{batch};
  my $sh = delete $b->{shell};
  close $sh->{in};
  return finish_shell_check($id, $run, $sh, $code) if $sh->{running} && !$b->{stopped};
  next_check($id, $run);
}

# At the end of a batch: the shell reads the end of its input and exits; nobody waits for it.
sub shell_close {
  my ($id, $run) = @_;
  my $sh = delete $run->{batch}{shell} or return;
  close $sh->{in};
  $reap_quietly{$sh->{pid}} = 1;
  for my $fd (grep { $streams{$_}[2] && $streams{$_}[0] eq $id } keys %streams) {
    my $fh = $streams{$fd}[2];
    $select->remove($fh);
    delete $streams{$fd};
    close $fh;
  }
}

1;
