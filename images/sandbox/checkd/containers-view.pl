# Part of slipway-checkd (checkd.pl).
use strict;
use warnings;
use JSON::PP ();

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

1;
