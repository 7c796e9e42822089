/**
 * One ESLint rule for the whole layering of the code base, read from folder
 * names: a table gives each layer (a folder) the layers and the npm or Node
 * modules it may import, and the rule finds the layer of every linted file
 * and of every path it imports from their folders. Loaded by
 * eslint.config.js through Node's type stripping, so it uses only erasable
 * TypeScript and imports nothing local.
 */
import { isBuiltin } from 'node:module';
import path from 'node:path';
import type { Rule } from 'eslint';

export interface Layer {
  /** Other layers (by folder) this one may import; its own files it may always import. */
  readonly imports: readonly string[];
  /** Modules it may import: package names, `@scope/*`, or `node:*` for every Node module. */
  readonly modules: readonly string[];
  /** Why the layer's boundary is where it is: the line every error about it quotes. */
  readonly why: string;
}

/** Layers by folder, relative to the root: a file belongs to the row whose folder is the longest one holding it. */
export type LayerTable = Readonly<Record<string, Layer>>;

/** One import the table forbids but the code still has, allowed until the change that removes it lands. */
export interface LayeringException {
  /** The importing file, relative to the root. */
  readonly file: string;
  /** The imported path, relative to the root, as the import spells it (`.js` for a `.ts` file). */
  readonly imports: string;
}

export interface LayeringOptions {
  /** The folder the table's paths are relative to. */
  readonly root: string;
  readonly layers: LayerTable;
  readonly exceptions?: readonly LayeringException[];
}

/** An expression that may name a module: an import's source, or require's argument. */
type Source = Extract<Rule.Node, { type: 'CallExpression' }>['arguments'][number];

/** A path relative to the root with `/` between folders, whatever the platform. */
function relativeToRoot(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** The row whose folder holds `relativePath` most closely, or undefined when none does. */
function layerOf(relativePath: string, layers: LayerTable): string | undefined {
  let best: string | undefined;
  for (const folder of Object.keys(layers)) {
    const holds = relativePath === folder || relativePath.startsWith(`${folder}/`);
    if (holds && (best === undefined || folder.length > best.length)) best = folder;
  }
  return best;
}

/**
 * The module an import names, as the table names modules: a package for any
 * of its subpaths (`react-dom/client` → `react-dom`), and a Node module with
 * its prefix and without subpath (`fs/promises` → `node:fs`), so that neither
 * a bare name nor a subpath slips past the table.
 */
function moduleOf(specifier: string): string {
  if (isBuiltin(specifier)) return `node:${specifier.replace(/^node:/, '').split('/')[0]}`;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function allowsModule(patterns: readonly string[], module: string): boolean {
  return patterns.some((pattern) => (pattern.endsWith('*') ? module.startsWith(pattern.slice(0, -1)) : module === pattern));
}

/** A typo in the table would silently forbid an import, so it is an error of its own. */
function checkTable(layers: LayerTable): void {
  for (const [folder, layer] of Object.entries(layers)) {
    for (const imported of layer.imports) {
      if (!(imported in layers)) throw new Error(`Layer table: ${folder} may import ${imported}, which has no row of its own.`);
    }
  }
}

const TABLE = 'eslint-rules/layers.ts';

export const layering: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer, named by its folder, imports only the layers and modules its row of the layer table lists.' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layers: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: {
                imports: { type: 'array', items: { type: 'string' } },
                modules: { type: 'array', items: { type: 'string' } },
                why: { type: 'string' },
              },
              required: ['imports', 'modules', 'why'],
              additionalProperties: false,
            },
          },
          exceptions: {
            type: 'array',
            items: {
              type: 'object',
              properties: { file: { type: 'string' }, imports: { type: 'string' } },
              required: ['file', 'imports'],
              additionalProperties: false,
            },
          },
        },
        required: ['root', 'layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden: '{{layer}} may not import {{target}}: {{why}}',
      fileInNoLayer: `{{file}} lies in no layer: give its folder a row in ${TABLE}.`,
      targetInNoLayer: `{{layer}} may not import {{target}}, which lies in no layer: give its folder a row in ${TABLE}.`,
      staleException: `{{file}} no longer imports {{target}}: delete its exception from ${TABLE}.`,
    },
  },

  create(context) {
    const { root, layers, exceptions = [] } = context.options[0] as LayeringOptions;
    checkTable(layers);
    const file = relativeToRoot(root, context.filename);
    const layer = layerOf(file, layers);
    const row = layer === undefined ? undefined : layers[layer];
    const excepted = new Set(exceptions.filter((exception) => exception.file === file).map((exception) => exception.imports));
    const usedExceptions = new Set<string>();

    /** Checks one import of `specifier`, reported at `node` (the string that names it). */
    function check(node: Source, specifier: unknown): void {
      if (layer === undefined || row === undefined || typeof specifier !== 'string') return;
      if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
        const target = relativeToRoot(root, path.resolve(path.dirname(context.filename), specifier.split('?')[0] ?? specifier));
        const targetLayer = layerOf(target, layers);
        if (targetLayer === layer || (targetLayer !== undefined && row.imports.includes(targetLayer))) return;
        if (excepted.has(target)) {
          usedExceptions.add(target);
          return;
        }
        if (targetLayer === undefined) context.report({ node, messageId: 'targetInNoLayer', data: { layer, target } });
        else context.report({ node, messageId: 'forbidden', data: { layer, target: targetLayer, why: row.why } });
        return;
      }
      const module = moduleOf(specifier);
      if (!allowsModule(row.modules, module)) context.report({ node, messageId: 'forbidden', data: { layer, target: module, why: row.why } });
    }

    /** `'x'`, or a template literal without substitutions. */
    function checkSource(source: Source): void {
      if (source.type === 'Literal') check(source, source.value);
      else if (source.type === 'TemplateLiteral' && source.expressions.length === 0) check(source, source.quasis[0]?.value.cooked);
    }

    return {
      Program(program): void {
        if (layer === undefined) context.report({ node: program, messageId: 'fileInNoLayer', data: { file } });
      },
      'Program:exit'(program): void {
        for (const target of excepted) {
          if (!usedExceptions.has(target)) context.report({ node: program, messageId: 'staleException', data: { file, target } });
        }
      },
      ImportDeclaration: (node): void => checkSource(node.source),
      ExportAllDeclaration: (node): void => checkSource(node.source),
      ExportNamedDeclaration(node): void {
        if (node.source) checkSource(node.source);
      },
      ImportExpression: (node): void => checkSource(node.source),
      // require('x'), and createRequire(import.meta.url)('x'), which is how native modules are loaded here.
      CallExpression(node): void {
        const callee = node.callee;
        const isRequire = callee.type === 'Identifier' && callee.name === 'require';
        const isCreatedRequire = callee.type === 'CallExpression' && callee.callee.type === 'Identifier' && callee.callee.name === 'createRequire';
        const [first] = node.arguments;
        if ((isRequire || isCreatedRequire) && first !== undefined) checkSource(first);
      },
      // import('x').Type in a type position, and import x = require('x'): typescript-eslint's
      // nodes, which ESLint's ESTree types do not know, so each is read by the one field it has.
      TSImportType: (node: Rule.Node): void => checkSource((node as unknown as { source: Source }).source),
      TSExternalModuleReference: (node: Rule.Node): void => checkSource((node as unknown as { expression: Source }).expression),
    };
  },
};
