import { readFileSync } from 'node:fs';

export interface PasswordSources {
  password?: string | undefined;
  passwordFile?: string | undefined;
}

/**
 * The relay's password from --password-file, --password or
 * PARLEY_RELAY_PASSWORD (an environment variable and a file keep it out of
 * `ps` listings, unlike --password); undefined for an open relay. A source
 * that is given but holds no password is refused: someone meant to set one,
 * and an open relay in its place would let anyone in.
 */
export function resolvePassword(sources: PasswordSources, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (sources.passwordFile !== undefined) {
    const path = sources.passwordFile;
    const password = readSecretFile('--password-file', path).trim();
    if (password === '') throw new Error(`--password-file: "${path}" holds no password (it is empty or only whitespace). Write the password into it, or leave the option out to run an open relay.`);
    return password;
  }
  if (sources.password !== undefined) {
    if (sources.password.trim() === '') throw new Error('--password: must not be empty or only whitespace (leave the option out to run an open relay)');
    return sources.password;
  }
  const fromEnv = env.PARLEY_RELAY_PASSWORD;
  // Empty is how shells and compose files unset a variable.
  if (fromEnv === undefined || fromEnv === '') return undefined;
  if (fromEnv.trim() === '') throw new Error('PARLEY_RELAY_PASSWORD holds only whitespace: set a password, or unset it to run an open relay.');
  return fromEnv;
}

/** A file holding a password, read whole; an unreadable one is said against the option that named it. */
export function readSecretFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    // Node's text reads "ENOENT: no such file or directory, open '…'": keep the words, the path is said once already.
    const { code, message } = error as NodeJS.ErrnoException;
    const why = /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
    throw new Error(`${flag}: cannot read "${path}" (${why}${code ? `, ${code}` : ''}).`, { cause: error });
  }
}
