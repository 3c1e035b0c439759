/** The render stage: RouterPlan → router config text, per vendor, from Handlebars templates. */
export {
  createRenderer,
  normaliseConfigText,
  assertSafeForConfig,
  resolveSecrets,
  redactingResolver,
  REDACTED_SECRET,
  type Renderer,
  type RenderedConfig,
  type SecretResolver,
} from "./render";
export { loadTemplateSources, DEFAULT_TEMPLATE_DIR, type TemplateSources } from "./templates";
export * as helpers from "./helpers";
