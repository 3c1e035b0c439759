/** A stack without an inventory fails the way the Pulumi CLI shows best: a RunError, message only. */
import * as pulumi from "@pulumi/pulumi";
import { startMockRuntime } from "../../cli/mockRuntime";

it("turns a missing inventory into a RunError naming the file to create", async () => {
  await startMockRuntime("staging");
  const loading = import("../../stacks/index");
  await expect(loading).rejects.toBeInstanceOf(pulumi.RunError);
  await expect(loading).rejects.toThrow(
    'stacks/staging/sp.yaml: the stack "staging" has no sp.yaml. Fix: create stacks/staging/sp.yaml (see stacks/lab/sp.yaml) or pick an existing stack',
  );
});
