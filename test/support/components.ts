/**
 * The real programs some tests run on loopback, where to find them, and the Debian package that
 * installs each. A test file that needs one wraps its tests in `needs(component, title, suite)`:
 * when the program is missing, a fresh machine's `npm test` says so in one line with the command
 * to run instead of failing somewhere inside a start-up; under `CI=true` the missing program fails
 * the run (CI must not pass by testing less).
 */
import { accessSync, constants } from 'node:fs';
import { describe, it } from 'vitest';

export type ComponentName = 'redis' | 'alertmanager' | 'chromium' | 'exim';

interface Component {
  what: string;
  /** The variable that points at another binary. */
  variable: string;
  defaultPath: string;
  debianPackage: string;
}

export const COMPONENTS: Record<ComponentName, Component> = {
  redis: { what: 'Redis', variable: 'REDIS_SERVER_BIN', defaultPath: '/usr/bin/redis-server', debianPackage: 'redis-server' },
  alertmanager: { what: 'Prometheus Alertmanager', variable: 'ALERTMANAGER_BIN', defaultPath: '/usr/bin/prometheus-alertmanager', debianPackage: 'prometheus-alertmanager' },
  chromium: { what: 'Chromium', variable: 'CHROMIUM_PATH', defaultPath: '/usr/bin/chromium', debianPackage: 'chromium' },
  exim: { what: 'Exim', variable: 'EXIM_BIN', defaultPath: '/usr/sbin/exim4', debianPackage: 'exim4-daemon-light' },
};

export function componentPath(name: ComponentName, env: NodeJS.ProcessEnv = process.env): string {
  const component = COMPONENTS[name];
  return env[component.variable] || component.defaultPath;
}

/** The one line a user sees when `name` is missing, or undefined when it is installed. */
export function missingComponent(name: ComponentName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = componentPath(name, env);
  try {
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    const component = COMPONENTS[name];
    return `${component.what} is not installed (no executable at ${path}; ${component.variable} points elsewhere): its tests do not run. To run them: sudo apt-get install ${component.debianPackage}`;
  }
}

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['CI'] === 'true' || env['CI'] === '1';
}

/** `describe(title, suite)` when `name` is installed; otherwise a todo entry with the install line, or under CI a failing test. */
export function needs(name: ComponentName, title: string, suite: () => void): void {
  const missing = missingComponent(name);
  if (missing === undefined) {
    describe(title, suite);
    return;
  }
  describe(title, () => {
    if (isCi()) {
      it(`needs ${COMPONENTS[name].what}`, () => {
        throw new Error(`${missing} (CI=true: a missing component fails the run)`);
      });
    } else it.todo(missing);
  });
}
