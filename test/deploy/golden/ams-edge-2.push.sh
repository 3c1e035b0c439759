set -u
h=ams-edge-2
say() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$h" "$*"; }
redact() { sed -E 's/((password|authentication-key|secret)([[:space:]]+(clear|encrypted|[0-9]))?[[:space:]]+)"?[^[:space:]";]+"?/\1<redacted>/g'; }
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
  node scripts/run-ts.js cli/gate.ts --platform iosxr --router ams-edge-2 --timeout 120 --hold 10 --session amsterdam/b/ipv4,ipv4,192.0.2.2,2,1 --session amsterdam/b/ipv6,ipv6,2001:db8:ffff::2,1,1 -- ssh -T -p 22 $o maps-deploy@192.168.100.2
}
split() {
  rm -f "$2".*
  awk -v t="$2" -v p='! peering-as-code: ' 'index($0, p) == 1 && substr($0, length(p) + 1) ~ /^[a-z0-9.]+$/ { f = t "." substr($0, length(p) + 1); printf "" > f; next }
    f { print > f }' "$1"
  for s in next drained sessions; do [ -f "$2.$s" ] || { say "stdin has no $s section"; return 1; }; done
  [ ! -f "$2.note" ] || while IFS= read -r l; do say "$l"; done < "$2.note"
}
# One transaction: $1 the removals, $2 the rendering. A check pass that loads and discards them,
# then the commit with the platform's own rollback armed. 1: refused, nothing committed; 2: the commit failed.
transact() {
  cp "$1" "$w/removals" && cp "$2" "$w/next" || return 1
  s=pac-ams-edge-2-$(date +%s)-$n
  cat "$w/removals" "$w/next" > "$w/load"
  put "$w/load" /harddisk:/ams-edge-2.pac.next || { say "could not copy the rendering to /harddisk: on the router"; return 1; }
  {
    printf '%s\n' "configure exclusive"
    printf '%s\n' "load harddisk:/ams-edge-2.pac.next"
    printf '%s\n' "show configuration failed load"
    printf '%s\n' "abort"
  } > "$w/check"
  out=$(cli "$w/check")
  if printf '%s\n' "$out" | grep -Eq '^%|SEMANTIC ERRORS|SYNTAX/AUTHORIZATION ERRORS|Failed to commit|Invalid input'; then printf '%s\n' "$out" | grep -E '^%|SEMANTIC ERRORS|SYNTAX/AUTHORIZATION ERRORS|Failed to commit|Invalid input' | redact >&2; say "the router refused the change (check pass); nothing committed"; return 1; fi
  {
    printf '%s\n' "configure exclusive"
    printf '%s\n' "load harddisk:/ams-edge-2.pac.next"
    printf '%s\n' "commit confirmed 600"
    printf '%s\n' "end"
  } > "$w/apply"
  out=$(cli "$w/apply"); rc=$?
  if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -Eq '^%|SEMANTIC ERRORS|SYNTAX/AUTHORIZATION ERRORS|Failed to commit|Invalid input'; then
    printf '%s\n' "$out" | grep -E '^%|SEMANTIC ERRORS|SYNTAX/AUTHORIZATION ERRORS|Failed to commit|Invalid input' | redact >&2
    say "the commit failed; whatever the router committed, it rolls back by itself: IOS-XR rolls it back in 600 s unless confirmed (commit confirmed)"
    return 2
  fi
  say "applied $(grep -c . "$w/removals") removals and the rendering; IOS-XR rolls it back in 600 s unless confirmed (commit confirmed)"
}
confirm() {
  {
    printf '%s\n' "configure exclusive"
    printf '%s\n' "commit"
    printf '%s\n' "end"
  } > "$w/confirm"
  out=$(cli "$w/confirm"); rc=$?
  if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -Eq '^%|SEMANTIC ERRORS|SYNTAX/AUTHORIZATION ERRORS|Failed to commit|Invalid input'; then printf '%s\n' "$out" | redact >&2; return 1; fi
}
undo() {
  {
    printf '%s\n' "rollback configuration last 1"
  } > "$w/rollback"
  out=$(cli "$w/rollback")
  if printf '%s\n' "$out" | grep -Eq '^%|SEMANTIC ERRORS|SYNTAX/AUTHORIZATION ERRORS|Failed to commit|Invalid input'; then printf '%s\n' "$out" | grep -E '^%|SEMANTIC ERRORS|SYNTAX/AUTHORIZATION ERRORS|Failed to commit|Invalid input' | redact >&2; say "ROLLBACK FAILED: the router's own timer rolls it back"; fi
}
# Back to the previous rendering from where stage $1 started, once an earlier stage was confirmed.
restore() {
  [ "$confirmed" -gt 0 ] || return 0
  say "restoring the previous rendering: the stages before this one were confirmed"
  n=$((n + 1))
  if transact "$w/in.restore.$1" "$w/in.previous" && confirm; then say "restored"; else say "RESTORE FAILED: the leg is as the last confirmed stage left it"; fi
}
n=0; confirmed=0
cat > "$w/push" || exit 1
split "$w/push" "$w/in" || exit 1
for f in "$w"/in.stage.*; do
  [ -f "$f" ] || { say "stdin has no stage"; exit 1; }
  i=${f#"$w/in.stage."}; name=${i#*.}; n=$((n + 1))
  transact "$w/in.removals.$i" "$f"; rc=$?
  if [ $rc -eq 1 ]; then restore "$i"; exit 1; fi
  if [ $rc -ne 0 ]; then
    # What the failed commit left is unknown until the router's own rollback fires: nothing more is committed over it.
    [ "$confirmed" -eq 0 ] || say "the stages before this one stay confirmed (the leg may stay drained): run the push again once the router has rolled the failed commit back"
    exit 1
  fi
  if gate; then
    if ! confirm; then
      # The commit is still pending, as after a failed gate: undone at once, and the earlier stages restored.
      say "the router did not confirm: rolling back at once"
      undo
      restore "$i"
      exit 1
    fi
    confirmed=$((confirmed + 1))
    if [ "$name" = drain ]; then
      say "drained (RFC 8326): 60 s for traffic to leave this leg before the change"
      sleep 60
    fi
    continue
  fi
  say "rolling back at once"
  undo
  restore "$i"
  if gate; then say "rolled back: healthy again"; else say "rolled back, still not healthy"; fi
  exit 1
done
# The rendering, its drained variant and its session facts, in one file: the next push reads them together.
{ cat "$w/in.next"; printf '%s\n' '! peering-as-code: drained'; cat "$w/in.drained"; printf '%s\n' '! peering-as-code: sessions'; cat "$w/in.sessions"; } > "$w/kept"
put "$w/kept" /harddisk:/ams-edge-2.pac.conf || say "confirmed, but the rendering could not be kept on the router: the next push removes from the older one"
say "confirmed"; exit 0
