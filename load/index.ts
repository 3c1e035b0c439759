export * from "./inventory";
export * from "./problem";
export { parseInventory, type StackFiles } from "./load";
export { parseAndValidate, type SourceFile } from "./validate";
