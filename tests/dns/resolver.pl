#!/usr/bin/perl
# resolver.pl LOG - a DNS server on 127.0.0.53:53 (UDP) that reads every
# query and never answers: logs "TIME TYPE NAME" for each, and prints
# "ready" once bound.
use strict;
use warnings;
use IO::Socket::INET;
use Time::HiRes qw(time);

my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.53:53', Proto => 'udp')
	or die "resolver.pl: 127.0.0.53:53: $!\n";
open(my $log, '>>', $ARGV[0]) or die "resolver.pl: $ARGV[0]: $!\n";
$log->autoflush(1);
$| = 1;
print "ready\n";
my $pkt;
while (defined $s->recv($pkt, 4096)) {
	my ($off, @labels) = (12);
	while ($off < length($pkt) && (my $l = ord(substr($pkt, $off, 1))) > 0) {
		push @labels, substr($pkt, $off + 1, $l);
		$off += $l + 1;
	}
	my $type = length($pkt) >= $off + 3 ? unpack('n', substr($pkt, $off + 1, 2)) : 0;
	printf $log "%.3f %s %s\n", time, $type == 1 ? 'A' : $type == 28 ? 'AAAA' : $type,
		join('.', @labels);
}
