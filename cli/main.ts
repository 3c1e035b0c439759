/**
 * How every command of `cli/` ends: its exit code, or, for an error nobody expected, one line
 * naming the command and exit 70 (EX_SOFTWARE), never a stack trace. Expected failures (bad input,
 * a violated policy) are the commands' own messages and codes.
 */
export function runCli(name: string, main: () => number | Promise<number>): void {
  // Through a promise also when `main` is synchronous, so what it throws ends here too.
  Promise.resolve()
    .then(main)
    .then(
      (code) => process.exit(code),
      (e: unknown) => {
        console.error(`${name}: internal error: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(70);
      },
    );
}
