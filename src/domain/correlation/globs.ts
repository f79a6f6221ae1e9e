/**
 * The glob dialect of service path config: `*` and `?` stay within one path segment, `**` spans
 * segments (`services/checkout/**` matches the directory and everything below it), `{a,b}`
 * alternates. A glob without a slash (`*.sql`) matches the file name anywhere, as in .gitignore.
 * Small on purpose: config globs are short and this keeps the domain free of dependencies.
 */

const cache = new Map<string, RegExp>();

function escape(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

function translate(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] ?? '';
    if (char === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length;
        const beforeSlash = glob[i + 2] === '/';
        i++;
        if (atStart && beforeSlash) {
          // `**/` is zero or more whole directories.
          out += '(?:[^/]*/)*';
          i++;
        } else if (atStart && atEnd) {
          out += '.*';
        } else {
          out += '[^/]*';
        }
      } else {
        out += '[^/]*';
      }
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '{') {
      const close = glob.indexOf('}', i);
      if (close === -1) {
        out += '\\{';
      } else {
        out += `(?:${glob
          .slice(i + 1, close)
          .split(',')
          .map(translate)
          .join('|')})`;
        i = close;
      }
    } else {
      out += escape(char);
    }
  }
  return out;
}

function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let pattern = glob.trim().replace(/^\.\//, '').replace(/^\//, '');
  if (!pattern.includes('/')) pattern = `**/${pattern}`;
  // `dir/**` also names the directory itself.
  const body = pattern.endsWith('/**') ? `${translate(pattern.slice(0, -3))}(?:/.*)?` : translate(pattern);
  const regexp = new RegExp(`^${body}$`);
  cache.set(glob, regexp);
  return regexp;
}

export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path.replace(/^\.\//, '').replace(/^\//, ''));
}

/** The first glob that matches `path`, if any. */
export function firstMatchingGlob(path: string, globs: readonly string[]): string | undefined {
  return globs.find((glob) => matchesGlob(path, glob));
}
