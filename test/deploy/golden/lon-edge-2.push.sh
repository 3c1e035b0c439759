set -u
h=lon-edge-2
say() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$h" "$*"; }
umask 077
w=$(mktemp -d) || exit 1
trap 'rm -rf "$w"' EXIT
[ -n "${PAC_SSH_KEY:-}" ] || { say "PAC_SSH_KEY is empty: no private key to log in with"; exit 1; }
printf '%s\n' "$PAC_SSH_KEY" > "$w/key"
printf '%s\n' '192.168.100.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIlab' > "$w/known_hosts"
o="-o StrictHostKeyChecking=yes -o UserKnownHostsFile=$w/known_hosts"
o="-i $w/key -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=15 $o"
cli() { ssh -T -p 22 $o maps-deploy@192.168.100.2 < "$1" 2>&1; }
put() { scp -q -P 22 $o "$1" "maps-deploy@192.168.100.2:$2"; }
gate() {
  [ -f cli/gate.ts ] || { say "cli/gate.ts is not in $(pwd): the command runs in the project directory (Pulumi starts the command provider there)"; return 1; }
  npx --no-install ts-node --transpile-only cli/gate.ts --platform eos --router lon-edge-2 --timeout 120 --hold 10 --session london/b/ipv4,ipv4,192.0.2.62,2,1 --session london/b/ipv6,ipv6,2001:db8:ffff::fe,1,1 -- ssh -T -p 22 $o maps-deploy@192.168.100.2
}
s=pac-lon-edge-2-$(date +%s)
cat > "$w/push" || exit 1
awk -v w="$w" '$0 == "! peering-as-code: removals" { f = w "/removals"; next }
  $0 == "! peering-as-code: rendering" { f = w "/next"; next }
  f { print > f }' "$w/push"
[ -f "$w/removals" ] || : > "$w/removals"
[ -f "$w/next" ] || { say "stdin has no rendering section"; exit 1; }
{
  printf '%s\n' "configure session $s-check"
  cat "$w/removals"
  cat "$w/next"
  printf '%s\n' "configure session $s-check"
  printf '%s\n' "abort"
} > "$w/check"
out=$(cli "$w/check")
if printf '%s\n' "$out" | grep -Eq '^%'; then printf '%s\n' "$out" | grep -E '^%' >&2; say "the router refused the change (check pass); nothing committed"; exit 1; fi
{
  printf '%s\n' "configure session $s"
  cat "$w/removals"
  cat "$w/next"
  printf '%s\n' "configure session $s"
  printf '%s\n' "commit timer 00:10:00"
} > "$w/apply"
out=$(cli "$w/apply"); rc=$?
if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -Eq '^%'; then
  printf '%s\n' "$out" | grep -E '^%' >&2
  say "the commit failed; whatever the router committed, it rolls back by itself: EOS rolls it back in 00:10:00 unless confirmed (commit timer)"
  exit 1
fi
say "applied $(grep -c . "$w/removals") removals and the rendering; EOS rolls it back in 00:10:00 unless confirmed (commit timer)"
{
  printf '%s\n' "configure session $s commit"
} > "$w/confirm"
{
  printf '%s\n' "configure session $s abort"
} > "$w/rollback"
if gate; then
  out=$(cli "$w/confirm"); rc=$?
  if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -Eq '^%'; then printf '%s\n' "$out" >&2; say "the router did not confirm: it rolls back by itself"; exit 1; fi
  put "$w/next" /mnt/flash/lon-edge-2.pac.conf || say "confirmed, but the rendering could not be kept on the router: the next push removes from the older one"
  say "confirmed"; exit 0
fi
say "rolling back at once"
out=$(cli "$w/rollback")
if printf '%s\n' "$out" | grep -Eq '^%'; then printf '%s\n' "$out" | grep -E '^%' >&2; say "ROLLBACK FAILED: the router's own timer rolls it back"; fi
if gate; then say "rolled back: healthy again"; else say "rolled back, still not healthy"; fi
exit 1
