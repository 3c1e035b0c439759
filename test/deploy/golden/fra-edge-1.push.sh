set -u
h=fra-edge-1
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
  npx --no-install ts-node --transpile-only cli/gate.ts --platform junos --router fra-edge-1 --timeout 120 --hold 10 --session frankfurt/a/ipv4,ipv4,192.0.2.4,2,1 --session frankfurt/a/ipv6,ipv6,2001:db8:ffff::4,1,1 -- ssh -T -p 22 $o maps-deploy@192.168.100.2
}
s=pac-fra-edge-1-$(date +%s)
cat > "$w/push" || exit 1
awk -v w="$w" '$0 == "# peering-as-code: removals" { f = w "/removals"; next }
  $0 == "# peering-as-code: rendering" { f = w "/next"; next }
  f { print > f }' "$w/push"
[ -f "$w/removals" ] || : > "$w/removals"
[ -f "$w/next" ] || { say "stdin has no rendering section"; exit 1; }
cp "$w/next" "$w/load"
put "$w/load" /var/tmp/fra-edge-1.pac.next || { say "could not copy the rendering to /var/tmp on the router"; exit 1; }
{
  printf '%s\n' "configure exclusive"
  cat "$w/removals"
  printf '%s\n' "load replace /var/tmp/fra-edge-1.pac.next"
  printf '%s\n' "commit check"
  printf '%s\n' "rollback 0"
  printf '%s\n' "exit configuration-mode"
} > "$w/check"
out=$(cli "$w/check")
if printf '%s\n' "$out" | grep -Eq '^error:|syntax error|unknown command|load complete \([0-9]+ errors?\)|commit failed|check-out failed'; then printf '%s\n' "$out" | grep -E '^error:|syntax error|unknown command|load complete \([0-9]+ errors?\)|commit failed|check-out failed' >&2; say "the router refused the change (check pass); nothing committed"; exit 1; fi
{
  printf '%s\n' "configure exclusive"
  cat "$w/removals"
  printf '%s\n' "load replace /var/tmp/fra-edge-1.pac.next"
  printf '%s\n' "commit confirmed 10 comment \"peering-as-code: unconfirmed\""
  printf '%s\n' "exit configuration-mode"
} > "$w/apply"
out=$(cli "$w/apply"); rc=$?
if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q 'commit complete' || printf '%s\n' "$out" | grep -Eq '^error:|syntax error|unknown command|load complete \([0-9]+ errors?\)|commit failed|check-out failed'; then
  printf '%s\n' "$out" | grep -E '^error:|syntax error|unknown command|load complete \([0-9]+ errors?\)|commit failed|check-out failed' >&2
  say "the commit failed; whatever the router committed, it rolls back by itself: Junos rolls it back in 10 min unless confirmed (commit confirmed)"
  exit 1
fi
say "applied $(grep -c . "$w/removals") removals and the rendering; Junos rolls it back in 10 min unless confirmed (commit confirmed)"
{
  printf '%s\n' "configure exclusive"
  printf '%s\n' "commit comment \"peering-as-code: confirmed after the health gate\""
  printf '%s\n' "exit configuration-mode"
} > "$w/confirm"
{
  printf '%s\n' "configure exclusive"
  printf '%s\n' "rollback 1"
  printf '%s\n' "commit comment \"peering-as-code: rolled back, health gate failed\""
  printf '%s\n' "exit configuration-mode"
} > "$w/rollback"
if gate; then
  out=$(cli "$w/confirm"); rc=$?
  if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q 'commit complete' || printf '%s\n' "$out" | grep -Eq '^error:|syntax error|unknown command|load complete \([0-9]+ errors?\)|commit failed|check-out failed'; then printf '%s\n' "$out" >&2; say "the router did not confirm: it rolls back by itself"; exit 1; fi
  put "$w/next" /var/tmp/fra-edge-1.pac.conf || say "confirmed, but the rendering could not be kept on the router: the next push removes from the older one"
  say "confirmed"; exit 0
fi
say "rolling back at once"
out=$(cli "$w/rollback")
if printf '%s\n' "$out" | grep -Eq '^error:|syntax error|unknown command|load complete \([0-9]+ errors?\)|commit failed|check-out failed'; then printf '%s\n' "$out" | grep -E '^error:|syntax error|unknown command|load complete \([0-9]+ errors?\)|commit failed|check-out failed' >&2; say "ROLLBACK FAILED: the router's own timer rolls it back"; fi
if gate; then say "rolled back: healthy again"; else say "rolled back, still not healthy"; fi
exit 1
