/**
 * The network guard in a child process (`node --require …/netGuard.preload.ts`): an attempt to
 * connect anywhere but 127.0.0.1 is refused and reported on stderr (`network guard: …`), which the
 * test that started the child checks.
 */
import { installNetGuard } from "./netGuard";

installNetGuard((target) => {
  process.stderr.write(`network guard: a connection to ${target} was refused; tests talk to 127.0.0.1 only\n`);
});
