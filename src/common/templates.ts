import { Liquid, Tag, Template } from 'liquidjs';

/**
 * Liquid templates over event data (and, later, workflow runs). Only own properties are reachable, unknown
 * filters are errors, parse/render work is capped so a hostile template cannot stall a worker, and `include`,
 * `render` and `layout` are refused when the template is parsed (so when it is saved): they would read files.
 * The empty in-memory store stays as a second wall.
 */
const engine = new Liquid({
  templates: {},
  ownPropertyOnly: true,
  strictFilters: true,
  parseLimit: 10_000,
  renderLimit: 100,
  memoryLimit: 1_000_000,
});

class RefusedTag extends Tag {
  constructor(...args: ConstructorParameters<typeof Tag>) {
    super(...args);
    throw new Error(
      `the ${args[0].name} tag is not available: a template cannot read other templates or files`,
    );
  }
  *render(): Generator<never, void> {}
}
for (const name of ['include', 'render', 'layout']) engine.registerTag(name, RefusedTag);

export const MAX_TEMPLATE_LENGTH = 2_000;
const MAX_CACHED = 1_000;
const parsed = new Map<string, Template[]>();

export class TemplateError extends Error {}

function compile(source: string): Template[] {
  let templates = parsed.get(source);
  if (!templates) {
    if (source.length > MAX_TEMPLATE_LENGTH) {
      throw new TemplateError(`template is longer than ${MAX_TEMPLATE_LENGTH} characters`);
    }
    try {
      templates = engine.parse(source);
    } catch (error) {
      throw new TemplateError(`invalid template: ${(error as Error).message}`);
    }
    if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value!);
    parsed.set(source, templates);
  }
  return templates;
}

/** Throws TemplateError when `source` is not a valid template. */
export function checkTemplate(source: string): void {
  compile(source);
}

export function renderTemplate(source: string, scope: object): string {
  try {
    return engine.renderSync(compile(source), scope) as string;
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    throw new TemplateError(`template failed to render: ${(error as Error).message}`);
  }
}

/** A copy of `value` with every string in it, at any depth, rendered as a template. Keys are kept as they are. */
export function renderStrings(value: unknown, scope: object): unknown {
  if (typeof value === 'string') return renderTemplate(value, scope);
  if (Array.isArray(value)) return value.map((item) => renderStrings(item, scope));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderStrings(item, scope)]));
  }
  return value;
}
