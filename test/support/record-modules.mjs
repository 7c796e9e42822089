// Preloaded with `node --import`: on exit, writes every module the process
// loaded (ES modules through a resolve hook, CommonJS through require.cache)
// to the file named by RECORD_MODULES_FILE, so a test can prove what a
// command did NOT load.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.RECORD_MODULES_FILE;
if (file) {
  register(
    'data:text/javascript,' +
      encodeURIComponent(`
        import { appendFileSync } from 'node:fs';
        export async function resolve(specifier, context, next) {
          const result = await next(specifier, context);
          appendFileSync(${JSON.stringify(file)}, result.url + '\\n');
          return result;
        }`),
  );
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => appendFileSync(file, Object.keys(cache).join('\n') + '\n'));
}
