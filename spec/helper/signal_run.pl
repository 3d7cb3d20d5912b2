#!/usr/bin/perl
# signal_run.pl SIGNAL READY COMMAND [ARG...]
#
# For spec/launcher_spec.lua: runs COMMAND with SIGINT, SIGTERM and SIGHUP
# at their default action and its standard input a pipe that stays open
# (this script holds the other end), waits until it is ready, sends it
# SIGNAL (INT, TERM, HUP) and prints how it ended: "signal N" (killed by
# signal N) or "exit N".  READY is a file the command creates once it is
# running, or "-": then the command is taken to be ready once it sleeps
# (blocked in a read: /proc/PID/stat says S).  A command that has not ended
# 10 s after the signal is killed and "timeout" printed.
use strict;
use warnings;
use POSIX ();
use Time::HiRes qw(sleep time);

my ($sig, $ready, @cmd) = @ARGV;
die "usage: signal_run.pl SIGNAL READY COMMAND [ARG...]\n" unless @cmd;

pipe(my $r, my $w) or die "pipe: $!\n";
my $pid = fork();
die "fork: $!\n" unless defined $pid;
if ($pid == 0) {
  $SIG{$_} = 'DEFAULT' for qw(INT TERM HUP);
  close $w;
  POSIX::dup2(fileno($r), 0) or POSIX::_exit(126);
  exec { $cmd[0] } @cmd or POSIX::_exit(127);
}
close $r;

sub state {
  open(my $f, '<', "/proc/$pid/stat") or return '';
  my $s = <$f>;
  return $s =~ /\) (\S)/ ? $1 : '';
}

my $deadline = time() + 10;
while (time() < $deadline) {
  last if $ready ne '-' && -e $ready;
  last if $ready eq '-' && state() eq 'S';
  last if waitpid($pid, POSIX::WNOHANG()) == $pid && do { print "ended early\n"; exit 1 };
  sleep 0.02;
}
sleep 0.2;
kill $sig, $pid;
$deadline = time() + 10;
while (time() < $deadline) {
  if (waitpid($pid, POSIX::WNOHANG()) == $pid) {
    my $st = $?;
    print(($st & 127) ? "signal " . ($st & 127) . "\n" : "exit " . ($st >> 8) . "\n");
    exit 0;
  }
  sleep 0.02;
}
kill 'KILL', $pid;
waitpid($pid, 0);
print "timeout\n";
