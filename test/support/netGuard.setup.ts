/**
 * Jest setup (`setupFilesAfterEnv`): every test file runs behind the network guard, and a file
 * that tried to connect anywhere but 127.0.0.1 fails, naming where.
 */
import { installNetGuard, takeRefusedConnections } from "./netGuard";

installNetGuard();
// What an earlier file in this worker left is that file's (it failed already).
takeRefusedConnections();

afterAll(() => {
  const refused = takeRefusedConnections();
  if (refused.length > 0)
    throw new Error(
      `network guard: this test file tried to connect to ${refused.join(", ")}; tests talk to 127.0.0.1 only`,
    );
});
