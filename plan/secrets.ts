/**
 * The secrets a plan needs from the stack config: MD5 keys, by the name of their Pulumi secret
 * config key (the inventory names a key, never holds it). Pure: the caller says which keys are set.
 */
import { problemAt, type Problem } from "../load/problem";
import { legsInOrder, type Plan } from "./model";

/** Every MD5 key name the plan uses, once, in leg order. */
export function secretConfigKeys(plan: Plan): string[] {
  return [...new Set(plan.metros.flatMap((m) => legsInOrder(m).flatMap((l) => l.md5KeySecret ?? [])))];
}

/** A problem for each MD5 key name the stack config does not set, at the first leg naming it. */
export function missingSecretProblems(plan: Plan, isSet: (key: string) => boolean): Problem[] {
  const reported = new Set<string>();
  const problems: Problem[] = [];
  for (const leg of plan.metros.flatMap((m) => legsInOrder(m))) {
    const name = leg.md5KeySecret;
    if (!name || reported.has(name) || isSet(name)) continue;
    reported.add(name);
    problems.push(
      problemAt(
        leg.source,
        `names MD5 secret "${name}", which the stack config does not set`,
        `run \`pulumi config set --secret ${name} <key>\` (or remove md5)`,
        `${leg.source.field}.md5.keySecret`,
      ),
    );
  }
  return problems;
}
