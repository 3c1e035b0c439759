/** The program's entry point as the Pulumi CLI loads it (Pulumi.yaml `main: stacks/index.ts`). */
import * as pulumi from "@pulumi/pulumi";
import { resolve, startMockRuntime } from "../../cli/mockRuntime";

it("exports the session table, the configs and the peering names of the stack", async () => {
  await startMockRuntime("lab");
  const entry = await import("../../stacks/index");
  expect(entry.sessions).toHaveLength(12);
  expect(entry.sessions[0]).toMatchObject({
    metro: "amsterdam",
    leg: "a",
    router: "ams-edge-1",
    afi: "ipv4",
    sessionPrefix: "192.0.2.0/31",
    md5: "none",
  });
  expect(Object.keys(entry.reviewConfigs)).toHaveLength(6);
  expect(await resolve(entry.peerings.london)).toBe("maps-as64500-london");
  expect(entry.newAllocations).toEqual([]);
  expect(await pulumi.isSecret(entry.configs["frankfurt/fra-edge-2.conf"])).toBe(true);
});
