/** The render stage: RouterPlan → its policy model → router config text, per platform, from Handlebars templates. */
export {
  configPath,
  configPathOf,
  createRenderer,
  normaliseConfigText,
  assertSafeForConfig,
  resolveSecrets,
  redactingResolver,
  REDACTED_SECRET,
  type Renderer,
  type RouterRenderer,
  type RenderedConfig,
  type SecretResolver,
} from "./render";
export { loadTemplateSources, DEFAULT_TEMPLATE_DIR, PLATFORM_PARTIALS, type TemplateSources } from "./templates";
